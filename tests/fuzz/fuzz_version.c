/* libFuzzer target: every version scheme. The input is split at NUL or TAB
 * into up to three strings a, b, c, which go to each scheme's compare(),
 * valid() and satisfies() (b and c as constraints). Beyond not crashing, the
 * comparisons must be an order: reflexive, antisymmetric and transitive. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "version/apk.h"
#include "version/golang.h"
#include "version/rpm.h"
#include "version/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int x) { return (x > 0) - (x < 0); }

/* Reflexive and antisymmetric; returns the sign, or 2 when refused. */
static int check_pair(const struct version_scheme *s, const char *a, const char *b)
{
	int ab, ba, aa;
	int rab = s->compare(a, b, &ab), rba = s->compare(b, a, &ba);
	if ((rab == BOSUN_OK) != (rba == BOSUN_OK))
		__builtin_trap(); /* accepted one way round only */
	if (rab != BOSUN_OK)
		return 2;
	if (sign(ab) != -sign(ba))
		__builtin_trap();
	if (s->compare(a, a, &aa) != BOSUN_OK || aa != 0)
		__builtin_trap();
	return sign(ab);
}

static void check_scheme(const struct version_scheme *s, char *const str[3])
{
	int ab = check_pair(s, str[0], str[1]);
	int bc = check_pair(s, str[1], str[2]);
	int ac = check_pair(s, str[0], str[2]);
	if (ab != 2 && bc != 2 && ab == bc && ac != ab)
		__builtin_trap(); /* a < b < c but not a < c (or = = but not =) */
	for (int i = 0; i < 3; i++) {
		int c;
		if (s->valid(str[i]) && s->compare(str[i], str[i], &c) != BOSUN_OK)
			__builtin_trap(); /* valid but not comparable */
	}
	if (s->satisfies) {
		bool out;
		for (unsigned flags = 0; flags < 4; flags++) {
			(void)s->satisfies(str[0], str[1], flags, &out);
			(void)s->satisfies(str[0], str[2], flags, &out);
		}
	}
}

/* The raw upstream orders behind deb/rpm/apk/golang are total: check them
 * as orders too. */
static void check_raw(char *const str[3])
{
	const char *a = str[0], *b = str[1];
	if (rpm_vercmp(a, b) != -rpm_vercmp(b, a) || rpm_vercmp(a, a) != 0)
		__builtin_trap();
	if (golang_semver_compare(a, b) != -golang_semver_compare(b, a))
		__builtin_trap();
	if (apk_version_order(a, b, false) != -apk_version_order(b, a, false) || apk_version_order(a, a, false))
		__builtin_trap();
	(void)apk_version_order(a, b, true);
	char canon[64];
	size_t n = golang_semver_canonical(a, canon, sizeof canon);
	if (n && (!golang_semver_valid(canon) || golang_semver_compare(a, canon) != 0))
		__builtin_trap(); /* Canonical() must keep the version */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 3 * VERSION_MAX_LEN)
		return 0;
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	/* Split at the first two separators; missing parts are "". */
	char *str[3] = { copy, copy + size, copy + size };
	for (int part = 1, i = 0; part < 3; part++) {
		for (; (size_t)i < size && copy[i] != '\t' && copy[i] != '\0'; i++)
			;
		if ((size_t)i >= size)
			break;
		copy[i++] = '\0';
		str[part] = copy + i;
	}
	for (size_t i = 0; version_schemes[i]; i++)
		check_scheme(version_schemes[i], str);
	check_raw(str);
	free(copy);
	return 0;
}
