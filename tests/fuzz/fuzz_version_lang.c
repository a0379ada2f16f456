/* libFuzzer target: the language version schemes (npm, PyPI, Maven,
 * RubyGems, Cargo, NuGet, JVM). The input is split at its first NUL or TAB
 * into a version and a constraint (or a second version); both orders go
 * through every scheme's compare, valid and satisfies, with every flag. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "version/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct version_scheme *const SCHEMES[] = {
	&version_scheme_npm,   &version_scheme_pypi,  &version_scheme_maven, &version_scheme_gem,
	&version_scheme_cargo, &version_scheme_nuget, &version_scheme_jvm,
};

static void run(const char *a, const char *b)
{
	for (size_t s = 0; s < sizeof SCHEMES / sizeof SCHEMES[0]; s++) {
		const struct version_scheme *vs = SCHEMES[s];
		int c1 = 0, c2 = 0;
		int r1 = vs->compare(a, b, &c1), r2 = vs->compare(b, a, &c2);
		/* An order must be antisymmetric; grype's JVM order inherits
		 * go-version's comparePart, where "01" and "1" are each below the
		 * other, so it is exempt. */
		if (vs != &version_scheme_jvm && r1 == BOSUN_OK && r2 == BOSUN_OK &&
		    ((c1 > 0) - (c1 < 0)) != -((c2 > 0) - (c2 < 0)))
			abort();
		if ((r1 == BOSUN_OK) != (vs->valid(a) && vs->valid(b)))
			abort();
		if (vs->satisfies)
			for (unsigned fl = 0; fl < 4; fl++) {
				bool out;
				vs->satisfies(a, b, fl, &out);
			}
	}
	for (unsigned fl = 0; fl < 2; fl++) {
		int c;
		npm_compare(a, b, fl, &c);
		npm_valid(a, fl);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	char *split = buf;
	while (*split && *split != '\t')
		split++;
	const char *second = "";
	if (*split == '\t') {
		*split = 0;
		second = split + 1;
	} else if (strlen(buf) < size) {
		second = buf + strlen(buf) + 1;
	}
	run(buf, second);
	free(buf);
	return 0;
}
