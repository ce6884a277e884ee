// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* elf_sym against readelf/objdump, and against the code a library really has in memory. */
#include <dlfcn.h>
#include <link.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf_priv.h"
#include "elf_sym.h"
#include "fixtures/test_util.h"

#define LIB FIXTURE("libnnpfix.so")
#define CXX FIXTURE("libnnpfixcxx.so")
#define CXX_STRIPPED FIXTURE("libnnpfixcxx_stripped.so")
#define EXE FIXTURE("nnpfix_exe")
#define EXE_RPATH FIXTURE("nnpfix_exe_rpath")
#define EXE_STRIPPED FIXTURE("nnpfix_exe_stripped")
#define MAX_HITS 64

struct hits {
	int n;
	struct {
		char name[512];
		char demangled[512];
		uint64_t vaddr, size, off;
	} s[MAX_HITS];
};

static int collect(const struct nnp_sym *sym, void *ctx)
{
	struct hits *h = ctx;

	assert_true(h->n < MAX_HITS);
	snprintf(h->s[h->n].name, sizeof(h->s[0].name), "%s", sym->name);
	snprintf(h->s[h->n].demangled, sizeof(h->s[0].demangled), "%s",
		 sym->demangled ? sym->demangled : "");
	h->s[h->n].vaddr = sym->vaddr;
	h->s[h->n].size = sym->size;
	h->s[h->n].off = sym->file_off;
	h->n++;
	return 0;
}

static struct nnp_elf *open_ok(const char *path)
{
	struct nnp_elf *e = NULL;

	assert_int_equal(nnp_elf_open(path, &e), 0);
	assert_non_null(e);
	assert_string_equal(nnp_elf_path(e), path);
	return e;
}

/* matches pattern, checks the count matches what the callback saw */
static int match(struct nnp_elf *e, const char *pattern, struct hits *h)
{
	int n;

	memset(h, 0, sizeof(*h));
	n = nnp_elf_match(e, pattern, collect, h);
	assert_int_equal(n, h->n);
	return n;
}

static void test_open_errors(void **state)
{
	char tmp[] = "/tmp/nnp_elf_XXXXXX";
	struct nnp_elf *e = (struct nnp_elf *)1;
	int fd;

	(void)state;
	assert_int_equal(nnp_elf_open(FIXTURE("no-such-file"), &e), -ENOENT);
	assert_null(e);
	assert_int_equal(nnp_elf_open(NNP_FIXTURE_DIR, &e), -ENOEXEC);
	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	assert_int_equal(nnp_elf_open(tmp, &e), -ENOEXEC); /* empty */
	assert_int_equal(write(fd, "#!/bin/sh\necho not elf\n", 23), 23);
	assert_int_equal(nnp_elf_open(tmp, &e), -ENOEXEC);
	/* an ELF header cut short */
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(pwrite(fd, "\177ELF\2\1\1", 7, 0), 7);
	assert_int_equal(nnp_elf_open(tmp, &e), -ENOEXEC);
	close(fd);
	unlink(tmp);
}

static void test_exact_c_match(void **state)
{
	struct nnp_elf *e = open_ok(LIB);
	struct hits h;

	(void)state;
	assert_int_equal(match(e, "nnp_fixture_beta", &h), 1);
	assert_string_equal(h.s[0].name, "nnp_fixture_beta");
	assert_string_equal(h.s[0].demangled, "");
	assert_int_equal(h.s[0].vaddr, tu_sym_value(LIB, "nnp_fixture_beta"));
	assert_int_equal(h.s[0].off, tu_objdump_offset(LIB, "nnp_fixture_beta"));
	assert_true(h.s[0].size > 0);
	/* local to the file: only .symtab has it */
	assert_int_equal(match(e, "nnp_fixture_static", &h), 1);
	assert_int_equal(h.s[0].vaddr, tu_sym_value(LIB, "nnp_fixture_static"));
	/* an ifunc is probed at its resolver, which is what st_value holds */
	assert_int_equal(match(e, "nnp_fixture_gamma", &h), 1);
	assert_int_equal(h.s[0].vaddr, tu_sym_value(LIB, "nnp_fixture_gamma"));
	nnp_elf_close(e);
}

static void test_aliases_once(void **state)
{
	struct nnp_elf *e = open_ok(LIB);
	struct hits h;
	int i, j;

	(void)state;
	assert_int_equal(match(e, "nnp_fixture_alias", &h), 1);
	assert_string_equal(h.s[0].name, "nnp_fixture_alias");
	assert_int_equal(h.s[0].vaddr, tu_sym_value(LIB, "nnp_fixture_alpha"));
	/* alpha and its alias, each in two tables: one address, one callback */
	assert_int_equal(match(e, "nnp_fixture_alp*", &h), 1);
	assert_int_equal(match(e, "nnp_fixture_*", &h), tu_count_glob(LIB, "nnp_fixture_*"));
	assert_int_equal(h.n, 4); /* alpha/alias, beta, static, gamma */
	for (i = 0; i < h.n; i++)
		for (j = i + 1; j < h.n; j++)
			assert_true(h.s[i].vaddr != h.s[j].vaddr);
	assert_int_equal(match(e, "nnp_fixture_[ab]*", &h), 2);
	assert_int_equal(match(e, "nnp_fixture_bet?", &h), 1);
	nnp_elf_close(e);
}

static int stop_at_first(const struct nnp_sym *sym, void *ctx)
{
	(void)sym;
	(*(int *)ctx)++;
	return 1;
}

static void test_no_match_and_stop(void **state)
{
	struct nnp_elf *e = open_ok(CXX);
	struct hits h;
	int calls = 0;

	(void)state;
	assert_int_equal(match(e, "nnp_fixture_none", &h), 0);
	assert_int_equal(match(e, "ns::Widget::nothing", &h), 0);
	assert_int_equal(match(e, "ns::Widget::run(long)", &h), 0);
	/* a pattern matches whole names only */
	assert_int_equal(match(e, "Widget::run", &h), 0);
	assert_int_equal(match(e, "nnp_cxx", &h), 0);
	assert_int_equal(nnp_elf_match(e, "ns::Widget::*", stop_at_first, &calls), 1);
	assert_int_equal(calls, 1);
	assert_int_equal(nnp_elf_match(e, "", collect, &h), -EINVAL);
	/* counting without a callback */
	assert_int_equal(nnp_elf_match(e, "ns::Widget::*", NULL, NULL), 3);
	nnp_elf_close(e);
}

static void test_cxx_names(void **state)
{
	struct nnp_elf *e = open_ok(CXX);
	struct hits h;

	(void)state;
	assert_int_equal(match(e, "_ZN2ns6Widget3runEi", &h), 1);
	assert_string_equal(h.s[0].demangled, "ns::Widget::run(int)");
	assert_int_equal(h.s[0].vaddr, tu_sym_value(CXX, "_ZN2ns6Widget3runEi"));
	assert_int_equal(match(e, "ns::Widget::run(int)", &h), 1);
	assert_string_equal(h.s[0].name, "_ZN2ns6Widget3runEi");
	assert_int_equal(match(e, "ns::Widget::run(double) const", &h), 1);
	assert_string_equal(h.s[0].name, "_ZNK2ns6Widget3runEd");
	/* without parameters both overloads, the const one included */
	assert_int_equal(match(e, "ns::Widget::run", &h), 2);
	assert_int_equal(h.s[0].vaddr, tu_sym_value(CXX, "_ZN2ns6Widget3runEi"));
	assert_int_equal(h.s[1].vaddr, tu_sym_value(CXX, "_ZNK2ns6Widget3runEd"));
	assert_int_equal(match(e, "ns::Widget::helper", &h), 1);
	assert_int_equal(h.s[0].off, tu_objdump_offset(CXX, "_ZN2ns6Widget6helperEi"));
	/* template functions print a return type, which the short form drops */
	assert_int_equal(match(e, "ns::twice<int>", &h), 1);
	assert_string_equal(h.s[0].demangled, "int ns::twice<int>(int)");
	assert_int_equal(match(e, "ns::twice*", &h), 2);
	assert_int_equal(match(e, "*twice*", &h), 2);
	assert_int_equal(match(e, "ns::(anonymous namespace)::hidden", &h), 1);
	assert_int_equal(match(e, "ns::Widget::*", &h), 3);
	/* a C++ function in no namespace, by its plain name */
	assert_int_equal(match(e, "nnp_cxx_free", &h), 1);
	assert_string_equal(h.s[0].name, "_Z12nnp_cxx_freei");
	assert_int_equal(match(e, "nnp_cxx_c_entry", &h), 1);
	assert_string_equal(h.s[0].demangled, "");
	nnp_elf_close(e);
}

static void test_stripped(void **state)
{
	struct nnp_elf *full = open_ok(CXX), *dyn = open_ok(CXX_STRIPPED), *exe;
	struct hits a, b;
	int i;

	(void)state;
	assert_int_equal(nnp_elf_is_stripped(full), 0);
	assert_int_equal(nnp_elf_is_stripped(dyn), 0);
	assert_int_equal(tu_sym_value(CXX_STRIPPED, "_ZN2ns12_GLOBAL__N_16hiddenEi"), 0);
	assert_int_equal(match(full, "ns::Widget::run", &a), 2);
	assert_int_equal(match(dyn, "ns::Widget::run", &b), 2);
	for (i = 0; i < 2; i++) {
		assert_string_equal(a.s[i].name, b.s[i].name);
		assert_int_equal(a.s[i].off, b.s[i].off);
	}
	/* local functions live in .symtab only */
	assert_int_equal(match(full, "ns::(anonymous namespace)::hidden", &a), 1);
	assert_int_equal(match(dyn, "ns::(anonymous namespace)::hidden", &b), 0);
	nnp_elf_close(full);
	nnp_elf_close(dyn);
	exe = open_ok(EXE_STRIPPED);
	assert_int_equal(nnp_elf_is_stripped(exe), 1);
	assert_int_equal(nnp_elf_match(exe, "*", NULL, NULL), 0);
	nnp_elf_close(exe);
}

/* in the non-PIE executable code sits at 0x401000 and file offset 0x1000 */
static void test_offsets(void **state)
{
	struct nnp_elf *e = open_ok(EXE);
	uint64_t v, off;
	struct hits h;
	int i;

	(void)state;
	assert_int_equal(match(e, "main", &h), 1);
	assert_int_equal(h.s[0].vaddr, tu_sym_value(EXE, "main"));
	assert_int_equal(h.s[0].off, tu_objdump_offset(EXE, "main"));
	assert_true(h.s[0].off != h.s[0].vaddr);
	nnp_elf_close(e);
	e = open_ok(CXX);
	assert_true(match(e, "*", &h) >= 7);
	for (i = 0; i < h.n; i++) {
		assert_int_equal(nnp_elf_vaddr_to_off(e, h.s[i].vaddr, &off), 0);
		assert_int_equal(off, h.s[i].off);
		assert_int_equal(nnp_elf_off_to_vaddr(e, h.s[i].off, &v), 0);
		assert_int_equal(v, h.s[i].vaddr);
		assert_true(h.s[i].off != h.s[i].vaddr);
	}
	assert_int_equal(nnp_elf_vaddr_to_off(e, 0x10, &off), -ENOENT);
	assert_int_equal(nnp_elf_off_to_vaddr(e, 1ull << 40, &v), -ENOENT);
	nnp_elf_close(e);
}

/* a cut copy (a file still being written, a hostile one) holds no code past its end */
static void test_truncated_file(void **state)
{
	uint64_t vaddr = tu_sym_value(LIB, "nnp_fixture_beta"), off, v;
	uint64_t cut = tu_objdump_offset(LIB, "nnp_fixture_beta");
	char tmp[] = "/tmp/nnp_elf_XXXXXX", *buf = malloc(cut);
	struct nnp_elf *e;
	int fd = mkstemp(tmp), in = open(LIB, O_RDONLY);

	(void)state;
	assert_true(fd >= 0 && in >= 0 && buf);
	assert_int_equal(read(in, buf, cut), (ssize_t)cut);
	assert_int_equal(write(fd, buf, cut), (ssize_t)cut);
	e = open_ok(tmp);
	/* PT_LOAD still says the segment goes on: only the bytes the file has map */
	assert_int_equal(nnp_elf_vaddr_to_off(e, vaddr - 1, &off), 0);
	assert_int_equal(off, cut - 1);
	assert_int_equal(nnp_elf_vaddr_to_off(e, vaddr, &off), -ENOENT);
	assert_int_equal(nnp_elf_off_to_vaddr(e, cut, &v), -ENOENT);
	nnp_elf_close(e);
	free(buf);
	close(in);
	close(fd);
	unlink(tmp);
}

static void test_sym_at(void **state)
{
	struct nnp_elf *e = open_ok(CXX);
	uint64_t run = tu_sym_value(CXX, "_ZNK2ns6Widget3runEd");
	struct nnp_sym s;

	(void)state;
	assert_int_equal(nnp_elf_sym_at(e, run + 1, &s), 0);
	assert_string_equal(s.name, "_ZNK2ns6Widget3runEd");
	assert_string_equal(s.demangled, "ns::Widget::run(double) const");
	assert_int_equal(s.vaddr, run);
	assert_int_equal(nnp_elf_sym_at(e, run, NULL), 0);
	assert_int_equal(nnp_elf_sym_at(e, 0x10, &s), -ENOENT);
	assert_int_equal(nnp_elf_sym_at(NULL, run, &s), -ENOENT);
	/* past the end of the last function */
	assert_int_equal(nnp_elf_sym_at(e, 1ull << 40, &s), -ENOENT);
	nnp_elf_close(e);
}

/* the code at file_off is the code the dynamic linker put at the symbol */
static void assert_code_at(const char *path, void *handle, const char *sym, uint64_t off)
{
	unsigned char buf[16];
	void *addr = dlsym(handle, sym);
	int fd = open(path, O_RDONLY);

	assert_non_null(addr);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, sizeof(buf), (off_t)off), sizeof(buf));
	assert_memory_equal(buf, addr, sizeof(buf));
	close(fd);
}

static void test_offsets_hold_the_code(void **state)
{
	static const char *const names[] = { "_ZN2ns6Widget3runEi", "_ZNK2ns6Widget3runEd",
					     "nnp_cxx_c_entry", "_Z12nnp_cxx_freei" };
	void *h = dlopen(CXX_STRIPPED, RTLD_NOW | RTLD_LOCAL);
	struct nnp_elf *e = open_ok(CXX_STRIPPED);
	struct hits hits;
	size_t i;

	(void)state;
	assert_non_null(h);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(match(e, names[i], &hits), 1);
		assert_code_at(CXX_STRIPPED, h, names[i], hits.s[0].off);
	}
	nnp_elf_close(e);
	dlclose(h);
}

static void test_build_id(void **state)
{
	const char *files[] = { LIB, CXX, EXE };
	struct nnp_elf *e;
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		e = open_ok(files[i]);
		tu_build_id(files[i], want, sizeof(want));
		assert_true(strlen(want) >= 16);
		assert_non_null(nnp_elf_build_id(e));
		assert_string_equal(nnp_elf_build_id(e), want);
		nnp_elf_close(e);
	}
}

struct names {
	int n;
	char v[16][256];
};

static int add_name(const char *name, void *ctx)
{
	struct names *l = ctx;

	assert_true(l->n < 16);
	snprintf(l->v[l->n++], sizeof(l->v[0]), "%s", name);
	return 0;
}

/* DT_NEEDED in order, as readelf -d prints them */
static void readelf_needed(const char *file, struct names *l)
{
	char *txt = tu_run("readelf -dW '%s'", file), *p = txt;

	memset(l, 0, sizeof(*l));
	while ((p = strstr(p, "Shared library: ["))) {
		p += strlen("Shared library: [");
		snprintf(l->v[l->n++], sizeof(l->v[0]), "%.*s", (int)strcspn(p, "]"), p);
	}
	free(txt);
}

static void assert_needed(const char *file)
{
	struct nnp_elf *e = open_ok(file);
	struct names got = { 0 }, want;
	int i;

	readelf_needed(file, &want);
	assert_int_equal(nnp_elf_needed_foreach(e, add_name, &got), 0);
	assert_int_equal(got.n, want.n);
	for (i = 0; i < got.n; i++)
		assert_string_equal(got.v[i], want.v[i]);
	nnp_elf_close(e);
}

static int stop_needed(const char *soname, void *ctx)
{
	(void)soname;
	(*(int *)ctx)++;
	return 1;
}

static void test_dynamic(void **state)
{
	struct nnp_elf *e = open_ok(EXE);
	struct names l = { 0 };
	int calls = 0;

	(void)state;
	assert_int_equal(nnp_elf_needed_foreach(e, add_name, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0], "libnnpfix.so");
	assert_string_equal(l.v[1], "libc.so.6");
	assert_needed(EXE);
	assert_needed(LIB);
	assert_needed(CXX);
	assert_needed("/bin/sh");
	assert_int_equal(nnp_elf_needed_foreach(e, stop_needed, &calls), 0);
	assert_int_equal(calls, 1);
	assert_string_equal(nnp_elf_runpath(e), "$ORIGIN");
	nnp_elf_close(e);
	e = open_ok(EXE_RPATH);
	assert_string_equal(nnp_elf_runpath(e), "$ORIGIN");
	nnp_elf_close(e);
	e = open_ok(LIB);
	assert_null(nnp_elf_runpath(e));
	nnp_elf_close(e);
}

static int add_probe(const char *provider, const char *name, void *ctx)
{
	char both[256];

	snprintf(both, sizeof(both), "%s:%s", provider, name);
	return add_name(both, ctx);
}

static void test_usdt(void **state)
{
	char *txt = tu_run("readelf -n '%s'", EXE), *p = txt;
	struct nnp_elf *e = open_ok(EXE);
	struct names got = { 0 }, want = { 0 };
	char prov[128], name[128];
	int i;

	(void)state;
	while ((p = strstr(p, "Provider: "))) {
		assert_int_equal(sscanf(p, "Provider: %127s Name: %127s", prov, name), 2);
		snprintf(want.v[want.n++], sizeof(want.v[0]), "%s:%s", prov, name);
		p++;
	}
	free(txt);
	assert_int_equal(nnp_elf_usdt_foreach(e, add_probe, &got), 0);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.n, want.n);
	for (i = 0; i < got.n; i++)
		assert_string_equal(got.v[i], want.v[i]);
	assert_int_equal(nnp_elf_has_usdt(e, "nnperf"), 1);
	assert_int_equal(nnp_elf_has_usdt(e, "nnperf_other"), 1);
	assert_int_equal(nnp_elf_has_usdt(e, "nnperf_none"), 0);
	nnp_elf_close(e);
	e = open_ok(LIB);
	assert_int_equal(nnp_elf_has_usdt(e, "nnperf"), 0);
	nnp_elf_close(e);
}

static void test_demangle(void **state)
{
	char *d;

	(void)state;
	d = nnp_demangle("_ZN2ns6Widget3runEi");
	assert_non_null(d);
	assert_string_equal(d, "ns::Widget::run(int)");
	free(d);
	/* C names stay C names, even those that read as mangled types */
	assert_null(nnp_demangle("f"));
	assert_null(nnp_demangle("main"));
	assert_null(nnp_demangle("_Zgarbage"));
	assert_null(nnp_demangle(NULL));
}

/* the form users type: no return type, parameters, qualifiers or ABI tags */
static void test_short_names(void **state)
{
	static const struct {
		const char *mangled, *base;
	} cases[] = {
		{ "_ZN2ns6Widget3runEi", "ns::Widget::run" },
		{ "_ZNK2ns6Widget3runEd", "ns::Widget::run" },
		{ "_ZN2ns5twiceIiEET_S1_", "ns::twice<int>" },
		{ "_ZStlsISt11char_traitsIcEERSt13basic_ostreamIcT_ES5_PKc",
		  "std::operator<< <std::char_traits<char> >" },
		{ "_ZNKSt4lessIvEclIiiEEDTltclsr3stdE7forwardIT_Efp_Eclsr3stdE7forwardIT0_Efp0_E"
		  "EOS2_OS3_",
		  "std::less<void>::operator()<int, int>" },
		{ "_ZZ4mainENKUlvE_clEv", "main::{lambda()#1}::operator()" },
		{ "_ZNK3FoocvbEv", "Foo::operator bool" },
		{ "_Znwm", "operator new" },
		{ "_ZdaPv", "operator delete[]" },
		{ "_ZNSt6vectorIiSaIiEEixEm",
		  "std::vector<int, std::allocator<int> >::operator[]" },
		{ "_ZN4llvm10LineEditor21getDefaultHistoryPathB5cxx11ENS_9StringRefE",
		  "llvm::LineEditor::getDefaultHistoryPath" },
		{ "_ZNKSt7__cxx1115basic_stringbufIcSt11char_traitsIcESaIcEE3strEv",
		  "std::__cxx11::basic_stringbuf<char, std::char_traits<char>, "
		  "std::allocator<char> >::str" },
		/* compiler-made copies are not the function a user names */
		{ "_ZN2ns6Widget3runEi.cold", NULL },
		{ "_ZN2ns6Widget3runEi.constprop.0", NULL },
		/* " ()": a hostile library's name of one space has no short form (was "") */
		{ "_Z1 v", NULL },
	};
	const char *base;
	size_t i;
	char *dem;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(nnp_demangle_full(cases[i].mangled, &dem, &base), 0);
		assert_non_null(dem);
		if (cases[i].base)
			assert_string_equal(base, cases[i].base);
		else
			assert_null(base);
		free(dem);
	}
	assert_int_equal(nnp_demangle_full("nnp_fixture_alpha", &dem, &base), 0);
	assert_null(dem);
	assert_null(base);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* libstdc++ as loaded in this process: names, abbreviations (St), real code */
static void test_real_library(void **state)
{
	static const char *const patterns[] = {
		"std::terminate",
		"__cxa_throw",
		"std::__throw_bad_alloc",
		"std::locale::classic",
		"operator new",
		"std::condition_variable::*",
		"__cxa_demangle",
		"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::"
		"reserve",
		"std::__detail::_Prime_rehash_policy::_M_next_bkt(unsigned long) const",
		"*bad_cast*"
	};
	void *lib = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_NOLOAD);
	struct link_map *map = NULL;
	struct nnp_elf *e;
	struct hits h;
	double t0;
	int i, n, total = 0;

	(void)state;
	/* the file itself, not a sanitizer's interceptor of the same name */
	assert_non_null(lib);
	assert_int_equal(dlinfo(lib, RTLD_DI_LINKMAP, &map), 0);
	t0 = now_ms();
	e = open_ok(map->l_name);
	for (i = 0; i < 100; i++) {
		n = match(e, patterns[i % 10], &h);
		assert_true(n >= 1);
		total += n;
	}
	print_message("%s: open + 100 lookups (%d matches) in %.1f ms\n", map->l_name, total,
		      now_ms() - t0);
	assert_int_equal(match(e, "std::terminate", &h), 1);
	assert_string_equal(h.s[0].name, "_ZSt9terminatev");
	assert_code_at(map->l_name, lib, "_ZSt9terminatev", h.s[0].off);
	assert_int_equal(match(e, "__cxa_throw", &h), 1);
	assert_code_at(map->l_name, lib, "__cxa_throw", h.s[0].off);
	nnp_elf_close(e);
	dlclose(lib);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_errors),  cmocka_unit_test(test_exact_c_match),
		cmocka_unit_test(test_aliases_once), cmocka_unit_test(test_no_match_and_stop),
		cmocka_unit_test(test_cxx_names),    cmocka_unit_test(test_stripped),
		cmocka_unit_test(test_offsets),	     cmocka_unit_test(test_truncated_file),
		cmocka_unit_test(test_sym_at),	     cmocka_unit_test(test_offsets_hold_the_code),
		cmocka_unit_test(test_build_id),     cmocka_unit_test(test_dynamic),
		cmocka_unit_test(test_usdt),	     cmocka_unit_test(test_demangle),
		cmocka_unit_test(test_short_names),  cmocka_unit_test(test_real_library),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
