# Capstan — the README's quick start is `make run` and `make test`.
SWIFT        ?= swift
BUILD_FLAGS  ?=
STATE_DIR    ?= .state

.PHONY: all deps build release test run bench lint clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

# The whole suite. Tests start their own loopback servers (git daemon, lighttpd + git-http-backend, sshd).
test: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS)
	$(SWIFT) run --skip-build $(BUILD_FLAGS) capstan policy test policies

# The daemon on this machine: a local bare repository made from fleet-example/ (once, under .capstan/), the
# embedded management cluster in .capstan/state, HTTP on $CAPSTAN_HTTP_ADDRESS (default 127.0.0.1:8080). The
# repository's post-receive hook calls the signed generic webhook, so a push is applied at once. See docs/reconciler.md.
run: build
	@set -e; dir="$$(pwd)/.capstan"; addr="$${CAPSTAN_HTTP_ADDRESS:-127.0.0.1:8080}"; \
	if [ ! -d "$$dir/fleet.git" ]; then \
	  mkdir -p "$$dir"; rm -rf "$$dir/seed"; git init -q -b main "$$dir/seed"; cp -R fleet-example/. "$$dir/seed/"; \
	  git -C "$$dir/seed" add -A; \
	  git -C "$$dir/seed" -c user.name=Capstan -c user.email=capstan@localhost commit -qm "fleet-example"; \
	  git clone -q --bare "$$dir/seed" "$$dir/fleet.git"; rm -rf "$$dir/seed"; \
	  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$$dir/webhook-secret"; chmod 600 "$$dir/webhook-secret"; \
	  printf '%s\n' '#!/bin/sh' \
	    'body="{\"ref\":\"refs/heads/main\"}"' \
	    "sig=\$$(printf '%s' \"\$$body\" | openssl dgst -sha256 -hmac \"\$$(cat '$$dir/webhook-secret')\" | sed 's/^.* //')" \
	    "curl -s -o /dev/null -H \"X-Capstan-Signature: sha256=\$$sig\" -d \"\$$body\" http://$$addr/webhook/generic || true" \
	    > "$$dir/fleet.git/hooks/post-receive"; chmod +x "$$dir/fleet.git/hooks/post-receive"; \
	  echo "Created the fleet repository $$dir/fleet.git from fleet-example/."; \
	fi; \
	echo ""; \
	echo "Capstan runs against $$dir/fleet.git (branch main); the management cluster lives in $$dir/state."; \
	echo "  Change the fleet:   git clone $$dir/fleet.git fleet && cd fleet   # edit clusters/..., commit, git push"; \
	echo "  Status reports:     git fetch origin capstan-status && git show origin/capstan-status:STATUS.md"; \
	echo "                      (status/<namespace>/<name>.yaml per Cluster, drift/ when the drift check finds any)"; \
	echo "  The clusters:       swift run capstan status --state-dir $$dir/state"; \
	echo "  HTTP:               curl http://$$addr/readyz; curl http://$$addr/metrics"; \
	echo "  Stop with Ctrl-C (the step in flight and the last status commit finish)."; \
	echo ""; \
	exec $(SWIFT) run --skip-build $(BUILD_FLAGS) capstan run --repo "file://$$dir/fleet.git" --ref main \
	  --state-dir "$$dir/state" --http-address "$$addr" --poll-interval 10s --status-interval 2s \
	  --webhook-secret-file "$$dir/webhook-secret"

lint: build
	$(SWIFT) run $(BUILD_FLAGS) capstan lint fleet-example policies

# Benchmarks run on a release build; see docs/benchmarks.md.
bench: release
	.build/release/capstan-bench all

clean:
	rm -rf .build $(STATE_DIR)
