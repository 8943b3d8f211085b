#!/usr/bin/env bash
# GPU smoke test, for a CUDA machine: builds the worker with the CUDA backend (-Pcuda) and trains one epoch of the
# lab CNN on the full Fashion-MNIST, printing the device and engine, images/s and accuracy. It exits with 1 when the
# run did not train with DL4J on the GPU (for instance the fast CPU engine on a CUDA build).
# Needs a GPU of sm_37..sm_86 (see bench/cuda-compat.sh), the CUDA 11.6 runtime and cuDNN 8 on the machine (or docker/Dockerfile.worker-cuda), and the dataset
# (apt-get install dataset-fashion-mnist, or SWEEPLAB_DATASET_DIR). Usage: bench/gpu-smoke.sh [batch size]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -Pcuda -pl platform/worker -am install -DskipTests -Dspotless.check.skip=true
exec java -Xmx8g -cp "platform/worker/target/sweeplab-worker-0.1.0-SNAPSHOT.jar" io.sweeplab.worker.smoke.GpuSmoke "$@"
