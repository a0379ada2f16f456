/* A feed_sink for the distro feed fuzzers: checks what a parser hands the
 * database (ids, keys and bounds present, NUL-terminated and within the
 * documented limits; a fixed record has its version) and traps otherwise,
 * so libFuzzer reports a broken invariant like a crash. */
#ifndef BOSUN_FUZZ_FEED_CHECK_H
#define BOSUN_FUZZ_FEED_CHECK_H

#include <string.h>

#include "vulndb/distro_feed.h"

static void fc_str(const char *s, size_t max)
{
	if (!s || !*s || strnlen(s, max + 1) > max)
		__builtin_trap();
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20)
			__builtin_trap();
}

static int fc_begin(void *ctx, const char *snapshot, struct berr *e)
{
	(void)ctx;
	(void)e;
	if (snapshot && strlen(snapshot) > 31)
		__builtin_trap();
	return BOSUN_OK;
}

static int fc_vuln(void *ctx, const struct vuln_record *v, struct berr *e)
{
	(void)ctx;
	(void)e;
	fc_str(v->id, 256);
	if ((unsigned)v->severity > SEV_CRITICAL)
		__builtin_trap();
	for (size_t i = 0; i < v->nreferences; i++)
		fc_str(v->references[i], 8192);
	return BOSUN_OK;
}

static int fc_affected(void *ctx, const struct affected_record *r, struct berr *e)
{
	(void)ctx;
	(void)e;
	const char *prefix = ctx;
	fc_str(r->vuln_id, 256);
	fc_str(r->ecosystem, 64);
	fc_str(r->package, 256);
	if (strncmp(r->ecosystem, prefix, strlen(prefix)) != 0)
		__builtin_trap();
	if ((unsigned)r->status > AFFECT_UNDETERMINED || (unsigned)r->severity > SEV_CRITICAL)
		__builtin_trap();
	if (r->status == AFFECT_FIXED && !r->nranges)
		__builtin_trap();
	for (size_t i = 0; i < r->nranges; i++)
		fc_str(r->ranges[i].fixed, 256);
	if (r->note && strlen(r->note) > 66000)
		__builtin_trap();
	return BOSUN_OK;
}

/* prefix: the ecosystem keys the feed may produce ("debian:", ...). */
static struct feed_sink fc_sink(const char *prefix)
{
	return (struct feed_sink){ fc_begin, fc_begin, fc_vuln, fc_affected, (void *)prefix };
}

#endif
