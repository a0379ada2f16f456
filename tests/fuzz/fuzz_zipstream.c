/* libFuzzer target: the streaming zip reader and the Java analyzer on top
 * of it, plus the pom.xml reader on the same bytes.
 *
 * What must hold: no crash or leak; the reader makes progress whatever the
 * chunking (the first byte picks the piece size); and the bytes handed out
 * at all nesting levels stay within the limits: inflated output within the
 * budget (grace + ratio x input, checked after each inflate call, so one
 * output buffer may go over), plus stored bytes, which are at most the
 * input once per level.
 * Seeds: tests/fuzz/corpus/zipstream/ (made by tests/fuzz/mkseeds_zipstream.py). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/java.h"
#include "analyze/zipstream.h"
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

static const struct zs_limits limits = {
	.max_depth = 3,
	.max_nested_bytes = 4u << 20,
	.budget_grace = 1u << 20,
	.budget_ratio = 8,
	.budget_max = 64u << 20,
	.max_prefix = 64u << 10,
};

struct count {
	uint64_t *total;
	int open; /* members being read at this level (0 or 1) */
	int nested;
};

static enum zs_action member(void *ctx, const struct zs_member *m)
{
	struct count *c = ctx;
	if (m->name_len != strlen(m->name))
		abort();
	if (m->name_len > 4 && strcmp(m->name + m->name_len - 4, ".jar") == 0)
		return ZS_NEST;
	if (m->name_len && m->name[m->name_len - 1] == '/')
		return ZS_SKIP;
	c->open++;
	return ZS_READ;
}

static int data(void *ctx, const unsigned char *p, size_t n)
{
	struct count *c = ctx;
	(void)p;
	if (c->open != 1)
		abort(); /* data outside a member */
	*c->total += n;
	return BOSUN_OK;
}

static int member_end(void *ctx, bool complete)
{
	struct count *c = ctx;
	(void)complete;
	if (c->open-- != 1)
		abort();
	return BOSUN_OK;
}

static int nest_begin(void *ctx, const struct zs_member *m, void **child)
{
	struct count *c = ctx, *k = calloc(1, sizeof *k);
	(void)m;
	if (!k)
		return BOSUN_ENOMEM;
	k->total = c->total;
	c->nested++;
	*child = k;
	return BOSUN_OK;
}

static int nest_end(void *ctx, void *child, bool complete)
{
	struct count *c = ctx, *k = child;
	(void)complete;
	if (k->open || c->nested-- != 1)
		abort();
	free(k);
	return BOSUN_OK;
}

static void warn(void *ctx, const char *msg)
{
	(void)ctx;
	if (!msg || !*msg)
		abort();
}

static const struct zs_visitor visitor = { member, data, member_end, nest_begin, nest_end, warn };

static void read_all(const uint8_t *d, size_t n, size_t chunk)
{
	uint64_t total = 0;
	struct count top = { .total = &total };
	struct zs_reader *r;
	if (zs_new(&limits, &visitor, &top, &r) != BOSUN_OK)
		return;
	for (size_t off = 0; off < n && !zs_done(r); off += chunk)
		if (zs_feed(r, d + off, n - off < chunk ? n - off : chunk) != BOSUN_OK)
			break;
	bool complete;
	zs_finish(r, &complete);
	zs_free(r);
	if (top.open || top.nested)
		abort();
	uint64_t budget = limits.budget_grace + (uint64_t)limits.budget_ratio * n + 64 * 1024;
	if (total > budget + (uint64_t)(limits.max_depth + 1) * n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data_in, size_t size)
{
	if (size == 0)
		return 0;
	static const size_t chunks[] = { 1, 3, 28, 29, 512, 4096, 65536, SIZE_MAX };
	size_t chunk = chunks[data_in[0] % (sizeof chunks / sizeof chunks[0])];
	const uint8_t *d = data_in + 1;
	size_t n = size - 1;
	read_all(d, n, chunk == SIZE_MAX ? (n ? n : 1) : chunk);

	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	java_scan_archive("fuzz/x-1.0.jar", d, n, &limits, &a);
	java_pom_dependencies(NULL, "pom.xml", d, n, NULL, &a);
	java_gradle_lockfile("gradle.lockfile", d, n, &a);
	char *lic;
	java_pom_licenses(&a.arena, (const char *)d, n, &lic);
	artifact_free(&a);
	return 0;
}
