#!/usr/bin/env bash
# Can ND4J's CUDA backend run on this machine's GPU? ND4J 1.0.0-M2.1 (nd4j-cuda-11.6) ships libnd4jcuda.so with
# machine code (SASS) for a fixed list of GPU architectures and no PTX, so a GPU of a newer architecture cannot run
# its kernels (the driver has nothing to compile for it). This script prints:
#   1. the architectures in libnd4jcuda.so (read from its .nv_fatbin section; needs the jar in ~/.m2 or $ND4J_CUDA_JAR),
#   2. the GPUs here and their compute capability (nvidia-smi), with a verdict for each,
#   3. with nvcc present, a probe: a kernel built like ND4J's (SASS for sm_86 only, no PTX) launched on GPU 0, and
#      the same kernel with PTX, to show what the driver does with each.
# Usage: bench/cuda-compat.sh (ND4J_CUDA_ARCHS="sm_80 sm_86" gives the list where the jar is absent)
set -uo pipefail
jar="${ND4J_CUDA_JAR:-$HOME/.m2/repository/org/nd4j/nd4j-cuda-11.6/1.0.0-M2.1/nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar}"
archs="${ND4J_CUDA_ARCHS:-}"
if [[ -n "$archs" ]]; then
  echo "libnd4jcuda.so architectures as given in ND4J_CUDA_ARCHS: $archs"
elif [[ -f "$jar" ]]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  unzip -q -o "$jar" 'org/nd4j/linalg/jcublas/bindings/linux-x86_64/libnd4jcuda.so' -d "$tmp"
  archs=$(python3 - "$tmp/org/nd4j/linalg/jcublas/bindings/linux-x86_64/libnd4jcuda.so" <<'PY'
import struct, sys, collections
# ELF section table -> .nv_fatbin; fatbin: header {magic 0xBA55ED50, u16 version, u16 header size, u64 size},
# then entries {u16 kind (1 PTX, 2 ELF/SASS), u16, u32 header size, u64 payload size, ..., u32 arch at +28}.
f = open(sys.argv[1], 'rb'); elf = f.read(64)
shoff, = struct.unpack_from('<Q', elf, 0x28); shentsize, shnum, shstrndx = struct.unpack_from('<HHH', elf, 0x3A)
f.seek(shoff); sh = f.read(shentsize * shnum)
sec = lambda i: struct.unpack_from('<IIQQQQ', sh, i * shentsize)
f.seek(sec(shstrndx)[4]); names = f.read(sec(shstrndx)[5])
found = collections.Counter()
for i in range(shnum):
    name_off, _, _, _, off, size = sec(i)
    if names[name_off:names.index(b'\0', name_off)] != b'.nv_fatbin':
        continue
    f.seek(off); data = f.read(size); pos = 0
    while pos + 16 <= len(data):
        magic, _, hs, fs = struct.unpack_from('<IHHQ', data, pos)
        if magic != 0xBA55ED50:
            pos += 8; continue
        p, end = pos + hs, pos + hs + fs
        while p < end:
            kind, _, ehs, psize = struct.unpack_from('<HHIQ', data, p)
            found[('ptx' if kind == 1 else 'sm', struct.unpack_from('<I', data, p + 28)[0])] += 1
            p += ehs + psize
        pos = end
print(' '.join(f'{k}_{a}' for k, a in sorted(found, key=lambda t: (t[1], t[0]))))
PY
)
  echo "libnd4jcuda.so (ND4J 1.0.0-M2.1, CUDA 11.6) carries: $archs"
else
  echo "libnd4jcuda.so: $jar not found (build with -Pcuda first to read its architectures)"
fi
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=index,name,compute_cap,driver_version,memory.total --format=csv,noheader | while IFS=, read -r i name cap driver mem; do
    cc="sm_${cap//[ .]/}"
    verdict="unknown (architectures not read)"
    if [[ -n "$archs" ]]; then
      if [[ " $archs " == *" $cc "* ]]; then verdict="supported (SASS for $cc)";
      elif [[ "$archs" == *ptx_* ]]; then verdict="only through PTX JIT";
      else verdict="NOT supported: no SASS for $cc and no PTX to compile"; fi
    fi
    echo "GPU $i:$name, compute capability$cap ($cc), driver$driver,$mem: $verdict"
  done
else
  echo "no nvidia-smi: no NVIDIA GPU here"
fi
if command -v nvcc >/dev/null && command -v nvidia-smi >/dev/null; then
  probe=$(mktemp -d)
  cat >"$probe/probe.cu" <<'CU'
#include <cstdio>
__global__ void add(float *x) { x[threadIdx.x] += 1.0f; }
int main() {
  float *x; cudaMalloc(&x, 32 * sizeof(float)); cudaMemset(x, 0, 32 * sizeof(float));
  add<<<1, 32>>>(x); cudaError_t e = cudaDeviceSynchronize(); if (e == cudaSuccess) e = cudaGetLastError();
  float h = -1; cudaMemcpy(&h, x, sizeof(float), cudaMemcpyDeviceToHost);
  printf("%s (x[0] = %.0f)\n", e == cudaSuccess ? "ran" : cudaGetErrorString(e), h); return e == cudaSuccess ? 0 : 1;
}
CU
  nvcc -o "$probe/sass86" -gencode arch=compute_86,code=sm_86 "$probe/probe.cu" \
    && echo "probe, SASS sm_86 only (as libnd4jcuda.so): $("$probe/sass86")"
  nvcc -o "$probe/ptx86" -gencode arch=compute_86,code=compute_86 "$probe/probe.cu" \
    && echo "probe, PTX compute_86 (JIT by the driver): $("$probe/ptx86")"
  rm -rf "$probe"
fi
