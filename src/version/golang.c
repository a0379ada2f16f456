/* The golang version scheme: golang.org/x/mod/semver's grammar and order,
 * plus Go toolchain versions mapped onto it (see golang.h). */
#include "version/golang.h"
#include "version/constraint.h"
#include "version/version.h"

#include <string.h>

#include "util/buf.h"
#include "util/err.h"

/* A parsed version. Slices point into the input or at literals. */
struct gover {
	struct slice major, minor, patch;
	/* Prerelease identifiers: either semver text ("rc.1", without the
	 * '-'), or, for a toolchain version, up to two identifiers given
	 * separately because "go1.21rc1" does not spell them with dots. */
	struct slice pre;
	struct slice tc[2];
	unsigned ntc;
	bool toolchain;
	const char *short_fill; /* what Canonical appends: ".0.0", ".0" or "" */
	size_t build_len;       /* bytes of "+build" at the end, 0 if none */
};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_ident(char c) { return is_digit(c) || is_lower(c) || (c >= 'A' && c <= 'Z') || c == '-'; }

static void skip(struct slice *s, size_t n)
{
	s->p += n;
	s->n -= n;
}

/* A decimal number with no leading zero (x/mod parseInt, go/version cutInt). */
static bool parse_int(struct slice *s, struct slice *out)
{
	size_t i = 0;
	while (i < s->n && is_digit(s->p[i]))
		i++;
	if (i == 0 || (s->p[0] == '0' && i > 1))
		return false;
	*out = slice_make(s->p, i);
	skip(s, i);
	return true;
}

/* All digits and more than one with a leading zero: not allowed as a
 * prerelease identifier. */
static bool bad_num(struct slice id)
{
	for (size_t i = 0; i < id.n; i++)
		if (!is_digit(id.p[i]))
			return false;
	return id.n > 1 && id.p[0] == '0';
}

/* Non-empty identifiers separated by '.' (and '+' with plus_sep), up to stop
 * (or the end); with check_nums, numeric ones may not have leading zeros.
 * Advances *s. */
static bool parse_idents(struct slice *s, char stop, bool plus_sep, bool check_nums, struct slice *out)
{
	size_t i = 0, start = 0;
	for (; i < s->n && s->p[i] != stop; i++) {
		char c = s->p[i];
		if (c == '.' || (plus_sep && c == '+')) {
			if (start == i || (check_nums && bad_num(slice_make(s->p + start, i - start))))
				return false;
			start = i + 1;
		} else if (!is_ident(c)) {
			return false;
		}
	}
	if (start == i || (check_nums && bad_num(slice_make(s->p + start, i - start))))
		return false;
	*out = slice_make(s->p, i);
	skip(s, i);
	return true;
}

/* x/mod's parse() after the "v". With loose, build metadata may also be
 * separated by '+': Go 1.24 stamps "+dirty" after "+incompatible". */
static bool parse_semver_body(struct slice s, bool loose, struct gover *g)
{
	memset(g, 0, sizeof *g);
	g->short_fill = "";
	if (!parse_int(&s, &g->major))
		return false;
	if (s.n == 0) {
		g->minor = g->patch = SLICE_LIT("0");
		g->short_fill = ".0.0";
		return true;
	}
	if (s.p[0] != '.')
		return false;
	skip(&s, 1);
	if (!parse_int(&s, &g->minor))
		return false;
	if (s.n == 0) {
		g->patch = SLICE_LIT("0");
		g->short_fill = ".0";
		return true;
	}
	if (s.p[0] != '.')
		return false;
	skip(&s, 1);
	if (!parse_int(&s, &g->patch))
		return false;
	if (s.n && s.p[0] == '-') {
		skip(&s, 1);
		if (!parse_idents(&s, '+', false, true, &g->pre))
			return false;
	}
	if (s.n && s.p[0] == '+') {
		g->build_len = s.n;
		skip(&s, 1);
		struct slice build;
		if (!parse_idents(&s, '\0', loose, false, &build))
			return false;
	}
	return s.n == 0;
}

static int cmp_int(struct slice x, struct slice y)
{
	if (x.n != y.n)
		return x.n < y.n ? -1 : 1;
	int rc = memcmp(x.p, y.p, x.n);
	return (rc > 0) - (rc < 0);
}

/* go/version's grammar after "go": 1, 1.20, 1.21.3, 1.21rc1, 1.21beta.
 * Mapped onto semver so that its order is go/version's:
 *   go1.X.Y -> v1.X.Y      go1.XkindN -> v1.X.0-kind.N
 *   go1.X   -> v1.X.0 before Go 1.21, else v1.X.0-0: from 1.21 on, "1.21"
 *              names the language, which sorts before 1.21rc1 and 1.21.0. */
static bool parse_toolchain(struct slice s, struct gover *g)
{
	memset(g, 0, sizeof *g);
	g->toolchain = true;
	g->short_fill = "";
	g->minor = g->patch = SLICE_LIT("0");
	if (!parse_int(&s, &g->major))
		return false;
	if (s.n == 0)
		return true;
	if (s.p[0] != '.')
		return false;
	skip(&s, 1);
	if (!parse_int(&s, &g->minor))
		return false;
	if (s.n == 0) {
		if (cmp_int(g->minor, SLICE_LIT("21")) >= 0)
			g->tc[g->ntc++] = SLICE_LIT("0");
		return true;
	}
	if (s.p[0] == '.') {
		skip(&s, 1);
		return parse_int(&s, &g->patch) && s.n == 0; /* no 1.21.3rc1 */
	}
	size_t k = 0;
	while (k < s.n && is_lower(s.p[k]))
		k++;
	if (k == 0)
		return false;
	g->tc[g->ntc++] = slice_make(s.p, k);
	skip(&s, k);
	if (s.n == 0)
		return true;
	struct slice num;
	if (!parse_int(&s, &num) || s.n)
		return false;
	g->tc[g->ntc++] = num;
	return true;
}

static bool bounded(const char *v, struct slice *s)
{
	size_t n = strnlen(v, VERSION_MAX_LEN + 1);
	*s = slice_make(v, n);
	return n <= VERSION_MAX_LEN;
}

/* x/mod: "v" and the semver grammar, nothing else. */
static bool parse_strict(const char *v, struct gover *g)
{
	struct slice s;
	if (!bounded(v, &s) || s.n == 0 || s.p[0] != 'v')
		return false;
	return parse_semver_body(slice_make(s.p + 1, s.n - 1), false, g);
}

/* The scheme's wider net: also "go1.21.3", "1.2.3" and "+incompatible+dirty". */
static bool parse_loose(const char *v, struct gover *g)
{
	struct slice s;
	if (!bounded(v, &s) || s.n == 0)
		return false;
	if (s.n > 2 && s.p[0] == 'g' && s.p[1] == 'o' && is_digit(s.p[2]))
		return parse_toolchain(slice_make(s.p + 2, s.n - 2), g);
	if (s.p[0] == 'v')
		return parse_semver_body(slice_make(s.p + 1, s.n - 1), true, g);
	return is_digit(s.p[0]) && parse_semver_body(s, true, g);
}

/* The next prerelease identifier after position *i; false at the end. */
static bool pre_next(const struct gover *g, size_t *i, struct slice *id)
{
	if (g->toolchain) {
		if (*i >= g->ntc)
			return false;
		*id = g->tc[(*i)++];
		return true;
	}
	if (*i > g->pre.n || g->pre.n == 0)
		return false;
	const char *start = g->pre.p + *i;
	const char *dot = memchr(start, '.', g->pre.n - *i);
	size_t len = dot ? (size_t)(dot - start) : g->pre.n - *i;
	*id = slice_make(start, len);
	*i += len + 1;
	return true;
}

static bool has_pre(const struct gover *g) { return g->toolchain ? g->ntc > 0 : g->pre.n > 0; }

static bool is_num(struct slice id)
{
	for (size_t i = 0; i < id.n; i++)
		if (!is_digit(id.p[i]))
			return false;
	return true;
}

/* SemVer precedence of two identifiers: numbers by value and below words,
 * words by ASCII. */
static int ident_cmp(struct slice x, struct slice y)
{
	bool nx = is_num(x), ny = is_num(y);
	if (nx != ny)
		return nx ? -1 : 1;
	if (nx && x.n != y.n)
		return x.n < y.n ? -1 : 1;
	int rc = memcmp(x.p, y.p, x.n < y.n ? x.n : y.n);
	if (rc)
		return rc < 0 ? -1 : 1;
	return (x.n > y.n) - (x.n < y.n);
}

/* No prerelease beats any; else identifier by identifier, and a longer list
 * beats its own prefix. */
static int pre_cmp(const struct gover *x, const struct gover *y)
{
	bool px = has_pre(x), py = has_pre(y);
	if (!px || !py)
		return px == py ? 0 : (px ? -1 : 1);
	size_t i = 0, j = 0;
	struct slice a, b;
	for (;;) {
		bool ma = pre_next(x, &i, &a), mb = pre_next(y, &j, &b);
		if (!ma || !mb)
			return ma == mb ? 0 : (ma ? 1 : -1);
		int rc = ident_cmp(a, b);
		if (rc)
			return rc;
	}
}

static int gover_cmp(const struct gover *x, const struct gover *y)
{
	int rc = cmp_int(x->major, y->major);
	if (!rc)
		rc = cmp_int(x->minor, y->minor);
	if (!rc)
		rc = cmp_int(x->patch, y->patch);
	if (!rc)
		rc = pre_cmp(x, y);
	return rc;
}

bool golang_semver_valid(const char *v)
{
	struct gover g;
	return parse_strict(v, &g);
}

int golang_semver_compare(const char *v, const char *w)
{
	struct gover gv, gw;
	bool ok1 = parse_strict(v, &gv), ok2 = parse_strict(w, &gw);
	if (!ok1 || !ok2)
		return ok1 == ok2 ? 0 : (ok1 ? 1 : -1);
	return gover_cmp(&gv, &gw);
}

size_t golang_semver_canonical(const char *v, char *out, size_t outsz)
{
	struct gover g;
	if (outsz)
		out[0] = '\0';
	if (!parse_strict(v, &g))
		return 0;
	size_t keep = strlen(v) - g.build_len, fill = strlen(g.short_fill);
	if (keep + fill + 1 > outsz)
		return 0;
	memcpy(out, v, keep);
	memcpy(out + keep, g.short_fill, fill + 1);
	return keep + fill;
}

static int go_compare(const char *a, const char *b, int *cmp)
{
	struct gover ga, gb;
	if (!parse_loose(a, &ga) || !parse_loose(b, &gb))
		return BOSUN_EFORMAT;
	*cmp = gover_cmp(&ga, &gb);
	return BOSUN_OK;
}

static int go_satisfies(const char *v, const char *constraint, unsigned flags, bool *out)
{
	(void)flags;
	static const struct constraint_scheme cs = { go_compare, NULL, 0 };
	return constraint_satisfies(&cs, v, constraint, out);
}

const struct version_scheme version_scheme_golang = {
	.name = "golang",
	.compare = go_compare,
	.valid = golang_semver_valid,
	.satisfies = go_satisfies,
};
