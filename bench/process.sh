#!/usr/bin/env bash
# Whole-process timing: `lockreview diff --offline` on the largest real pair
# against `node -e` doing only JSON.parse of the same two files (the issue's
# yardstick), plus peak RSS. Runs only our own binary and node's JSON.parse on
# our own fixtures: no package code.
set -euo pipefail
cd "$(dirname "$0")/.."
pair=testdata/lockfiles/v2-large-woocommerce-blocks-dependabot
runs=${RUNS:-20}
bin=$(mktemp -d)/lockreview
CGO_ENABLED=0 go build -trimpath -o "$bin" ./cmd/lockreview

time_runs() { # prints the median wall time in ms of "$@" over $runs runs
  local ts=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    ts+=($(( (e - s) / 1000000 )))
  done
  printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

lr=$(time_runs "$bin" diff --offline --base $pair/base.json --head $pair/head.json)
nd=$(time_runs node -e "const fs=require('fs');JSON.parse(fs.readFileSync('$pair/base.json'));JSON.parse(fs.readFileSync('$pair/head.json'))")
size=$(( $(stat -c %s $pair/base.json) + $(stat -c %s $pair/head.json) ))
rssfile=$(mktemp)
/usr/bin/time -o "$rssfile" -f '%M' "$bin" diff --offline --base $pair/base.json --head $pair/head.json >/dev/null 2>&1 || true
rss=$(tail -1 "$rssfile")
echo "input: $((size / 1024)) KiB (base + head)"
echo "lockreview diff --offline: median ${lr} ms over $runs runs, peak RSS ${rss} KiB ($(awk "BEGIN{printf \"%.1f\", $rss*1024/$size}")x input)"
echo "node JSON.parse of both:   median ${nd} ms over $runs runs"
echo "ratio: $(awk "BEGIN{printf \"%.2f\", $lr/$nd}") (target <= 0.5)"
