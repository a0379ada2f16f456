/* libFuzzer target: the zip reader over the input, with small limits, every
 * entry decompressed and checked. What must hold: no crash, no read outside
 * the input, and never more output than the limits allow.
 * Seeds: tests/fuzz/corpus/zip/ (made by tests/fuzz/mkseeds_zip.py). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/log.h"
#include "vulndb/zip.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	return 0;
}

static int count(void *ctx, const unsigned char *p, size_t n, struct berr *e)
{
	(void)p;
	(void)e;
	*(uint64_t *)ctx += n;
	return BOSUN_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct zip_limits lim = {
		.max_entries = 1000, .max_entry_size = 1 << 20, .max_total_size = 4 << 20, .max_ratio = 200,
	};
	struct zip z;
	struct berr e = { 0 };
	if (zip_open(&z, data, size, &lim, &e) != BOSUN_OK)
		return 0;
	uint64_t out = 0;
	for (;;) {
		struct zip_entry ent;
		bool end;
		if (zip_next(&z, &ent, &end, &e) != BOSUN_OK || end)
			break;
		uint64_t before = out;
		if (zip_read(&z, &ent, count, &out, &e) == BOSUN_OK && out - before != ent.usize)
			abort(); /* a successful read yields exactly the declared size */
		if (out > lim.max_total_size)
			abort();
	}
	zip_close(&z);
	return 0;
}
