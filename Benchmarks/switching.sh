#!/usr/bin/env bash
# Switching queries at scale: fills a decision log with 1,000,000 decisions over 30 days
# across 50 streams and 10 providers, starts tokenbrokerd on it, and times the real CLI
# (`switches`, `churn --period day`, `concentration`, `loyalty`) end to end over the control
# socket: process start, the request, the SQL, the JSON. Best of 5 runs each. The period
# measures read the hourly rollup, which the daemon's migration builds from the filled log
# on its first start (timed and printed).
#
#   Benchmarks/switching.sh [BIN_DIR]      (default: swift build -c release --show-bin-path)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-$(swift build -c release --show-bin-path)}
[ -x "$BIN/tokenbrokerd" ] && [ -x "$BIN/tokenbroker" ] || { echo "build first: swift build -c release"; exit 1; }
WORK=$(mktemp -d /tmp/tb-switching-XXXXXX)
trap 'kill $DAEMON 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
DB=$WORK/state/tokenbroker.sqlite
SOCKET=$WORK/run/control.sock

start() {
  STARTED=$(date +%s%N)
  "$BIN/tokenbrokerd" --db "$DB" --control-socket "$SOCKET" --listen 127.0.0.1:0 --providers Providers \
    --log-level warning > "$WORK/out" 2> "$WORK/err" &
  DAEMON=$!
  for _ in $(seq 1 1200); do
    if grep -q "listening on" "$WORK/out" 2>/dev/null; then STARTUP_MS=$(( ($(date +%s%N) - STARTED) / 1000000 )); return; fi
    sleep 0.05
  done
  cat "$WORK/err"; exit 1
}

start   # creates the schema
kill $DAEMON; wait $DAEMON || true

python3 - "$DB" <<'PY'
import random, sqlite3, sys, time
random.seed(7)
db = sqlite3.connect(sys.argv[1])
now = int(time.time() * 1000)
start = now - 30 * 86_400_000
providers = [f"bench-{i}" for i in range(10)]
streams = [(f"tenant-{t}", f"policy-{p}") for t in range(10) for p in range(5)]
current = {s: random.choice(providers) for s in streams}
rows = []
n = 1_000_000
switches = 0
for i in range(n):
    at = start + i * (30 * 86_400_000) // n
    tenant, policy = stream = streams[random.randrange(50)]
    previous = current[stream]
    switched = 0
    if random.random() < 0.002:   # price events move a stream now and then
        current[stream] = random.choice([p for p in providers if p != previous])
        switched = 1
        switches += 1
    provider = current[stream]
    cost = random.randint(1_000, 200_000)
    rows.append((f"bench-{i:07d}", at, tenant, policy, f"{tenant}/{policy}", policy, provider, "m", cost, None,
                 1000, 200, f'["{provider}/m={cost/1e9:.9f}","{previous}/m={cost*1.2/1e9:.9f}"]', "{}", previous,
                 switched, 0, f'["{provider}/m:ok"]', "ok", 1000, 200, cost, cost, 120))
    if len(rows) == 50_000:
        db.executemany("INSERT INTO decisions VALUES (" + ",".join("?" * 24) + ")", rows)
        rows.clear()
db.executemany("INSERT INTO decisions VALUES (" + ",".join("?" * 24) + ")", rows)
db.commit()
db.execute("ANALYZE")
db.commit()
# The filler writes decisions only, like a log written before the hourly rollup existed:
# drop the (empty) rollup and forget its migration, so the daemon's next start runs
# migration v3-decision-rollup over the million rows, v6-rollup-by-tenant (its index went
# with the table) and v7-rollup-billed-tokens, which renames v3's token columns and rebuilds
# the rollup from the log -- the product's own rebuild path.
db.execute("DROP TABLE IF EXISTS decision_rollup")
db.execute("DROP INDEX IF EXISTS decisions_switched")
db.execute("DELETE FROM grdb_migrations WHERE identifier IN ('v3-decision-rollup', 'v6-rollup-by-tenant', 'v7-rollup-billed-tokens')")
db.commit()
print(f"decision log: {n} decisions, {switches} switches, 50 streams, 10 providers, 30 days")
PY

start
echo "daemon start with the one-off rollup migration over the log: ${STARTUP_MS} ms"
echo "rollup rows: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM decision_rollup').fetchone()[0])" "$DB")"
kill $DAEMON; wait $DAEMON || true
start
echo "daemon start afterwards: ${STARTUP_MS} ms"
measure() {
  local best=999999
  for _ in 1 2 3 4 5; do
    local t0=$(date +%s%N)
    "$BIN/tokenbroker" "$@" --json --socket "$SOCKET" > "$WORK/answer"
    local t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 ))
    (( ms < best )) && best=$ms
  done
  printf "%-45s %5d ms  (%s rows)\n" "tokenbroker $*" "$best" "$(python3 -c "import json,sys; print(len(json.load(open('$WORK/answer'))))")"
}
measure status 2>/dev/null | sed 's/(.*rows)//' || true
measure switches
measure switches --limit 1000000
measure switches --since 24h
measure churn --period day
measure churn --period hour
measure concentration
measure loyalty
