#!/usr/bin/env bash
# `make run`: the daemon on this machine against fleet-example/.
#
# Once, creates a bare repository .capstan/fleet.git from fleet-example/ with a post-receive hook that calls
# the daemon's signed generic webhook (so a push is applied at once), and a random webhook secret. Then runs
# `capstan run` against it with the embedded management cluster in .capstan/state and HTTP on
# $CAPSTAN_HTTP_ADDRESS (default 127.0.0.1:8080). See docs/reconciler.md.
set -euo pipefail

capstan=("$@")   # how to start capstan, e.g. swift run --skip-build capstan
[ ${#capstan[@]} -gt 0 ] || { echo "usage: $0 CAPSTAN_COMMAND..." >&2; exit 2; }
dir="$(pwd)/.capstan"
addr="${CAPSTAN_HTTP_ADDRESS:-127.0.0.1:8080}"

if [ ! -d "$dir/fleet.git" ]; then
  mkdir -p "$dir"
  seed="$dir/seed"
  rm -rf "$seed"
  git init -q -b main "$seed"
  cp -R fleet-example/. "$seed/"
  git -C "$seed" add -A
  git -C "$seed" -c user.name=Capstan -c user.email=capstan@localhost commit -qm "fleet-example"
  git clone -q --bare "$seed" "$dir/fleet.git"
  rm -rf "$seed"
  (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/webhook-secret")
  cat > "$dir/fleet.git/hooks/post-receive" <<HOOK
#!/bin/sh
# Tells the Capstan daemon to poll now (generic webhook, HMAC-SHA256 of the body).
body='{"ref":"refs/heads/main"}'
sig=\$(printf '%s' "\$body" | openssl dgst -sha256 -hmac "\$(cat '$dir/webhook-secret')" | sed 's/^.* //')
curl -s -o /dev/null -H "X-Capstan-Signature: sha256=\$sig" -d "\$body" "http://$addr/webhook/generic" || true
HOOK
  chmod +x "$dir/fleet.git/hooks/post-receive"
  echo "Created the fleet repository $dir/fleet.git from fleet-example/."
fi

cat <<INFO

Capstan runs against $dir/fleet.git (branch main); the management cluster lives in $dir/state.
  Change the fleet:   git clone $dir/fleet.git fleet && cd fleet   # edit clusters/..., commit, git push
  Status reports:     git fetch origin capstan-status && git show origin/capstan-status:STATUS.md
                      (status/<namespace>/<name>.yaml per Cluster, drift/ when the drift check finds any)
  The clusters:       swift run capstan status --state-dir $dir/state
  HTTP:               curl http://$addr/readyz; curl http://$addr/metrics
  Stop with Ctrl-C (the step in flight and the last status commit finish).

INFO

exec "${capstan[@]}" run --repo "file://$dir/fleet.git" --ref main \
  --state-dir "$dir/state" --http-address "$addr" --poll-interval 10s --status-interval 2s \
  --webhook-secret-file "$dir/webhook-secret"
