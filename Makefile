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

# The daemon on this machine against fleet-example/ (a local bare repository under .capstan/, made once; the
# embedded management cluster in .capstan/state; HTTP on $CAPSTAN_HTTP_ADDRESS, default 127.0.0.1:8080).
# See scripts/run-example.sh and docs/reconciler.md.
run: build
	@scripts/run-example.sh $(SWIFT) run --skip-build $(BUILD_FLAGS) capstan

lint: build
	$(SWIFT) run $(BUILD_FLAGS) capstan lint fleet-example policies

# Benchmarks run on a release build; see docs/benchmarks.md.
bench: release
	.build/release/capstan-bench all

clean:
	rm -rf .build $(STATE_DIR)
