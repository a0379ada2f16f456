/* libFuzzer target: a stack of layers without the archive around them, so
 * that no digest stops the fuzzer before the interesting part. The input
 * is split into layers at "\n--bosun-layer--\n"; each layer (gzip, zstd or
 * plain tar) is walked by layer_walk from a memfd, applied to the view,
 * and the analyzers run on the merged result, as scan_target does.
 * Seeds: tests/fuzz/corpus/layers/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image/layer.h"
#include "image/view.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LAYERS 8
static const char sep[] = "\n--bosun-layer--\n";
static int memfd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	memfd = memfd_create("bosun-fuzz-layers", MFD_CLOEXEC);
	if (memfd < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(memfd, 0) != 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
		abort();
	struct scan_limits lim = scan_limits_default();
	lim.max_image_bytes = 64u << 20;
	lim.max_file_bytes = 16u << 20;
	lim.max_capture_bytes = 4u << 20;
	lim.max_capture_total = 16u << 20;
	lim.max_entries = 20000;
	struct walk_shared sh = { .limits = &lim, .analyzers = analyzers };
	struct scan_view *v = view_new(analyzers);
	if (!v)
		abort();
	struct artifact a;
	artifact_init(&a);
	int rc = BOSUN_OK;
	size_t start = 0;
	for (int i = 0; i < MAX_LAYERS && start <= size && !rc; i++) {
		const uint8_t *hit = memmem(data + start, size - start, sep, sizeof sep - 1);
		size_t end = hit ? (size_t)(hit - data) : size;
		struct image_layer layer = { .blob = { memfd, start, end - start }, .path = "fuzz" };
		struct layer_result r;
		struct berr e = { 0 };
		rc = layer_walk(&layer, i, &sh, &r, &e);
		if (!rc)
			rc = view_apply_layer(v, i, &r);
		layer_result_free(&r);
		if (!hit)
			break;
		start = end + sizeof sep - 1;
	}
	for (int i = 0; !rc && analyzers[i]; i++) {
		struct berr e = { 0 };
		rc = analyzers[i]->analyze(v, &a, &e);
	}
	if (!rc)
		(void)artifact_finish(&a);
	(void)view_final(v, "etc/os-release");
	(void)view_final(v, "var/lib/dpkg/status");
	artifact_free(&a);
	view_free(v);
	return 0;
}
