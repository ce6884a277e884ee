// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Any bytes as the ONNX Runtime sites cache of one build, in a temporary
 * $XDG_CACHE_HOME. A refusal is -errno with one line naming the
 * file, the sites left alone; what is taken must be exactly what
 * nnp_ort_cache_put writes for the offsets it gave, so that no offset comes
 * from bytes nnperf did not write.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_stderr.h"
#include "fuzz_util.h"
#include "ort.h"

#define BUILD_ID "9d2c41e0f6b7a385"

static char dir[64], file[PATH_MAX];

static void put_bytes(const uint8_t *data, size_t size, mode_t mode)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || fchmod(fd, mode))
		abort();
	close(fd);
}

/* get, and one line naming the file for every refusal but a missing file */
static int get(struct nnp_ort_sites *s)
{
	struct fuzz_capture c;
	char said[1024];
	const char *nl;
	int err, captured = !fuzz_capture_begin(&c);

	err = nnp_ort_cache_get(BUILD_ID, s);
	if (!captured)
		return err;
	fuzz_capture_end(&c, said, sizeof(said));
	nl = strchr(said, '\n');
	if (err > 0 || ((!err || err == -ENOENT) && said[0]))
		abort();
	if (err && err != -ENOENT && (!fuzz_contains(said, file) || !nl || nl[1]))
		abort();
	return err;
}

static void cleanup(void)
{
	char path[PATH_MAX + 16];

	unlink(file);
	snprintf(path, sizeof(path), "%s.real", file);
	unlink(path);
	snprintf(path, sizeof(path), "%s/nnperf", dir);
	rmdir(path);
	rmdir(dir);
}

/* what no content can show: the file's kind, owner and mode */
static void self_test(void)
{
	struct nnp_ort_sites s = { 0x43e564, 0x15680b4 }, got = { 0 };
	char real[PATH_MAX + 16];

	if (get(&got) != -ENOENT || nnp_ort_cache_put(BUILD_ID, &s) || get(&got) ||
	    got.run_off != s.run_off || got.kernel_off != s.kernel_off)
		abort();
	if (chmod(file, 0664) || get(&got) != -EPERM || chmod(file, 0644))
		abort(); /* another user may write it */
	snprintf(real, sizeof(real), "%s.real", file);
	if (rename(file, real) || symlink(real, file) || get(&got) != -EPERM)
		abort(); /* a link is not followed, and put replaces it */
	if (nnp_ort_cache_put(BUILD_ID, &s) || get(&got) || unlink(real))
		abort();
	if (unlink(file) || mkdir(file, 0755) || get(&got) != -EINVAL || rmdir(file))
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char sub[PATH_MAX];

	(void)argc;
	(void)argv;
	/* tmpfs: ext4 flushes a file truncated or renamed over on close (auto_da_alloc) */
	snprintf(dir, sizeof(dir), "/dev/shm/nnperf-fuzz-ortcache.XXXXXX");
	if (!mkdtemp(dir)) {
		snprintf(dir, sizeof(dir), "/tmp/nnperf-fuzz-ortcache.XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	setenv("XDG_CACHE_HOME", dir, 1);
	snprintf(sub, sizeof(sub), "%s/nnperf", dir);
	snprintf(file, sizeof(file), "%s/ort-%s", sub, BUILD_ID);
	if (mkdir(sub, 0755))
		abort();
	atexit(cleanup);
	self_test();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nnp_ort_sites s = { 0xdead, 0xbeef };
	uint8_t back[128];
	ssize_t n;
	int fd;

	put_bytes(data, size, 0644);
	if (get(&s)) {
		if (s.run_off != 0xdead || s.kernel_off != 0xbeef)
			abort(); /* left alone */
		return 0;
	}
	if (!s.run_off || nnp_ort_cache_put(BUILD_ID, &s))
		abort();
	fd = open(file, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, back, sizeof(back));
	if (n != (ssize_t)size || memcmp(back, data, size))
		abort(); /* taken only as put writes it */
	close(fd);
	return 0;
}
