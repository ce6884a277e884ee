/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * nnperf USDT markers for inference runtimes (header-only, C and C++).
 *
 *   #include <nnperf/usdt.h>
 *
 *   NNPERF_INFERENCE_BEGIN(seq);                 // u64 seq: informative only
 *   for each layer:
 *           NNPERF_LAYER_BEGIN(id, name, op);    // id: stable per-layer key (int/u64/pointer)
 *           ...                                  // name, op: const char *, NUL-terminated
 *           NNPERF_LAYER_END(id);
 *   NNPERF_INFERENCE_END(seq);
 *
 * Provider "nnperf", probes inference_begin(seq), inference_end(seq),
 * layer_begin(id, name, op), layer_end(id). nnperf reads arg0 of layer_* as the
 * layer key, arg1 as its name and arg2 as its op type (docs/usdt.md).
 *
 * Each probe is guarded by a USDT semaphore: the kernel increments it while a
 * tracer is attached, so an untraced marker costs one load and a not-taken
 * branch and its arguments are not evaluated. The semaphores are defined here,
 * weak and hidden, so every executable or shared object that includes this
 * header gets exactly one copy of each and needs no extra source file.
 *
 * On x86-64 each marker is the 5-byte nop `nopl 0x0(%rax,%rax,1)` (0f 1f 44 00 00)
 * instead of sys/sdt.h's 1-byte nop: the note is the same standard stapsdt note
 * (bpftrace, bcc, libbpf and nnperf attach to it alike), and kernels from 6.18
 * turn a uprobe on that nop into a call to a trampoline that enters the kernel
 * by a syscall instead of a trap (about 160 ns a hit instead of 370 here;
 * docs/usdt.md). Older kernels emulate it like any nop. The change applies to
 * every sys/sdt.h marker of the files that include this header after it.
 * Define NNPERF_USDT_NOP1 to keep sys/sdt.h's 1-byte nop.
 *
 * Define NNPERF_DISABLE_USDT to compile every marker out.
 */
#ifndef NNPERF_USDT_H
#define NNPERF_USDT_H

#if !defined(NNPERF_DISABLE_USDT) && defined(__has_include)
#if !__has_include(<sys/sdt.h>)
#error "nnperf/usdt.h needs <sys/sdt.h> (Debian: systemtap-sdt-dev); or define NNPERF_DISABLE_USDT"
#endif
#endif

#ifdef NNPERF_DISABLE_USDT

#define NNPERF_ENABLED(name) 0
/* Arguments stay type-checked but are never evaluated. */
#define NNPERF_INFERENCE_BEGIN(seq)                                                                \
	do {                                                                                       \
		if (0)                                                                             \
			(void)(seq);                                                               \
	} while (0)
#define NNPERF_INFERENCE_END(seq) NNPERF_INFERENCE_BEGIN(seq)
#define NNPERF_LAYER_BEGIN(id, name, op)                                                           \
	do {                                                                                       \
		if (0) {                                                                           \
			(void)(id);                                                                \
			(void)(name);                                                              \
			(void)(op);                                                                \
		}                                                                                  \
	} while (0)
#define NNPERF_LAYER_END(id) NNPERF_INFERENCE_BEGIN(id)

#else /* !NNPERF_DISABLE_USDT */

#if defined(_SYS_SDT_H) && !defined(_SDT_HAS_SEMAPHORES)
#error "include nnperf/usdt.h before <sys/sdt.h>, or define _SDT_HAS_SEMAPHORES 1 first"
#endif
#ifndef _SDT_HAS_SEMAPHORES
#define _SDT_HAS_SEMAPHORES 1
#endif
#include <sys/sdt.h>

/* the 5-byte nop the kernel optimizes (x86_nops[5]); spelled as bytes: a comma
 * would split sys/sdt.h's macro arguments */
#if defined(__x86_64__) && !defined(NNPERF_USDT_NOP1)
#undef _SDT_NOP
#define _SDT_NOP                                                                                   \
	.byte 0x0f;                                                                                \
	.byte 0x1f;                                                                                \
	.byte 0x44;                                                                                \
	.byte 0x00;                                                                                \
	.byte 0x00
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * sys/sdt.h records the address of <provider>_<name>_semaphore in each probe's
 * note; tracers find the semaphores in the ".probes" section. Weak: one copy
 * per DSO however many files include this; hidden: each DSO keeps its own.
 */
#define NNPERF_SEMAPHORE_ATTRS __attribute__((weak, visibility("hidden"), section(".probes")))
NNPERF_SEMAPHORE_ATTRS volatile unsigned short nnperf_inference_begin_semaphore;
NNPERF_SEMAPHORE_ATTRS volatile unsigned short nnperf_inference_end_semaphore;
NNPERF_SEMAPHORE_ATTRS volatile unsigned short nnperf_layer_begin_semaphore;
NNPERF_SEMAPHORE_ATTRS volatile unsigned short nnperf_layer_end_semaphore;

#ifdef __cplusplus
}
#endif

/* True while a tracer is attached to nnperf:<name>, e.g. NNPERF_ENABLED(layer_begin). */
#define NNPERF_ENABLED(name) __builtin_expect(nnperf_##name##_semaphore != 0, 0)

#define NNPERF_INFERENCE_BEGIN(seq)                                                                \
	do {                                                                                       \
		if (NNPERF_ENABLED(inference_begin))                                               \
			STAP_PROBE1(nnperf, inference_begin, (unsigned long long)(seq));           \
	} while (0)
#define NNPERF_INFERENCE_END(seq)                                                                  \
	do {                                                                                       \
		if (NNPERF_ENABLED(inference_end))                                                 \
			STAP_PROBE1(nnperf, inference_end, (unsigned long long)(seq));             \
	} while (0)
#define NNPERF_LAYER_BEGIN(id, name, op)                                                           \
	do {                                                                                       \
		if (NNPERF_ENABLED(layer_begin))                                                   \
			STAP_PROBE3(nnperf, layer_begin, (id), (const char *)(name),               \
				    (const char *)(op));                                           \
	} while (0)
#define NNPERF_LAYER_END(id)                                                                       \
	do {                                                                                       \
		if (NNPERF_ENABLED(layer_end))                                                     \
			STAP_PROBE1(nnperf, layer_end, (id));                                      \
	} while (0)

#endif /* NNPERF_DISABLE_USDT */

#endif /* NNPERF_USDT_H */
