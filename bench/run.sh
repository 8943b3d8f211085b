#!/usr/bin/env bash
# Training and evaluation throughput: Sweeplab's fast engine, DL4J, and PyTorch (DJL) on the full Fashion-MNIST; the
# table on stdout, a JSON summary in bench/target/bench-summary.json.
# Usage: bench/run.sh [--models a,b] [--engines fast,pytorch,dl4j] [--threads T] [--train-images N]
#                     [--dl4j-images N] [--slots-images N] [--skip-pytorch]
set -euo pipefail
cd "$(dirname "$0")/.."
# package, not install: the classpath is the reactor's own jars (bench/target/bench-classpath.txt, written by the
# bench module's package phase), so nothing lands in ~/.m2
./mvnw -q -Pbench -pl bench -am package -DskipTests -Dspotless.check.skip=true
exec java -Xmx6g --add-modules jdk.incubator.vector -Dai.djl.offline=true -cp "bench/target/classes:$(cat bench/target/bench-classpath.txt)" \
    io.sweeplab.bench.TrainingBenchmark "$@"
