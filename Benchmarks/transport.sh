#!/usr/bin/env bash
# Transport overhead, side by side in one run: wrk and CurlTransport against the same
# tokenbroker-mock (release builds), 1 KB non-streaming POSTs at 32 concurrent connections;
# then the delay from an upstream SSE event to its delivery (CurlTransport vs a raw socket);
# then both clients paced at ~2,000 req/s (22 connections, 10 ms between requests), where the
# threads sleep between requests and every hand-over between them is a wake-up.
# Usage: Benchmarks/transport.sh [seconds]     Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_PER_RUN=${1:-10}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk"; exit 1; }
(cd .. && swift build -c release --product tokenbroker-mock >/dev/null)
swift build -c release --product TransportLoad >/dev/null
MOCK_BIN=$(cd .. && swift build -c release --show-bin-path)/tokenbroker-mock
LOAD_BIN=$(swift build -c release --show-bin-path)/TransportLoad
work=$(mktemp -d)
trap 'kill $mock_pid 2>/dev/null || true; rm -rf "$work"' EXIT

"$MOCK_BIN" --listen 127.0.0.1:0 > "$work/mock.out" &
mock_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/mock.out" && break; sleep 0.1; done
address=$(awk '{print $NF}' "$work/mock.out")
url="http://$address/v1/chat/completions"

# A 1 KB chat request; the mock answers 16 tokens.
python3 - "$work/body.json" <<'PY'
import json, sys
text = ("The quick brown fox jumps over the lazy dog. " * 40)[:900]
body = {"model": "bench", "messages": [{"role": "user", "content": text}]}
open(sys.argv[1], "w").write(json.dumps(body))
PY
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/body.json", "r"); wrk.body = f:read("*a"); f:close()
LUA

echo "body: $(wc -c < "$work/body.json") bytes, 32 connections, ${SECONDS_PER_RUN}s each"
wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency -s "$work/post.lua" "$url" > "$work/wrk.txt"
"$LOAD_BIN" --url "$url" --body "$work/body.json" --concurrency 32 --seconds "$SECONDS_PER_RUN" > "$work/load.json"
echo "function delay() return 10 end" >> "$work/post.lua"
wrk -t2 -c22 -d"${SECONDS_PER_RUN}s" --latency -s "$work/post.lua" "$url" > "$work/wrk-paced.txt"
"$LOAD_BIN" --url "$url" --body "$work/body.json" --concurrency 22 --delay-ms 10 --seconds "$SECONDS_PER_RUN" --no-sse > "$work/load-paced.json"

python3 - "$work/wrk.txt" "$work/load.json" "$work/wrk-paced.txt" "$work/load-paced.json" <<'PY'
import json, re, sys
wrk = open(sys.argv[1]).read()
load = json.load(open(sys.argv[2]))
wrk_paced = open(sys.argv[3]).read()
load_paced = json.load(open(sys.argv[4]))
def us(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 1, "ms": 1000, "s": 1e6}[unit]
wrk_rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
wrk_p50 = us(re.search(r"^\s+50%\s+(\S+)", wrk, re.M).group(1))
wrk_p99 = us(re.search(r"^\s+99%\s+(\S+)", wrk, re.M).group(1))
print(f"{'client':<16}{'req/s':>10}{'p50 µs':>10}{'p99 µs':>10}")
print(f"{'wrk':<16}{wrk_rps:>10.0f}{wrk_p50:>10.0f}{wrk_p99:>10.0f}")
print(f"{'CurlTransport':<16}{load['requests_per_second']:>10.0f}{load['latency_p50_us']:>10.0f}{load['latency_p99_us']:>10.0f}")
print(f"ratio: {load['requests_per_second'] / wrk_rps:.0%} of wrk's requests/s (target ≥ 70%); "
      f"p99 added {load['latency_p99_us'] - wrk_p99:+.0f} µs (target ≤ 100 µs); errors {load['errors']}")
print(f"SSE event → consumer: CurlTransport p50 {load['sse_delivery_p50_us']:.0f} µs, p99 {load['sse_delivery_p99_us']:.0f} µs; "
      f"raw socket p50 {load['sse_raw_socket_p50_us']:.0f} µs, p99 {load['sse_raw_socket_p99_us']:.0f} µs")
paced_p50 = us(re.search(r"^\s+50%\s+(\S+)", wrk_paced, re.M).group(1))
paced_p99 = us(re.search(r"^\s+99%\s+(\S+)", wrk_paced, re.M).group(1))
paced_rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk_paced).group(1))
print(f"paced (22 connections, 10 ms apart): wrk {paced_rps:.0f} req/s p50 {paced_p50:.0f} / p99 {paced_p99:.0f} µs; "
      f"CurlTransport {load_paced['requests_per_second']:.0f} req/s p50 {load_paced['latency_p50_us']:.0f} / "
      f"p99 {load_paced['latency_p99_us']:.0f} µs (added p50 {load_paced['latency_p50_us'] - paced_p50:+.0f}, "
      f"p99 {load_paced['latency_p99_us'] - paced_p99:+.0f} µs)")
PY
