# nnp_bpf_object(NAME SOURCE): compile SOURCE for the BPF target with CO-RE and
# generate build/bpf/NAME.skel.h with bpftool; adds the target NAME_skel.
find_program(NNP_CLANG NAMES clang-19 clang-16 clang clang-14 REQUIRED)
find_program(NNP_BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin REQUIRED)

# The target's arch (a cross build's toolchain file sets CMAKE_SYSTEM_PROCESSOR):
# its vmlinux.h, libbpf's __TARGET_ARCH_ (pt_regs layout) and the multiarch include
# directory of its <asm/...> headers, which <linux/errno.h> needs.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(NNP_BPF_ARCH x86)
  set(NNP_MULTIARCH x86_64-linux-gnu)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  set(NNP_BPF_ARCH arm64)
  set(NNP_MULTIARCH aarch64-linux-gnu)
else()
  message(FATAL_ERROR "nnperf: no vmlinux.h for ${CMAKE_SYSTEM_PROCESSOR}")
endif()
if(CMAKE_LIBRARY_ARCHITECTURE)
  set(NNP_MULTIARCH ${CMAKE_LIBRARY_ARCHITECTURE})
endif()
if(NOT EXISTS /usr/include/${NNP_MULTIARCH}/asm)
  message(FATAL_ERROR "nnperf: no /usr/include/${NNP_MULTIARCH}/asm for the BPF objects "
    "(install linux-libc-dev for ${NNP_MULTIARCH})")
endif()
set(NNP_VMLINUX_DIR ${CMAKE_SOURCE_DIR}/vmlinux/${NNP_BPF_ARCH})

function(nnp_bpf_object name src)
  set(out ${CMAKE_BINARY_DIR}/bpf)
  set(obj ${out}/${name}.bpf.o)
  set(skel ${out}/${name}.skel.h)
  file(GLOB bpf_headers ${CMAKE_SOURCE_DIR}/bpf/*.h)
  add_custom_command(OUTPUT ${obj}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out}
    COMMAND ${NNP_CLANG} -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_${NNP_BPF_ARCH}
            -I${NNP_VMLINUX_DIR} -I${CMAKE_SOURCE_DIR}/bpf
            -idirafter /usr/include/${NNP_MULTIARCH}
            -c ${src} -o ${obj}
    DEPENDS ${src} ${bpf_headers} ${NNP_VMLINUX_DIR}/vmlinux.h
    COMMENT "BPF ${name}.bpf.c")
  add_custom_command(OUTPUT ${skel}
    COMMAND ${NNP_BPFTOOL} gen skeleton ${obj} name ${name}_bpf > ${skel}
    DEPENDS ${obj}
    COMMENT "skeleton ${name}.skel.h")
  add_custom_target(${name}_skel DEPENDS ${skel})
endfunction()
