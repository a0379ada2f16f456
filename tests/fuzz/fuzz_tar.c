/* libFuzzer target: the tar reader over the input, handed out in chunks of
 * a size taken from the first byte (chunk boundaries must not matter), with
 * every name normalized and every link target resolved as the walkers do.
 * Seeds: tests/fuzz/corpus/tar/. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "image/path.h"
#include "image/tar.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	return 0;
}

struct mem {
	const uint8_t *p;
	size_t n, pos, chunk;
};

static int mem_next(void *ctx, const unsigned char **p, size_t *len, struct berr *e)
{
	(void)e;
	struct mem *m = ctx;
	size_t k = m->n - m->pos < m->chunk ? m->n - m->pos : m->chunk;
	*p = m->p + m->pos;
	*len = k;
	m->pos += k;
	return BOSUN_OK;
}

static int mem_skip(void *ctx, uint64_t n, struct berr *e)
{
	struct mem *m = ctx;
	if (n > m->n - m->pos)
		return berr_set(e, BOSUN_EFORMAT, "truncated");
	m->pos += (size_t)n;
	return BOSUN_OK;
}

static uint64_t mem_tell(void *ctx) { return ((struct mem *)ctx)->pos; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const size_t chunks[] = { 1, 7, 511, 512, 513, 4096, 65536, 1 << 20 };
	uint8_t sel = data[0];
	struct mem m = { data + 1, size - 1, 0, chunks[sel & 7] };
	bool seekable = sel & 8, read_data = sel & 16;
	struct tar_reader t;
	tar_init(&t, (struct chunk_source){ mem_next, seekable ? mem_skip : NULL, mem_tell, &m });
	struct buf b = { 0 };
	char norm[4096], dir[4096], out[4096];
	for (int i = 0; i < 100000; i++) {
		struct tar_entry ent;
		bool end;
		struct berr e = { 0 };
		if (tar_next(&t, &ent, &end, &e) || end)
			break;
		if (path_normalize(ent.name, strlen(ent.name), norm, sizeof norm) == PATH_OK && ent.link[0]) {
			snprintf(dir, sizeof dir, "%s", norm);
			char *slash = strrchr(dir, '/');
			if (slash)
				*slash = '\0';
			else
				dir[0] = '\0';
			(void)path_resolve_link(dir, ent.link, true, out, sizeof out);
			(void)path_resolve_link(dir, ent.link, false, out, sizeof out);
			(void)path_normalize(ent.link, strlen(ent.link), out, sizeof out);
		}
		if (read_data) {
			buf_reset(&b);
			if (tar_read_all(&t, &b, 1 << 20, &e) == BOSUN_OK && b.len > ent.size)
				__builtin_trap(); /* more data than the entry holds */
		}
	}
	buf_free(&b);
	tar_free(&t);
	return 0;
}
