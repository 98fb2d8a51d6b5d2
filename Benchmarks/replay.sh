#!/usr/bin/env bash
# Times `tokenbroker replay` of one year of price history with 1,000,000 requests
# (Deploy/examples/year-million.yaml, one threshold), five runs, release build.
# Prints each run's phases (routing + writing, then measuring) and the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
history="${1:-../shared/data/price_history.csv}"
[ -f "$history" ] || { echo "no price history at $history (pass its path)"; exit 1; }
bin="$(swift build -c release --show-bin-path)/tokenbroker"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
written=()
total=()
for run in 1 2 3 4 5; do
  "$bin" replay --offline --db "$work/replay.sqlite" --history "$history" \
    --workload Deploy/examples/year-million.yaml --thresholds 0 >/dev/null 2>"$work/timing"
  w=$(awk '/routed and written in/ {print $5}' "$work/timing")
  t=$(awk '/replayed in/ {print $3}' "$work/timing")
  echo "run $run: routed and written ${w} s, total ${t} s"
  written+=("$w")
  total+=("$t")
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
echo "median: routed and written $(median "${written[@]}") s, total with measures $(median "${total[@]}") s (1,000,000 requests, one year)"
