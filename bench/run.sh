#!/usr/bin/env bash
# Training and evaluation throughput: Sweeplab's fast engine, DL4J, and PyTorch (DJL) on the full Fashion-MNIST.
# Usage: bench/run.sh [--dl4j-images N] [--threads T] [--skip-pytorch]
set -euo pipefail
cd "$(dirname "$0")/.."
# package, not install: the classpath is the reactor's own jars (bench/target/bench-classpath.txt, written by the
# bench module's package phase), so nothing lands in ~/.m2
./mvnw -q -Pbench -pl bench -am package -DskipTests -Dspotless.check.skip=true
exec java -Xmx6g --add-modules jdk.incubator.vector -Dai.djl.offline=true -cp "bench/target/classes:$(cat bench/target/bench-classpath.txt)" \
    io.sweeplab.bench.TrainingBenchmark "$@"
