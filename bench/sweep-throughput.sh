#!/usr/bin/env bash
# Sweep throughput of one machine: the packaged platform with 1 slot (all cores per run) and with 2 slots (the
# cores split between two runs at once), each training the same sweep of lab CNN runs on a subset.
# Usage: bench/sweep-throughput.sh [runs (12)] [train images per run (10000)]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-12}
train=${2:-10000}
./mvnw -q -DskipTests package
cores=$(nproc)
port=8093
for slots in 1 2; do
    home=$(mktemp -d)
    threads=$(( cores / slots > 0 ? cores / slots : 1 ))
    SWEEPLAB_HOME=$home QUARKUS_HTTP_PORT=$port SWEEPLAB_WORKER_SLOTS=$slots SWEEPLAB_WORKER_THREADS=$threads \
        java --add-modules jdk.incubator.vector -jar platform/app/target/quarkus-app/quarkus-run.jar > "$home/log" 2>&1 &
    pid=$!
    for _ in $(seq 1 60); do curl -sf "localhost:$port/q/health/ready" > /dev/null && break; sleep 1; done
    curl -sf -XPOST -H 'content-type: application/json' -d '{"slug":"bench","name":"Bench"}' "localhost:$port/api/teams" > /dev/null
    curl -sf -XPOST -H 'content-type: application/json' -d '{"name":"Throughput"}' "localhost:$port/api/teams/bench/experiments" > /dev/null
    seeds=$(seq -s, 1 "$runs")
    start=$(date +%s.%N)
    curl -sf -XPOST -H 'content-type: application/json' -d "{\"experiment\":1,\"name\":\"throughput\",\"base\":{\"architecture\":\"cnn\",\"epochs\":1,\"data\":{\"trainLimit\":$train,\"testLimit\":1000}},\"grid\":{\"seed\":[$seeds]}}" "localhost:$port/api/sweeps" > /dev/null
    while true; do
        status=$(curl -sf "localhost:$port/api/sweeps/1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
        [ "$status" = succeeded ] || [ "$status" = failed ] && break
        sleep 0.5
    done
    end=$(date +%s.%N)
    python3 - "$slots" "$threads" "$runs" "$train" "$start" "$end" "$status" <<'PY'
import sys
slots, threads, runs, train, start, end, status = sys.argv[1:]
secs = float(end) - float(start)
print(f"slots {slots} x {threads} thread(s): {runs} CNN runs of {train} images, 1 epoch: {secs:.1f} s,"
      f" {int(runs) * 3600 / secs:.0f} runs/hour ({status})")
PY
    kill "$pid"; wait "$pid" 2> /dev/null || true
    rm -rf "$home"
done
