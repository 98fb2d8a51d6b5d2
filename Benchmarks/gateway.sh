#!/usr/bin/env bash
# The gateway under load, side by side in one run (release builds, wrk with Lua body scripts):
#   mock    tokenbroker-mock directly (zero latency, 16-token answers)
#   nginx   nginx as a plain reverse proxy to the mock (keep-alive upstream): the floor for a proxy here
#   broker  tokenbrokerd, bundled catalogue (64 offers), demo overlay to the same mock, routing,
#           API-key check and the decision log on
# 1 KB prompts, non-streaming and streaming. Two measures per target:
#   saturation  req/s with 32 connections
#   fixed rate  latency at ~2,000 req/s (22 connections, each waiting 10 ms between requests),
#               reported as p50/p99 and as latency added over the mock at the same rate
# Also tokenbrokerd's peak RSS (VmHWM) after the runs.
# Then slow upstreams, where what counts is how many requests are in flight at once: every
# mock answer takes 500 ms (1,000 connections; the ceiling is 2,000 req/s), then 2-second
# streams (500 connections; ceiling 244 req/s); req/s, latency, and tokenbrokerd's CPU per request.
# Usage: Benchmarks/gateway.sh [seconds]     Needs wrk and nginx (make bench-gateway installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
for tool in wrk nginx; do command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] || { echo "needs $tool: apt-get install -y wrk nginx-light"; exit 1; }; done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
swift build -c release --product tokenbrokerd >/dev/null
swift build -c release --product tokenbroker-mock >/dev/null
BIN=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_line() { for _ in $(seq 200); do grep -q "listening on" "$1" && return; sleep 0.05; done; echo "no ready line in $1"; cat "$1"; exit 1; }

"$BIN/tokenbroker-mock" --listen 127.0.0.1:0 > "$work/mock.out" 2>"$work/mock.err" &
pids+=($!)
wait_line "$work/mock.out"
mock=$(awk '{print $NF}' "$work/mock.out")

nginx_port=$(free_port)
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  upstream mock { server $mock; keepalive 1024; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
NGINX
"$NGINX" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 100); do [ -s "$work/nginx.pid" ] && break; sleep 0.05; done

key="tb-bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cat > "$work/tokenbrokerd.yaml" <<YAML
listen: 127.0.0.1:0
db: $work/state/tokenbroker.sqlite
providers: Providers
demo_upstream: http://$mock
log_level: warning
keys:
  - tenant: bench
    key: $key
YAML
env -u TOKENBROKER_CONFIG "$BIN/tokenbrokerd" --config "$work/tokenbrokerd.yaml" > "$work/broker.out" 2>"$work/broker.err" &
broker_pid=$!
pids+=($broker_pid)
wait_line "$work/broker.out"
broker=$(awk '{print $NF}' "$work/broker.out")

# 1 KB bodies. Direct and nginx name the upstream model the broker would pick; the broker gets "auto".
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
text = ("The quick brown fox jumps over the lazy dog. " * 40)[:900]
for name, model in (("direct", "llama-3.1-8b-instant"), ("broker", "auto")):
    for stream in (False, True):
        body = {"model": model, "messages": [{"role": "user", "content": text}]}
        if stream:
            body["stream"] = True
        open(f"{work}/{name}{'-stream' if stream else ''}.json", "w").write(json.dumps(body))
PY
lua() {  # lua FILE BODY [DELAY_MS]
  cat > "$1" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
local f = io.open("$2", "r"); wrk.body = f:read("*a"); f:close()
LUA
  if [ -n "${3:-}" ]; then echo "function delay() return $3 end" >> "$1"; fi
}

run() {  # run NAME URL BODY CONNECTIONS [DELAY_MS]
  lua "$work/$1.lua" "$3" "${5:-}"
  wrk -t2 -c"$4" -d"${SECONDS_PER_RUN}s" --timeout 30s --latency -s "$work/$1.lua" "$2" > "$work/$1.txt"
}

aim() {  # aim TARGET SUFFIX: sets url and body for mock, nginx or broker ("-stream" suffix for streams)
  case $1 in
    mock) url="http://$mock/v1/chat/completions"; body="$work/direct$2.json" ;;
    nginx) url="http://127.0.0.1:$nginx_port/v1/chat/completions"; body="$work/direct$2.json" ;;
    broker) url="http://$broker/v1/chat/completions"; body="$work/broker$2.json" ;;
  esac
}

echo "wrk: ${SECONDS_PER_RUN}s per run; 1 KB prompts; saturation at 32 connections; fixed rate ~2,000 req/s"
for mode in plain stream; do
  suffix=$([ $mode = stream ] && echo "-stream" || true)
  for target in mock nginx broker; do
    aim $target "$suffix"
    run "$mode-$target-sat" "$url" "$body" 32
    run "$mode-$target-rate" "$url" "$body" 22 10
  done
done
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$broker_pid/status)

cpu_ticks() { awk '{print $14 + $15}' /proc/$broker_pid/stat; }
for mode in slow slow-stream; do
  if [ $mode = slow ]; then
    behaviour='{"first_token_latency_ms": 500}'; connections=1000; suffix=""
  else
    behaviour='{"first_token_latency_ms": 100, "tokens_per_second": 20, "response_tokens": 40}'; connections=500; suffix="-stream"
  fi
  curl -fsS -X PUT "http://$mock/_mock/models/default" -d "$behaviour" > /dev/null
  for target in mock nginx broker; do
    aim $target "$suffix"
    before=$(cpu_ticks)
    run "$mode-$target" "$url" "$body" $connections
    echo $(( $(cpu_ticks) - before )) > "$work/$mode-$target.ticks"
  done
done
slow_rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$broker_pid/status)
decisions=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from decisions').fetchone()[0])" "$work/state/tokenbroker.sqlite" 2>/dev/null || echo "?")

python3 - "$work" "$rss_kb" "$decisions" "$slow_rss_kb" "$(getconf CLK_TCK)" <<'PY'
import re, sys
work, rss_kb, decisions, slow_rss_kb, ticks_per_second = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
def parse(name):
    text = open(f"{work}/{name}.txt").read()
    def us(value):
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
        return float(number) * {"us": 1, "ms": 1000, "s": 1e6}[unit]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "p50": us(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1)),
        "p99": us(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)),
        "errors": errors + (int(non2xx.group(1)) if non2xx else 0),
    }
print(f"\n{'mode':<8}{'target':<8}{'sat req/s':>11}{'rate req/s':>12}{'p50 µs':>9}{'p99 µs':>9}{'+p50 µs':>9}{'+p99 µs':>9}{'errors':>8}")
for mode in ("plain", "stream"):
    base = parse(f"{mode}-mock-rate")
    results = {}
    for target in ("mock", "nginx", "broker"):
        sat, rate = parse(f"{mode}-{target}-sat"), parse(f"{mode}-{target}-rate")
        results[target] = (sat, rate)
        print(f"{mode:<8}{target:<8}{sat['rps']:>11.0f}{rate['rps']:>12.0f}{rate['p50']:>9.0f}{rate['p99']:>9.0f}"
              f"{rate['p50'] - base['p50']:>+9.0f}{rate['p99'] - base['p99']:>+9.0f}{sat['errors'] + rate['errors']:>8}")
    broker_sat, broker_rate = results["broker"]
    nginx_sat, _ = results["nginx"]
    print(f"{mode}: tokenbrokerd at {broker_sat['rps'] / nginx_sat['rps']:.0%} of nginx's req/s (target ≥ 50%); "
          f"added p99 at ~{broker_rate['rps']:.0f} req/s: {broker_rate['p99'] - base['p99']:+.0f} µs (target ≤ 500 µs)")
print(f"tokenbrokerd peak RSS: {rss_kb / 1024:.1f} MB (target ≤ 64 MB); decisions logged: {decisions}")

print(f"\nslow upstreams: answers after 500 ms at 1,000 connections, 2 s streams at 500 connections")
print(f"{'mode':<13}{'target':<8}{'req/s':>8}{'ceiling':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
for mode, connections, seconds in (("slow", 1000, 0.5), ("slow-stream", 500, 2.05)):
    for target in ("mock", "nginx", "broker"):
        result = parse(f"{mode}-{target}")
        print(f"{mode:<13}{target:<8}{result['rps']:>8.0f}{connections / seconds:>9.0f}{result['p50'] / 1000:>9.0f}"
              f"{result['p99'] / 1000:>9.0f}{result['errors']:>8}")
    ticks = int(open(f"{work}/{mode}-broker.ticks").read())
    requests = int(re.search(r"(\d+) requests in", open(f"{work}/{mode}-broker.txt").read()).group(1))
    print(f"{mode}: tokenbrokerd CPU {ticks / ticks_per_second / max(requests, 1) * 1e6:.0f} µs per request")
print(f"tokenbrokerd peak RSS after the slow runs: {slow_rss_kb / 1024:.1f} MB")
PY
