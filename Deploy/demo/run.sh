#!/usr/bin/env bash
# `make run`: tokenbrokerd on the bundled catalogue with SQLite under var/, and a demo
# overlay in which every provider without credentials in the environment is served by
# tokenbroker-mock (started here, stopped with the daemon). Providers whose key is set
# (OPENAI_API_KEY, ANTHROPIC_API_KEY, …) go to their real endpoints.
set -euo pipefail
BIN=${1:?usage: run.sh BIN_DIR}
cd "$(dirname "$0")/../.."
LISTEN=${TOKENBROKER_LISTEN:-127.0.0.1:8080}
MOCK_LISTEN=${TOKENBROKER_MOCK_LISTEN:-127.0.0.1:9100}
mkdir -p var
chmod 700 var

# The demo tenant's key: made once, kept in var/ (only its hash goes into the database).
if [ ! -s var/demo.key ]; then
  (umask 077; printf 'tb-demo-%s\n' "$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')" > var/demo.key)
fi
KEY=$(cat var/demo.key)
(umask 077; cat > var/demo-tokenbrokerd.yaml <<YAML
# Written by Deploy/demo/run.sh for \`make run\`.
listen: $LISTEN
db: var/tokenbroker.sqlite
providers: Providers
demo_upstream: http://$MOCK_LISTEN
keys:
  - tenant: demo
    key: $KEY
    policy: auto
YAML
)

"$BIN/tokenbroker-mock" --listen "$MOCK_LISTEN" --config Deploy/demo/mock.yaml --exit-with-parent > var/mock.log 2>&1 &
MOCK=$!
DAEMON=
stop() {
  [ -n "$DAEMON" ] && kill -TERM "$DAEMON" 2>/dev/null && wait "$DAEMON" 2>/dev/null || true
  kill -TERM "$MOCK" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 0' INT TERM

"$BIN/tokenbrokerd" --config var/demo-tokenbrokerd.yaml &
DAEMON=$!
for _ in $(seq 100); do
  curl -sf "http://$LISTEN/healthz" >/dev/null 2>&1 && break
  kill -0 "$DAEMON" 2>/dev/null || { echo "tokenbrokerd did not start (see above)"; exit 1; }
  sleep 0.1
done

cat <<HINT

TokenBroker is running on http://$LISTEN (providers without keys are served by the mock on $MOCK_LISTEN).
Demo tenant key: $KEY

  curl -s http://$LISTEN/v1/chat/completions -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"model":"auto","messages":[{"role":"user","content":"Hello"}]}'
  python3 -c 'from openai import OpenAI; c=OpenAI(base_url="http://$LISTEN/v1", api_key="$KEY"); print(c.chat.completions.create(model="frontier", messages=[{"role":"user","content":"Hello"}]).choices[0].message.content)'

Ctrl-C stops the daemon and the mock. Decisions are logged in var/tokenbroker.sqlite.
HINT
wait "$DAEMON"
