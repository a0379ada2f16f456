/* RubyGems: Gem::Version order and Gem::Requirement.
 *
 * A version is digits and ASCII letters separated by dots, with an optional
 * "-pre" tail in which every '-' reads as ".pre." (so 1.0-1 is a
 * prerelease). It compares by its canonical segments: digit runs and letter
 * runs, with trailing zeros dropped from the numeric part and from the
 * end, a missing segment counting as 0, and a letter segment below any
 * number. The canonical segments are produced by an iterator straight from
 * the string, so comparing allocates nothing and has no segment limit. */
#include <string.h>

#include "util/buf.h"
#include "version/lang.h"

/* No limit in Ruby; a bound for what an advisory or image can hand us. */
#define GEM_MAX_LEN 1024

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
/* Ruby's \s: space, \t, \n, \v, \f, \r. */
static bool is_rspace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static struct slice rstrip(struct slice s)
{
	while (s.n && is_rspace(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_rspace(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* VERSION_PATTERN = [0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?
 * matched at the start of s; returns its length, 0 if none. */
static size_t match_version(struct slice s)
{
	size_t i = 0;
	while (i < s.n && is_digit(s.p[i]))
		i++;
	if (!i)
		return 0;
	while (i + 1 < s.n && s.p[i] == '.' && is_alnum(s.p[i + 1])) {
		i++;
		while (i < s.n && is_alnum(s.p[i]))
			i++;
	}
	if (i + 1 < s.n && s.p[i] == '-' && (is_alnum(s.p[i + 1]) || s.p[i + 1] == '-')) {
		i++;
		for (;;) {
			while (i < s.n && (is_alnum(s.p[i]) || s.p[i] == '-'))
				i++;
			if (!(i + 1 < s.n && s.p[i] == '.' && (is_alnum(s.p[i + 1]) || s.p[i + 1] == '-')))
				break;
			i++;
		}
	}
	return i;
}

/* Gem::Version.new(text): `\A\s*(VERSION_PATTERN)?\s*\z`, stripped; a blank
 * string is version "0". */
static bool gem_parse(const char *text, struct slice *out)
{
	if (!text || strlen(text) > GEM_MAX_LEN)
		return false;
	struct slice s = rstrip(slice_cstr(text));
	if (s.n == 0) {
		*out = SLICE_LIT("0");
		return true;
	}
	if (match_version(s) != s.n)
		return false;
	*out = s;
	return true;
}

/* ---- segments ---- */

struct gseg {
	bool num;
	struct slice s; /* digits (leading zeros kept) or letters */
};

struct giter {
	struct slice v;
	size_t i;
	bool seen_string; /* a letter segment was returned: no longer the numeric part */
};

/* The next raw segment of the ".pre."-expanded string: '-' yields "pre". */
static bool raw_next(struct slice v, size_t *i, struct gseg *g)
{
	while (*i < v.n && v.p[*i] == '.')
		(*i)++;
	if (*i >= v.n)
		return false;
	size_t st = *i;
	if (v.p[st] == '-') {
		(*i)++;
		*g = (struct gseg){ false, SLICE_LIT("pre") };
		return true;
	}
	bool num = is_digit(v.p[st]);
	while (*i < v.n && (num ? is_digit(v.p[*i]) : is_alpha(v.p[*i])))
		(*i)++;
	*g = (struct gseg){ num, slice_make(v.p + st, *i - st) };
	return true;
}

static bool is_zero(const struct gseg *g)
{
	if (!g->num)
		return false;
	for (size_t k = 0; k < g->s.n; k++)
		if (g->s.p[k] != '0')
			return false;
	return true;
}

/* The next canonical segment: a run of zeros is dropped when it ends the
 * version, or ends the numeric part (a letter segment follows and none
 * came before). */
static bool canon_next(struct giter *it, struct gseg *g)
{
	if (!raw_next(it->v, &it->i, g))
		return false;
	if (is_zero(g)) {
		size_t j = it->i;
		struct gseg nx;
		bool more;
		while ((more = raw_next(it->v, &j, &nx)) && is_zero(&nx))
			;
		if (!more)
			return false;
		if (!nx.num && !it->seen_string) {
			it->i = j;
			*g = nx;
		}
	}
	if (!g->num)
		it->seen_string = true;
	return true;
}

static struct slice strip_zeros(struct slice s)
{
	while (s.n && s.p[0] == '0') {
		s.p++;
		s.n--;
	}
	return s;
}

static int cmp_bytes(struct slice a, struct slice b)
{
	size_t m = a.n < b.n ? a.n : b.n;
	int c = m ? memcmp(a.p, b.p, m) : 0;
	if (c)
		return c < 0 ? -1 : 1;
	return a.n < b.n ? -1 : a.n > b.n;
}

static int cmp_num(struct slice a, struct slice b)
{
	a = strip_zeros(a);
	b = strip_zeros(b);
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	return cmp_bytes(a, b);
}

/* One pair of segments, a missing one being the number 0. */
static int cmp_seg(const struct gseg *a, const struct gseg *b)
{
	if (a->num != b->num)
		return a->num ? 1 : -1;
	return a->num ? cmp_num(a->s, b->s) : cmp_bytes(a->s, b->s);
}

static int gem_cmp(struct slice a, struct slice b)
{
	struct giter ia = { a, 0, false }, ib = { b, 0, false };
	const struct gseg zero = { true, SLICE_LIT("0") };
	for (;;) {
		struct gseg x, y;
		bool hx = canon_next(&ia, &x), hy = canon_next(&ib, &y);
		if (!hx && !hy)
			return 0;
		int c = cmp_seg(hx ? &x : &zero, hy ? &y : &zero);
		if (c)
			return c;
	}
}

/* ---- ~> ---- */

/* Length of the numeric prefix (segments before the first letter one). */
static size_t numeric_prefix(struct slice v)
{
	size_t i = 0, n = 0;
	struct gseg g;
	while (raw_next(v, &i, &g) && g.num)
		n++;
	return n;
}

/* k-th raw segment (it exists). */
static struct slice raw_seg(struct slice v, size_t k)
{
	size_t i = 0;
	struct gseg g = { 0 };
	for (size_t n = 0; n <= k; n++)
		raw_next(v, &i, &g);
	return g.s;
}

/* v.release < r.bump: the release is v's numeric prefix; bump drops r's
 * letters and, past one segment, its last number, then adds one to the
 * new last. Both are plain numbers, compared with missing ones as 0. */
static bool release_below_bump(struct slice v, struct slice r)
{
	size_t nv = numeric_prefix(v), nr = numeric_prefix(r);
	size_t nb = nr > 1 ? nr - 1 : 1;
	char inc[GEM_MAX_LEN + 2];
	struct slice last = strip_zeros(raw_seg(r, nb - 1));
	/* last + 1 in decimal */
	inc[0] = '0';
	memcpy(inc + 1, last.p, last.n);
	size_t k = last.n;
	while (k > 0 && inc[k] == '9')
		inc[k--] = '0';
	inc[k]++;
	struct slice bumped = inc[0] == '0' ? slice_make(inc + 1, last.n) : slice_make(inc, last.n + 1);
	size_t n = nv > nb ? nv : nb;
	for (size_t i = 0; i < n; i++) {
		struct slice x = i < nv ? raw_seg(v, i) : SLICE_LIT("0");
		struct slice y = i + 1 < nb ? raw_seg(r, i) : i + 1 == nb ? bumped : SLICE_LIT("0");
		int c = cmp_num(x, y);
		if (c)
			return c < 0;
	}
	return false;
}

/* ---- requirements ---- */

enum gop { G_EQ, G_NE, G_GT, G_LT, G_GE, G_LE, G_TWIDDLE };

/* PATTERN = \A\s*(=|!=|>|<|>=|<=|~>)?\s*(VERSION_PATTERN)\s*\z */
static bool parse_requirement(struct slice s, enum gop *op, struct slice *ver)
{
	static const struct {
		const char *tok;
		enum gop op;
	} OPS[] = { { "!=", G_NE }, { ">=", G_GE }, { "<=", G_LE }, { "~>", G_TWIDDLE },
		    { "=", G_EQ },  { ">", G_GT },  { "<", G_LT } };
	s = rstrip(s);
	*op = G_EQ;
	for (size_t k = 0; k < sizeof OPS / sizeof OPS[0]; k++) {
		size_t l = strlen(OPS[k].tok);
		if (s.n >= l && !memcmp(s.p, OPS[k].tok, l)) {
			*op = OPS[k].op;
			s = rstrip(slice_make(s.p + l, s.n - l));
			break;
		}
	}
	*ver = s;
	return s.n && match_version(s) == s.n;
}

static bool requirement_holds(enum gop op, struct slice v, struct slice r)
{
	int c = gem_cmp(v, r);
	switch (op) {
	case G_EQ:
		return c == 0;
	case G_NE:
		return c != 0;
	case G_GT:
		return c > 0;
	case G_LT:
		return c < 0;
	case G_GE:
		return c >= 0;
	case G_LE:
		return c <= 0;
	case G_TWIDDLE:
		return c >= 0 && release_below_bump(v, r);
	}
	return false;
}

/* Gem::Requirement.new(*parts).satisfied_by?(version), the parts being the
 * constraint split at commas ("> 1.1, < 1.3"). */
static int gem_satisfies(const char *version, const char *constraint, unsigned flags, bool *out)
{
	(void)flags;
	*out = false;
	struct slice v;
	if (!gem_parse(version, &v) || !constraint || strlen(constraint) > GEM_MAX_LEN)
		return BOSUN_EFORMAT;
	bool all = true;
	struct slice rest = slice_cstr(constraint);
	for (;;) {
		const char *comma = memchr(rest.p, ',', rest.n);
		struct slice part = slice_make(rest.p, comma ? (size_t)(comma - rest.p) : rest.n);
		enum gop op;
		struct slice r;
		if (!parse_requirement(part, &op, &r))
			return BOSUN_EFORMAT;
		all = all && requirement_holds(op, v, r);
		if (!comma)
			break;
		rest = slice_make(comma + 1, rest.n - part.n - 1);
	}
	*out = all;
	return BOSUN_OK;
}

static int gem_compare(const char *a, const char *b, int *cmp)
{
	struct slice va, vb;
	if (!gem_parse(a, &va) || !gem_parse(b, &vb))
		return BOSUN_EFORMAT;
	*cmp = gem_cmp(va, vb);
	return BOSUN_OK;
}

static bool gem_valid(const char *v)
{
	struct slice s;
	return gem_parse(v, &s);
}

const struct version_scheme version_scheme_gem = {
	.name = "gem",
	.compare = gem_compare,
	.valid = gem_valid,
	.satisfies = gem_satisfies,
};
