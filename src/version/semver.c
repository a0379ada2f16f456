/* SemVer 2.0 core: parse into numbers plus slices, compare without
 * allocating. See semver.h. */
#include "version/semver.h"

#include <string.h>

#include "util/err.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_ident_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

bool semver_parse_num(const char *p, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(p[i] - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* The digit run of MAJOR, MINOR or PATCH at p[*i]. Strict SemVer forbids
 * leading zeros; node-semver's loose grammar allows them. */
static bool scan_main_num(const char *p, size_t n, size_t *i, unsigned flags)
{
	size_t s = *i;
	while (*i < n && is_digit(p[*i]))
		(*i)++;
	size_t len = *i - s;
	return len > 0 && ((flags & SEMVER_LOOSE) || len == 1 || p[s] != '0');
}

static bool main_num_value(const char *p, size_t n, unsigned flags, uint64_t *out)
{
	uint64_t max = (flags & SEMVER_NPM_CAP) ? SEMVER_NPM_MAX_NUM : UINT64_MAX;
	return semver_parse_num(p, n, max, out);
}

static bool parse_main_num(const char *p, size_t n, size_t *i, unsigned flags, uint64_t *out)
{
	size_t s = *i;
	return scan_main_num(p, n, i, flags) && main_num_value(p + s, *i - s, flags, out);
}

/* Dot-separated identifiers p[s..e): none empty, all of [0-9A-Za-z-].
 * With no_leading_zero, an all-digit identifier other than "0" must not
 * start with '0' (SemVer 2.0 rule 9 for prereleases). */
static bool idents_valid(const char *p, size_t s, size_t e, bool no_leading_zero)
{
	if (s >= e)
		return false;
	size_t start = s;
	for (size_t i = s; i <= e; i++) {
		if (i < e && p[i] != '.') {
			if (!is_ident_char(p[i]))
				return false;
			continue;
		}
		size_t len = i - start;
		if (len == 0)
			return false;
		if (no_leading_zero && len > 1 && p[start] == '0') {
			bool numeric = true;
			for (size_t k = start; k < i; k++)
				numeric = numeric && is_digit(p[k]);
			if (numeric)
				return false;
		}
		start = i + 1;
	}
	return true;
}

/* [-PRE][+BUILD] from p[i] to the end. */
static bool parse_tail(const char *p, size_t n, size_t i, unsigned flags, struct semver *out)
{
	const char *plus = memchr(p + i, '+', n - i);
	size_t pre_end = plus ? (size_t)(plus - p) : n;
	out->pre = slice_make(NULL, 0);
	out->build = slice_make(NULL, 0);
	if (i < pre_end) {
		bool loose = flags & SEMVER_LOOSE;
		if (p[i] == '-' && idents_valid(p, i + 1, pre_end, !loose)) {
			out->pre = slice_make(p + i + 1, pre_end - i - 1);
		} else if (loose && idents_valid(p, i, pre_end, false)) {
			/* node-semver's `-?` is optional in loose mode: "1.2.3beta", and
			 * (by backtracking) "1.2.3-" whose identifier is the hyphen. */
			out->pre = slice_make(p + i, pre_end - i);
		} else {
			return false;
		}
	}
	if (plus) {
		if (!idents_valid(p, pre_end + 1, n, false))
			return false;
		out->build = slice_make(p + pre_end + 1, n - pre_end - 1);
	}
	return true;
}

int semver_parse(const char *p, size_t n, unsigned flags, struct semver *out)
{
	memset(out, 0, sizeof *out);
	if (n > SEMVER_MAX_LEN)
		return BOSUN_EFORMAT;
	size_t i = 0;
	if (!parse_main_num(p, n, &i, flags, &out->major) || i >= n || p[i++] != '.')
		return BOSUN_EFORMAT;
	if (!parse_main_num(p, n, &i, flags, &out->minor) || i >= n || p[i++] != '.')
		return BOSUN_EFORMAT;
	size_t ps = i;
	if (!scan_main_num(p, n, &i, flags))
		return BOSUN_EFORMAT;
	/* Loose: the regex's greedy `\d+` for the patch backtracks one digit so
	 * that a hyphen-less prerelease can start with it ("1.2.34.5" is 1.2.3
	 * with prerelease "4.5"); no shorter split can succeed where that fails.
	 * The numeric limit is checked after the match, as node-semver does. */
	if (!parse_tail(p, n, i, flags, out)) {
		if (!(flags & SEMVER_LOOSE) || i - ps < 2 || !parse_tail(p, n, i - 1, flags, out))
			return BOSUN_EFORMAT;
		i--;
	}
	if (!main_num_value(p + ps, i - ps, flags, &out->patch))
		return BOSUN_EFORMAT;
	return BOSUN_OK;
}

static int cmp_u64(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }

int semver_cmp_main(const struct semver *a, const struct semver *b)
{
	int c = cmp_u64(a->major, b->major);
	if (!c)
		c = cmp_u64(a->minor, b->minor);
	if (!c)
		c = cmp_u64(a->patch, b->patch);
	return c;
}

/* Next identifier of a dot-separated list; false at the end. */
static bool next_ident(struct slice *rest, struct slice *id)
{
	if (!rest->p)
		return false;
	const char *dot = memchr(rest->p, '.', rest->n);
	if (dot) {
		*id = slice_make(rest->p, (size_t)(dot - rest->p));
		*rest = slice_make(dot + 1, rest->n - id->n - 1);
	} else {
		*id = *rest;
		*rest = slice_make(NULL, 0);
	}
	return true;
}

static bool all_digits(struct slice s)
{
	for (size_t i = 0; i < s.n; i++)
		if (!is_digit(s.p[i]))
			return false;
	return true;
}

static int cmp_bytes(struct slice a, struct slice b)
{
	size_t m = a.n < b.n ? a.n : b.n;
	int c = m ? memcmp(a.p, b.p, m) : 0;
	if (c)
		return c < 0 ? -1 : 1;
	return a.n < b.n ? -1 : a.n > b.n;
}

static struct slice strip_zeros(struct slice s)
{
	while (s.n && s.p[0] == '0') {
		s.p++;
		s.n--;
	}
	return s;
}

/* Digit strings by value: fewer significant digits is smaller. */
static int cmp_numeric(struct slice a, struct slice b)
{
	a = strip_zeros(a);
	b = strip_zeros(b);
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	return cmp_bytes(a, b);
}

/* Shared walk over two identifier lists. build_rule selects the Rust crate's
 * build-metadata tie-break (0 < 00) and its vacuous "all digits" for "". */
static int cmp_idents(struct slice a, struct slice b, bool build_rule)
{
	struct slice ra = a, rb = b, ia, ib;
	if (!ra.p)
		ra.p = "";
	if (!rb.p)
		rb.p = "";
	for (;;) {
		bool ha = next_ident(&ra, &ia), hb = next_ident(&rb, &ib);
		if (!ha || !hb)
			return ha ? 1 : hb ? -1 : 0;
		bool na = all_digits(ia), nb = all_digits(ib);
		int c;
		if (na && nb) {
			c = cmp_numeric(ia, ib);
			if (!c && build_rule)
				c = ia.n < ib.n ? -1 : ia.n > ib.n;
		} else if (na || nb) {
			return na ? -1 : 1;
		} else {
			c = cmp_bytes(ia, ib);
		}
		if (c)
			return c;
	}
}

int semver_cmp_pre(struct slice a, struct slice b)
{
	if (!a.n || !b.n)
		return a.n ? -1 : b.n ? 1 : 0;
	return cmp_idents(a, b, false);
}

int semver_cmp(const struct semver *a, const struct semver *b)
{
	int c = semver_cmp_main(a, b);
	return c ? c : semver_cmp_pre(a->pre, b->pre);
}

int semver_cmp_build(struct slice a, struct slice b)
{
	if (!a.n || !b.n)
		return a.n ? 1 : b.n ? -1 : 0;
	return cmp_idents(a, b, true);
}
