/* Shared helpers for the cmocka unit tests. Fixtures come from the shared
 * test data directory ($BOSUN_SHARED, default ../shared). */
#ifndef BOSUN_TESTUTIL_H
#define BOSUN_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

static inline const char *test_shared_dir(void)
{
	const char *s = getenv("BOSUN_SHARED");
	return s && *s ? s : "../shared";
}

/* Reads a whole file; fails the test when it cannot. Caller frees. */
static inline unsigned char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open fixture %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *p = malloc((size_t)n + 1);
	assert_non_null(p);
	if (n > 0 && fread(p, 1, (size_t)n, f) != (size_t)n)
		fail_msg("short read %s", path);
	p[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* Path of a fixture inside $BOSUN_SHARED/testdata/pkgdb. Static buffer. */
static inline const char *test_pkgdb_path(const char *rel)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/testdata/pkgdb/%s", test_shared_dir(), rel);
	return buf;
}

static inline json_t *test_load_json(const char *path)
{
	json_error_t jerr;
	json_t *j = json_load_file(path, 0, &jerr);
	if (!j)
		fail_msg("cannot parse %s: %s", path, jerr.text);
	return j;
}

#endif
