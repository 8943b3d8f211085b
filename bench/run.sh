#!/usr/bin/env bash
# Training and evaluation throughput: Sweeplab's fast engine, DL4J, and PyTorch (DJL) on the full Fashion-MNIST.
# Usage: bench/run.sh [--dl4j-images N] [--threads T] [--skip-pytorch]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -Pbench -pl bench -am install -DskipTests -Dspotless.check.skip=true
./mvnw -q -Pbench -pl bench dependency:build-classpath -Dmdep.outputFile=$PWD/bench/target/bench-classpath.txt
exec java -Xmx6g --add-modules jdk.incubator.vector -Dai.djl.offline=true -cp "bench/target/classes:$(cat bench/target/bench-classpath.txt)" \
    io.sweeplab.bench.TrainingBenchmark "$@"
