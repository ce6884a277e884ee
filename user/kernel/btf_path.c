// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_path.h"
#include "log.h"

static const char *custom;

int nnp_btf_set(const char *path)
{
	libbpf_print_fn_t print;
	struct btf *btf;
	int fd, err;

	/* open first: "Permission denied" says more than a parse failure */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		nnp_err("--btf %s: %s", path, strerror(-err));
		return err;
	}
	close(fd);
	/* libbpf's own complaint would be a second line */
	print = libbpf_set_print(NULL);
	btf = btf__parse(path, NULL);
	err = btf ? 0 : -EINVAL;
	libbpf_set_print(print);
	if (err) {
		nnp_err("--btf %s: neither raw BTF nor an ELF file with a .BTF section", path);
		return err;
	}
	if (btf__type_cnt(btf) < 2) {
		btf__free(btf);
		nnp_err("--btf %s: holds no types", path);
		return -EINVAL;
	}
	btf__free(btf);
	custom = path;
	return 0;
}

const char *nnp_btf_custom(void)
{
	return custom;
}

const char *nnp_btf_in_use(void)
{
	return custom ? custom : NNP_VMLINUX_BTF;
}
