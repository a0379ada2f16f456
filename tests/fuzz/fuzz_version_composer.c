/* libFuzzer target: the Composer version scheme. The input is split at its
 * first NUL or TAB into two strings a and b. Beyond not crashing: compare()
 * accepts exactly the pairs valid() accepts, is an antisymmetric order that
 * agrees with normalize(), and a valid version satisfies a constraint that
 * is the version itself (when nothing in it splits a constraint). (fuzz_version
 * checks transitivity over every scheme, this one included.) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "version/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct version_scheme *const S = &version_scheme_composer;

static int sign(int x) { return (x > 0) - (x < 0); }

static void check_pair(const char *a, const char *b)
{
	int ab = 0, ba = 0;
	int r1 = S->compare(a, b, &ab), r2 = S->compare(b, a, &ba);
	if ((r1 == BOSUN_OK) != (S->valid(a) && S->valid(b)) || (r1 == BOSUN_OK) != (r2 == BOSUN_OK))
		__builtin_trap();
	if (r1 == BOSUN_OK && sign(ab) != -sign(ba))
		__builtin_trap();
}

static void check_one(const char *a)
{
	char norm[VERSION_MAX_LEN + 64];
	bool valid = S->valid(a);
	int rc = composer_normalize(a, norm, sizeof norm);
	if (valid && rc != BOSUN_OK)
		__builtin_trap(); /* valid but not normalizable */
	int c;
	if (valid && (S->compare(a, a, &c) != BOSUN_OK || c != 0))
		__builtin_trap();
	bool out;
	/* As a constraint a version means itself, unless it holds what splits
	 * constraints: "1.0+b,0" is "1.0+b" AND "0" to Composer too. */
	if (valid && !strpbrk(a, ",| \t\n\v\f\r") && S->satisfies(a, a, 0, &out) == BOSUN_OK && !out)
		__builtin_trap(); /* "1.2" does not satisfy "1.2" */
	if (valid && S->satisfies(a, "*", 0, &out) == BOSUN_OK && !out)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 2 * VERSION_MAX_LEN)
		return 0;
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *b = buf + strlen(buf);
	for (char *p = buf; *p; p++)
		if (*p == '\t') {
			*p = '\0';
			b = p + 1;
			break;
		}
	if (b == buf + strlen(buf) && strlen(buf) < size)
		b = buf + strlen(buf) + 1;
	check_pair(buf, b);
	check_one(buf);
	check_one(b);
	bool out;
	(void)S->satisfies(buf, b, 0, &out);
	(void)S->satisfies(b, buf, 0, &out);
	free(buf);
	return 0;
}
