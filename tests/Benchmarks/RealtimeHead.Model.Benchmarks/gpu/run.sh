#!/usr/bin/env bash
# Runs the S3D-NeRF render benchmark on a GPU machine that has Python with a CUDA PyTorch (and its C++ headers) but no
# .NET: builds the libtorch shim from the sources a publish carries (native/) against that PyTorch, then runs the
# self-contained benchmark on it. See ../README.md ("On a GPU machine").
#
#   gpu/run.sh PUBLISHED_DIR [benchmark arguments...]
#
# Without benchmark arguments it runs tiny and paper at batch 1, 4, 8 on cuda, once in fp32 and once in bf16.
# Environment: PYTHON (default python3), RH_SHIM_BUILD (default PUBLISHED_DIR/native/build), RH_SHIM_CMAKE (default
# cmake; empty = compile with g++ directly).
set -euo pipefail

app=${1:?usage: $0 PUBLISHED_DIR [benchmark arguments...]}
shift
app=$(cd "$app" && pwd)
python=${PYTHON:-python3}
build=${RH_SHIM_BUILD:-$app/native/build}
cmake_tool=${RH_SHIM_CMAKE-cmake}
[ -x "$app/RealtimeHead.Model.Benchmarks" ] || { echo "$app has no RealtimeHead.Model.Benchmarks: publish it first (README)" >&2; exit 1; }
[ -f "$app/native/CMakeLists.txt" ] || { echo "$app/native/ has no shim sources: publish it with this project's csproj (README)" >&2; exit 1; }

# What this machine's PyTorch is, and where its C++ side lives.
"$python" - <<'PY'
import torch
print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, available: {torch.cuda.is_available()}", flush=True)
for i in range(torch.cuda.device_count()):
    print(f"  cuda:{i} {torch.cuda.get_device_name(i)}", flush=True)
PY
prefix=$("$python" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')
torch_lib=$("$python" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')

# The shim: CMake when the machine has it (as `dotnet build -p:TorchCMakePrefixPath=...` would run it), else the same
# three sources straight through g++ with the flags PyTorch reports.
mkdir -p "$build"
if [ ! -f "$build/libRealtimeHeadTorchNative.so" ] || [ -n "$(find "$app/native" -maxdepth 1 -newer "$build/libRealtimeHeadTorchNative.so" -type f)" ]; then
    if [ -n "$cmake_tool" ] && command -v "$cmake_tool" >/dev/null 2>&1; then
        "$cmake_tool" -S "$app/native" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >"$build/configure.log" 2>&1 \
            || { cat "$build/configure.log" >&2; exit 1; }
        "$cmake_tool" --build "$build" -j "$(nproc)"
    else
        echo "no cmake: compiling the shim with g++ directly" >&2
        read -r std abi includes < <("$python" - <<'PY'
import torch
from torch.utils.cpp_extension import include_paths
major, minor = (int(x) for x in torch.__version__.split("+")[0].split(".")[:2])
print("c++20" if (major, minor) >= (2, 12) else "c++17", int(torch._C._GLIBCXX_USE_CXX11_ABI), " ".join("-I" + p for p in include_paths()))
PY
)
        cuda_libs=()
        [ -f "$torch_lib/libtorch_cuda.so" ] && cuda_libs=(-ltorch_cuda -lc10_cuda)
        # --no-as-needed: the shim calls nothing in libtorch_cuda directly, but loading it is what registers CUDA.
        # shellcheck disable=SC2086
        g++ -O2 -std="$std" -shared -fPIC -fvisibility=hidden -D_GLIBCXX_USE_CXX11_ABI="$abi" $includes -I"$app/native" \
            "$app"/native/*.cpp -o "$build/libRealtimeHeadTorchNative.so" \
            -L"$torch_lib" -Wl,--no-as-needed -ltorch "${cuda_libs[@]}" -ltorch_cpu -lc10 -Wl,--as-needed -Wl,-rpath,"$torch_lib"
    fi
fi

export RH_TORCH_NATIVE=$build/libRealtimeHeadTorchNative.so
export LD_LIBRARY_PATH=$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export OMP_WAIT_POLICY=PASSIVE
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
if [ $# -gt 0 ]; then
    exec "$app/RealtimeHead.Model.Benchmarks" "$@"
fi
for precision in fp32 bf16; do
    "$app/RealtimeHead.Model.Benchmarks" --device cuda --precision "$precision" --presets tiny,paper --batches 1,4,8 --threads 4
    echo
done
