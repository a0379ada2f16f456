/* libFuzzer target: a whole image archive (docker-archive or OCI layout in a
 * tar) through scan_target, as the CLI runs it but with small limits: the
 * outer tar index, manifest/index/config parsing, digest checks, the layer
 * pipeline, the merge and the analyzers. The first byte picks the target
 * prefix (auto, docker-archive:, oci-archive:); the rest is the file. It
 * lives in a memfd and is opened as /proc/self/fd/N, so nothing is written
 * to any filesystem.
 * Seeds: tests/fuzz/corpus/image/. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "scan/scan.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	memfd = memfd_create("bosun-fuzz-image", MFD_CLOEXEC);
	if (memfd < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const char *const prefixes[] = { "", "docker-archive:", "oci-archive:" };
	const char *prefix = prefixes[data[0] % 3];
	if (ftruncate(memfd, 0) != 0 || pwrite(memfd, data + 1, size - 1, 0) != (ssize_t)(size - 1))
		abort();
	char target[64];
	snprintf(target, sizeof target, "%s/proc/self/fd/%d", prefix, memfd);

	struct scan_options opt;
	scan_options_default(&opt);
	opt.progress = false;
	opt.jobs = 1 + data[0] % 2;
	struct scan_limits *l = &opt.image.limits;
	l->max_image_bytes = 64u << 20;
	l->max_file_bytes = 16u << 20;
	l->max_capture_bytes = 4u << 20;
	l->max_capture_total = 16u << 20;
	l->max_json_bytes = 1u << 20;
	l->max_entries = 20000;
	l->max_layers = 16;

	struct artifact a;
	artifact_init(&a);
	struct berr e = { 0 };
	(void)scan_target(target, &opt, &a, &e);
	artifact_free(&a);
	return 0;
}
