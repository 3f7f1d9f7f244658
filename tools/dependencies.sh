# shellcheck shell=bash
# The Debian packages ctnn's tools need, sourced by tools/demo and tools/test:
#   CTNN_DEMO_DEPENDENCIES   what tools/demo needs to build and run the XOR example
#   CTNN_DEPENDENCIES        what tools/test needs: the demo's and everything the test legs use
#   ctnn_ensure_dependencies [PACKAGE...]   install what is missing (as root), or print the command
#                                           and fail; default: CTNN_DEPENDENCIES
# Set CTNN_SKIP_DEPENDENCY_CHECK=1 to skip the check (e.g. on a non-Debian system).

# tools/demo configures with the tests, the firmware and ONNX off: CMake then looks for Boost's
# headers and zlib (the examples' CMakeLists.txt asks for it, for the Fashion-MNIST example) and
# nothing else.
CTNN_DEMO_DEPENDENCIES=(
    cmake ninja-build       # build system (CMakePresets.json needs cmake >= 3.25)
    g++                     # GCC 12
    libboost-dev            # Boost.Hana (the library's one dependency)
    zlib1g-dev              # zlib, which configuring the examples requires
)

CTNN_DEPENDENCIES=(
    "${CTNN_DEMO_DEPENDENCIES[@]}"
    clang clang-16          # Clang 14 and Clang 16 legs
    libboost-test-dev       # Boost.Test (the unit tests)
    python3-torch python3-numpy   # PyTorch reference values and weight import
    libbenchmark-dev        # Google Benchmark (benchmark/)
    gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm   # firmware: Cortex-M cross builds, run under QEMU
    dataset-fashion-mnist   # the Fashion-MNIST example's data (IDX files)
    libonnx-dev libprotobuf-dev python3-onnx   # ONNX import and export (ctnn::onnx, ctnn-import) and their tests
)

# The peers of the run-time benchmark and its chart, needed by tools/benchmark only: libtorch-dev
# adds 44 MB (2 MB download) to the libtorch that python3-torch already installs, but compiling
# against it takes about 2 minutes, so the test legs do without (benchmark/ skips missing peers).
CTNN_BENCHMARK_DEPENDENCIES=(libeigen3-dev libfann-dev libtorch-dev gnuplot-nox)

ctnn_missing_dependencies() { # [PACKAGE...]
    local package
    for package in "$@"; do
        if [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]]; then
            printf '%s\n' "$package"
        fi
    done
}

ctnn_ensure_dependencies() {
    if [[ "${CTNN_SKIP_DEPENDENCY_CHECK:-0}" == 1 ]]; then
        return 0
    fi
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "ctnn: not a Debian-based system; install the equivalents of these packages yourself:" >&2
        echo "  ${*:-${CTNN_DEPENDENCIES[*]}}" >&2
        echo "  (then set CTNN_SKIP_DEPENDENCY_CHECK=1)" >&2
        return 1
    fi
    local packages=("$@")
    ((${#packages[@]})) || packages=("${CTNN_DEPENDENCIES[@]}")
    local missing
    mapfile -t missing < <(ctnn_missing_dependencies "${packages[@]}")
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    local command=(apt-get install -y --no-install-recommends "${missing[@]}")
    if [[ "$(id -u)" != 0 ]]; then
        echo "ctnn: missing Debian packages: ${missing[*]}" >&2
        echo "ctnn: install them as root, then run this again:" >&2
        echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive ${command[*]}" >&2
        return 1
    fi
    echo "ctnn: installing missing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # A stale third-party source must not stop the install from Debian's own archive.
    apt-get update </dev/null || echo "ctnn: apt-get update reported errors; trying the install anyway" >&2
    "${command[@]}" </dev/null
    missing=()
    mapfile -t missing < <(ctnn_missing_dependencies "${packages[@]}")
    if ((${#missing[@]} != 0)); then
        echo "ctnn: still missing after apt-get install: ${missing[*]}" >&2
        return 1
    fi
}
