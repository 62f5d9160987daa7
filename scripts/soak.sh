#!/bin/sh
# soak.sh: 50 phones dial chanjo serve on its embedded defaults (SQLite, the
# in-process Redis) for DURATION; the server's resident memory is sampled
# every 30 s. It passes when every sample is under 100 MB and the last is
# within 20 % of the one at 2 minutes (README "Production": the embedded defaults
# keep memory flat). Targets 127.0.0.1 only.
#
#   scripts/soak.sh [DURATION]          # default 10m; the load is chanjo bench
set -eu
duration=${1:-10m}
port=${SOAK_PORT:-8197}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
here=$(cd "$(dirname "$0")/.." && pwd)
go build -o "$dir/chanjo" "$here/cmd/chanjo"
token=soaktoken-0123456789abcdef
DATABASE_URL="$dir/chanjo.db" CALLBACK_TOKEN=$token CHANJO_ADDR=127.0.0.1:$port LOG_LEVEL=warn \
	"$dir/chanjo" serve --demo >"$dir/serve.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
# The lesson walk of docs/performance.md: each session is left on the main
# menu, as a nurse who hangs up, so its key lives until its TTL.
"$dir/chanjo" bench --url "http://127.0.0.1:$port/ussd" --token $token --walk lesson --phones 50 \
	--duration "$duration" --pairs 1 >"$dir/load.out" 2>&1 &
load=$!
echo "t_s rss_mb"
t=0
samples=""
while kill -0 $load 2>/dev/null; do
	rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$pid/status)
	echo "$t $rss"
	samples="$samples $t:$rss"
	sleep 30
	t=$((t + 30))
done
wait $load
cat "$dir/load.out"
echo "$samples" | tr ' ' '\n' | awk -F: '
	NF == 2 { if ($2 + 0 > max) max = $2 + 0; if ($1 == 120) at2 = $2 + 0; last = $2 + 0 }
	END {
		ok = max < 100 && (at2 == 0 || (last <= at2 * 1.2 && last >= at2 * 0.8))
		printf "max %.1f MB, at 2 min %.1f MB, last %.1f MB: %s\n", max, at2, last, ok ? "flat, under 100 MB" : "FAILED"
		exit ok ? 0 : 1
	}'
