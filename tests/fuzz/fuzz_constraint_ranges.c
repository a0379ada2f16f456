/* libFuzzer target: constraint strings -> version sets -> ranges. The first
 * byte picks the syntax (npm, Cargo, RubyGems, Composer), the rest is the
 * constraint. Besides not crashing, a parsed set must be sorted and
 * disjoint, and complement must behave as one: S and not-S share nothing,
 * together are everything, and not-not-S is S. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "version/version.h"
#include "vulndb/constraint_ranges.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	return 0;
}

static void must(int rc)
{
	if (rc != BOSUN_OK)
		__builtin_trap();
}

/* Every interval non-empty, and each one ends before the next starts with a
 * gap between them. */
static void check_normal(const struct cr_ctx *c, const struct cr_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct cr_interval *iv = &s->iv[i];
		int r;
		if (iv->lo.v && iv->hi.v) {
			must(c->compare(iv->lo.v, iv->hi.v, &r));
			if (r > 0 || (r == 0 && !(iv->lo.incl && iv->hi.incl)))
				__builtin_trap();
		}
		if (i + 1 < s->n) {
			const struct cr_bound *hi = &iv->hi, *lo = &s->iv[i + 1].lo;
			if (!hi->v || !lo->v)
				__builtin_trap();
			must(c->compare(hi->v, lo->v, &r));
			if (r > 0 || (r == 0 && (hi->incl || lo->incl)))
				__builtin_trap();
		}
	}
}

static char *fmt(const struct cr_ctx *c, const struct cr_set *s)
{
	struct affect_range *r;
	size_t n;
	bool exact;
	struct buf b = { 0 };
	if (cr_to_ranges(c, s, &r, &n, &exact, NULL) != BOSUN_OK)
		return NULL; /* a successor past the npm number limit */
	must(cr_ranges_format(r, n, &b));
	char *out = strdup(b.data ? b.data : "");
	buf_free(&b);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const schemes[] = { "npm", "cargo", "gem", NULL };
	if (size < 1 || size > CR_MAX_TEXT + 2)
		return 0;
	enum cr_syntax syn = (enum cr_syntax)(data[0] % 4);
	const struct version_scheme *vs = schemes[syn] ? version_scheme_find(schemes[syn]) : NULL;
	if (schemes[syn] && !vs)
		return 0;
	char *text = strndup((const char *)data + 1, size - 1);
	struct arena a = { 0 };
	struct cr_ctx c = { syn, vs ? vs->compare : NULL, &a };
	struct cr_set s, not_s, back, both, none;
	if (cr_parse(&c, text, &s, NULL) == BOSUN_OK) {
		char *f = fmt(&c, &s);
		if (c.compare) {
			check_normal(&c, &s);
			must(cr_complement(&c, &s, &not_s, NULL));
			check_normal(&c, &not_s);
			must(cr_intersect(&c, &s, &not_s, &none, NULL));
			if (none.n)
				__builtin_trap();
			must(cr_union(&c, &s, &not_s, &both, NULL));
			if (both.n != 1 || both.iv[0].lo.v || both.iv[0].hi.v)
				__builtin_trap();
			must(cr_complement(&c, &not_s, &back, NULL));
			char *g = fmt(&c, &back);
			if (f && g && strcmp(f, g) != 0)
				__builtin_trap();
			free(g);
		}
		free(f);
	}
	arena_free(&a);
	free(text);
	return 0;
}
