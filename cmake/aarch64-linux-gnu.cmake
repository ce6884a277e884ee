# Cross build for arm64 (aarch64) on a Debian x86-64 host with multiarch:
#   apt-get install gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libbpf-dev:arm64 ...
#   cmake -S . -B build-arm64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
# (scripts/setup.sh --arch arm64 does both). The BPF objects are built by the host's
# clang for -target bpf with -D__TARGET_ARCH_arm64 and vmlinux/arm64 (BpfObject.cmake);
# bpftool, python3 and clang are the host's. With qemu-aarch64-static, ctest runs the
# unit tests under it (CMAKE_CROSSCOMPILING_EMULATOR).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Debian multiarch: the arm64 libraries are in /usr/lib/aarch64-linux-gnu of this root
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

find_program(NNP_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(NNP_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${NNP_QEMU_AARCH64})
endif()
