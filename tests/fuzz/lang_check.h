/* A feed_sink for the language-feed fuzzers: checks what a parser hands the
 * database (ids, ecosystems and packages present and bounded, every range
 * with a start and at most one end, a fixed record with a fix) and traps
 * otherwise, so that libFuzzer reports a broken invariant like a crash. */
#ifndef BOSUN_FUZZ_LANG_CHECK_H
#define BOSUN_FUZZ_LANG_CHECK_H

#include <string.h>

#include "vulndb/lang_feed.h"

static void lc_str(const char *s, size_t max)
{
	if (!s || !*s || strnlen(s, max + 1) > max)
		__builtin_trap();
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20)
			__builtin_trap();
}

static int lc_begin(void *ctx, const char *snapshot, struct berr *e)
{
	(void)ctx;
	(void)e;
	if (snapshot && strlen(snapshot) != 10)
		__builtin_trap();
	return BOSUN_OK;
}

static int lc_vuln(void *ctx, const struct vuln_record *v, struct berr *e)
{
	(void)ctx;
	(void)e;
	lc_str(v->id, 256);
	if ((unsigned)v->severity > SEV_CRITICAL)
		__builtin_trap();
	for (size_t i = 0; i < v->naliases; i++)
		lc_str(v->aliases[i], 128);
	for (size_t i = 0; i < v->nreferences; i++)
		if (!v->references[i])
			__builtin_trap();
	return BOSUN_OK;
}

static int lc_affected(void *ctx, const struct affected_record *r, struct berr *e)
{
	(void)ctx;
	(void)e;
	lc_str(r->vuln_id, 256);
	lc_str(r->ecosystem, 64);
	lc_str(r->package, 256);
	if (r->nranges == 0 || (unsigned)r->status > AFFECT_UNDETERMINED)
		__builtin_trap();
	bool fixed = false;
	for (size_t i = 0; i < r->nranges; i++) {
		const struct affect_range *g = &r->ranges[i];
		lc_str(g->introduced, CR_MAX_VERSION + 16);
		if (g->fixed && g->last_affected)
			__builtin_trap();
		if (g->fixed)
			lc_str(g->fixed, CR_MAX_VERSION + 16);
		if (g->last_affected)
			lc_str(g->last_affected, CR_MAX_VERSION + 16);
		fixed = fixed || g->fixed;
	}
	if ((r->status == AFFECT_FIXED) != fixed)
		__builtin_trap();
	return BOSUN_OK;
}

static struct feed_sink lc_sink(void) { return (struct feed_sink){ lc_begin, lc_begin, lc_vuln, lc_affected, NULL }; }

#endif
