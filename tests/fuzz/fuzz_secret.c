/* libFuzzer target: the secret engine with the built-in rules. The first
 * byte picks the entry point: 0 a buffer (secret_scan_buffer), 1 an image
 * config (secret_scan_image_config), 2 the content-scanner hooks fed in
 * pieces whose sizes come from the second byte. Every finding must carry
 * a masked match that shows at most 8 characters of the secret. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "secret/secret.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct secret_engine *eng;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	struct berr e = { 0 };
	struct secret_options o = { .max_file_bytes = 1u << 20 };
	if (secret_engine_new(&o, &eng, &e) != BOSUN_OK)
		abort();
	return 0;
}

static void check(const struct finding_list *l)
{
	if (l->n > SECRET_MAX_FINDINGS_PER_BUFFER * 4)
		abort();
	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];
		if (!f->rule_id || !f->message || !f->match || f->kind != FINDING_KIND_SECRET)
			abort();
		size_t shown = 0;
		for (const char *p = f->match; *p; p++)
			shown += *p != '*';
		if (shown > 8)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	unsigned mode = data[0] % 3, piece = data[1] ? data[1] : 1;
	data += 2;
	size -= 2;
	struct finding_list l;
	struct berr e = { 0 };
	finding_list_init(&l);
	if (mode == 0) {
		if (secret_scan_buffer(eng, "fuzz/input.conf", 0, data, size, &l, &e) != BOSUN_OK)
			abort(); /* a buffer never fails, short of memory */
	} else if (mode == 1) {
		char *s = malloc(size + 1);
		memcpy(s, data, size);
		s[size] = 0;
		(void)secret_scan_image_config(eng, s, &l, &e); /* malformed JSON is an error, not a crash */
		free(s);
	} else {
		struct content_scanner cs;
		secret_content_scanner(eng, &cs);
		struct stream_file f = { "fuzz/stream.env", size, 0100644, 3 };
		void *st = cs.wants(cs.ctx, &f) ? cs.begin(cs.ctx, &f, data, size < 4096 ? size : 4096) : NULL;
		if (st) {
			int rc = 0;
			for (size_t off = 0; off < size && rc == 0; off += piece)
				rc = cs.data(st, data + off, size - off < piece ? size - off : piece);
			if (cs.end(st, rc == 0, &l, &e) != BOSUN_OK)
				abort();
		}
	}
	check(&l);
	finding_list_free(&l);
	return 0;
}
