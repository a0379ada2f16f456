/* NuGet: NuGet.Versioning's NuGetVersion, VersionComparer.Default and
 * VersionRange.
 *
 * A version is 1 to 4 numbers (System.Version, so leading zeros are fine
 * and normalise away: 1.01 = 1.1.0.0), then optional dot-separated release
 * labels after '-', then metadata after '+', which comparison ignores.
 * Labels compare numerically when both are Int32s, else numeric first,
 * else case-insensitively (NuGet's reading of SemVer 2.0.1).
 *
 * Ranges are interval notation ("[1.0,2.0)", "(,1.0]", "[1.0]") or a bare
 * version, which means ">= that version". A floating version ("1.*",
 * "1.0.0-beta*") counts as its lower bound, as VersionRange.Satisfies does. */
#include <string.h>

#include "util/buf.h"
#include "version/lang.h"

#define NUGET_MAX_LEN 1024

struct nuver {
	long long num[4];
	struct slice labels; /* without '-', may be empty */
	bool has_labels;
};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_ldd(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'; }
/* The whitespace int.Parse allows around a number. */
static bool is_nspace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* .NET char.IsWhiteSpace, for String.Trim(): byte length at s[i], or 0. */
static size_t net_ws_len(const unsigned char *s, size_t n, size_t i)
{
	unsigned char c = s[i];
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return 1;
	if (c == 0xC2 && i + 1 < n && (s[i + 1] == 0x85 || s[i + 1] == 0xA0))
		return 2;
	if (i + 2 >= n)
		return 0;
	unsigned char c1 = s[i + 1], c2 = s[i + 2];
	if ((c == 0xE1 && c1 == 0x9A && c2 == 0x80) || (c == 0xE3 && c1 == 0x80 && c2 == 0x80) ||
	    (c == 0xE2 && c1 == 0x81 && c2 == 0x9F))
		return 3;
	if (c == 0xE2 && c1 == 0x80 && ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF))
		return 3;
	return 0;
}

static struct slice net_trim(struct slice s)
{
	const unsigned char *u = (const unsigned char *)s.p;
	size_t a = 0, b = s.n, l;
	while (a < b && (l = net_ws_len(u, b, a)) > 0)
		a += l;
	while (b > a) {
		size_t back = 0;
		for (size_t k = 1; k <= 3 && k <= b - a && !back; k++)
			if (net_ws_len(u, b, b - k) == k)
				back = k;
		if (!back)
			break;
		b -= back;
	}
	return slice_make(s.p + a, b - a);
}

/* int.TryParse(s, NumberStyles.Integer, Invariant) with a result >= 0:
 * whitespace around, an optional sign, digits, at most Int32.MaxValue. */
static bool parse_component(struct slice s, long long *out)
{
	size_t i = 0, e = s.n;
	while (i < e && is_nspace(s.p[i]))
		i++;
	while (e > i && is_nspace(s.p[e - 1]))
		e--;
	bool neg = false;
	if (i < e && (s.p[i] == '+' || s.p[i] == '-'))
		neg = s.p[i++] == '-';
	if (i == e)
		return false;
	long long v = 0;
	for (; i < e; i++) {
		if (!is_digit(s.p[i]))
			return false;
		v = v * 10 + (s.p[i] - '0');
		if (v > 2147483648LL)
			return false;
	}
	if (neg)
		v = -v;
	if (v < 0 || v > 2147483647LL)
		return false;
	*out = v;
	return true;
}

/* System.Version.TryParse: 2 to 4 components (NuGet appends ".0" to a
 * single number first). */
static bool parse_numbers(struct slice s, struct nuver *v)
{
	size_t count = 0;
	const char *p = s.p, *end = s.p + s.n;
	for (;;) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		struct slice part = slice_make(p, dot ? (size_t)(dot - p) : (size_t)(end - p));
		if (count == 4 || !parse_component(part, &v->num[count]))
			return false;
		count++;
		if (!dot)
			break;
		p = dot + 1;
	}
	return count >= 1;
}

/* SemanticVersionFactory.IsValidPart */
static bool valid_part(struct slice s, bool leading_zeros)
{
	if (!s.n)
		return false;
	bool digits = true;
	for (size_t i = 0; i < s.n; i++) {
		if (!is_ldd(s.p[i]))
			return false;
		digits = digits && is_digit(s.p[i]);
	}
	return leading_zeros || s.n == 1 || s.p[0] != '0' || !digits;
}

static bool valid_parts(struct slice s, bool leading_zeros)
{
	const char *p = s.p, *end = s.p + s.n;
	for (;;) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		if (!valid_part(slice_make(p, dot ? (size_t)(dot - p) : (size_t)(end - p)), leading_zeros))
			return false;
		if (!dot)
			return true;
		p = dot + 1;
	}
}

/* NuGetVersion.TryParse: trim, split at the first '-' or '+' (ParseSections),
 * validate each part. */
static bool nuget_parse_slice(struct slice s, struct nuver *v)
{
	memset(v, 0, sizeof *v);
	if (s.n > NUGET_MAX_LEN)
		return false;
	s = net_trim(s);
	if (!s.n)
		return false;
	size_t dash = s.n;
	for (size_t i = 0; i < s.n && dash == s.n; i++)
		if (s.p[i] == '-' || s.p[i] == '+')
			dash = i;
	/* ParseSections keeps a trailing separator in the version part, so
	 * "1.0-" and "1.0+" fail below. */
	if (dash == s.n - 1)
		return false;
	struct slice num = slice_make(s.p, dash);
	struct slice rest = dash < s.n ? slice_make(s.p + dash + 1, s.n - dash - 1) : slice_make(s.p + s.n, 0);
	struct slice meta = { 0 };
	bool has_meta = false;
	if (dash < s.n && s.p[dash] == '-') {
		const char *plus = memchr(rest.p, '+', rest.n);
		v->has_labels = true;
		if (plus) {
			/* a '+' that ends the string stays in the labels, and fails */
			if (plus == rest.p + rest.n - 1) {
				v->labels = rest;
			} else {
				v->labels = slice_make(rest.p, (size_t)(plus - rest.p));
				meta = slice_make(plus + 1, rest.n - v->labels.n - 1);
				has_meta = true;
			}
		} else {
			v->labels = rest;
		}
	} else if (dash < s.n) {
		meta = rest;
		has_meta = true;
	}
	if (!num.n || !parse_numbers(num, v))
		return false;
	if (v->has_labels && !valid_parts(v->labels, false))
		return false;
	return !has_meta || valid_parts(meta, true);
}

static bool nuget_parse(const char *s, struct nuver *v)
{
	return s && nuget_parse_slice(slice_cstr(s), v);
}

/* ---- VersionComparer.Default ---- */

/* int.TryParse on a label: an optional '-' and digits within Int32. */
static bool label_int(struct slice s, long long *out)
{
	size_t i = 0;
	bool neg = s.n && s.p[0] == '-';
	i += neg;
	if (i == s.n)
		return false;
	long long v = 0;
	for (; i < s.n; i++) {
		if (!is_digit(s.p[i]))
			return false;
		v = v * 10 + (s.p[i] - '0');
		if (v > 2147483648LL)
			return false;
	}
	v = neg ? -v : v;
	if (v > 2147483647LL)
		return false;
	*out = v;
	return true;
}

static char upper(char c) { return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c; }

/* StringComparer.OrdinalIgnoreCase on ASCII labels. */
static int cmp_ignore_case(struct slice a, struct slice b)
{
	size_t m = a.n < b.n ? a.n : b.n;
	for (size_t i = 0; i < m; i++) {
		char x = upper(a.p[i]), y = upper(b.p[i]);
		if (x != y)
			return (unsigned char)x < (unsigned char)y ? -1 : 1;
	}
	return a.n < b.n ? -1 : a.n > b.n;
}

static int cmp_label(struct slice a, struct slice b)
{
	long long x, y;
	bool na = label_int(a, &x), nb = label_int(b, &y);
	if (na && nb)
		return x < y ? -1 : x > y;
	if (na || nb)
		return na ? -1 : 1;
	return cmp_ignore_case(a, b);
}

static bool next_label(struct slice *rest, struct slice *l)
{
	if (!rest->p)
		return false;
	const char *dot = memchr(rest->p, '.', rest->n);
	*l = slice_make(rest->p, dot ? (size_t)(dot - rest->p) : rest->n);
	*rest = dot ? slice_make(dot + 1, rest->n - l->n - 1) : slice_make(NULL, 0);
	return true;
}

static int nuget_cmp(const struct nuver *a, const struct nuver *b)
{
	for (int i = 0; i < 4; i++)
		if (a->num[i] != b->num[i])
			return a->num[i] < b->num[i] ? -1 : 1;
	if (a->has_labels != b->has_labels)
		return a->has_labels ? -1 : 1;
	if (!a->has_labels)
		return 0;
	struct slice ra = a->labels, rb = b->labels, la, lb;
	for (;;) {
		bool ha = next_label(&ra, &la), hb = next_label(&rb, &lb);
		if (!ha || !hb)
			return ha ? 1 : hb ? -1 : 0;
		int c = cmp_label(la, lb);
		if (c)
			return c;
	}
}

/* ---- VersionRange.TryParse (allowFloating) ---- */

#define NUGET_FLOAT_BUF (NUGET_MAX_LEN + 4)

/* FloatRange.TryParse, reduced to its MinVersion: the '*' parts become the
 * lowest version they float over. The version is built in buf (which v's
 * labels then point into). */
static bool parse_float_min(struct slice s, struct nuver *v, char *buf)
{
	const char *first = memchr(s.p, '*', s.n), *last = first;
	for (const char *q = first; q && q < s.p + s.n; q++)
		if (*q == '*')
			last = q;
	bool has_plus = memchr(s.p, '+', s.n) != NULL;
	const char *dash = memchr(s.p, '-', s.n);
	size_t n = 0;
	if (s.n == 1)
		return nuget_parse_slice(SLICE_LIT("0.0"), v);
	if (slice_eq_cstr(s, "*-*"))
		return nuget_parse_slice(SLICE_LIT("0.0.0-0"), v);
	if (first != last) {
		/* "1.*-*": only prereleases float, stars before the dash and at the end */
		if (has_plus || !dash || last != s.p + s.n - 1 || first != dash - 1)
			return false;
		size_t stable = (size_t)(first - s.p);
		memcpy(buf, s.p, stable);
		n = stable;
		buf[n++] = '0';
		buf[n++] = '-';
		size_t pre = (size_t)(last - dash - 1);
		memcpy(buf + n, dash + 1, pre);
		n += pre;
		if (pre == 0 || buf[n - 1] == '.')
			buf[n++] = '0';
		return nuget_parse_slice(slice_make(buf, n), v);
	}
	if (last != s.p + s.n - 1 || has_plus)
		return false;
	n = s.n - 1;
	memcpy(buf, s.p, n);
	if (!dash) {
		buf[n++] = '0';
	} else {
		const char *last_dash = dash;
		for (const char *q = dash; q < s.p + s.n; q++)
			if (*q == '-')
				last_dash = q;
		if (last_dash == dash) {
			size_t prefix = n - (size_t)(dash - s.p) - 1;
			if (prefix == 0 || buf[n - 1] == '.')
				buf[n++] = '0';
			else if (buf[n - 1] == '-')
				buf[n++] = '-';
		}
	}
	return nuget_parse_slice(slice_make(buf, n), v);
}

static bool blank(struct slice s) { return net_trim(s).n == 0; }

static int nuget_satisfies(const char *version, const char *constraint, unsigned flags, bool *out)
{
	(void)flags;
	*out = false;
	struct nuver v, lo, hi;
	char fbuf[NUGET_FLOAT_BUF];
	if (!nuget_parse(version, &v) || !constraint || strlen(constraint) > NUGET_MAX_LEN)
		return BOSUN_EFORMAT;
	struct slice t = net_trim(slice_cstr(constraint));
	if (!t.n)
		return BOSUN_EFORMAT;
	if (slice_eq_cstr(t, "*")) {
		*out = nuget_cmp(&v, &(struct nuver){ { 0, 0, 0, 0 }, { 0 }, false }) >= 0;
		return BOSUN_OK;
	}
	bool lo_inc = true, hi_inc = false;
	struct slice smin = t, smax = { 0 };
	if (t.p[0] == '(' || t.p[0] == '[') {
		lo_inc = t.p[0] == '[';
		char last = t.p[t.n - 1];
		if (t.n < 2 || (last != ']' && last != ')'))
			return BOSUN_EFORMAT;
		hi_inc = last == ']';
		struct slice in = slice_make(t.p + 1, t.n - 2);
		const char *comma = memchr(in.p, ',', in.n);
		if (comma && memchr(comma + 1, ',', (size_t)(in.p + in.n - comma - 1)))
			return BOSUN_EFORMAT; /* more than two parts */
		if (comma) {
			smin = slice_make(in.p, (size_t)(comma - in.p));
			smax = slice_make(comma + 1, (size_t)(in.p + in.n - comma - 1));
			if (!smin.n && !smax.n)
				return BOSUN_EFORMAT; /* (,) */
		} else {
			if (!in.n || !lo_inc || !hi_inc)
				return BOSUN_EFORMAT; /* (1.0] and friends */
			smin = smax = in;
		}
	}
	bool has_lo = !blank(smin), has_hi = smax.p && !blank(smax);
	if (has_lo) {
		bool floating = memchr(smin.p, '*', smin.n) != NULL;
		if (!(floating ? parse_float_min(smin, &lo, fbuf) : nuget_parse_slice(smin, &lo)))
			return BOSUN_EFORMAT;
	}
	if (has_hi && !nuget_parse_slice(smax, &hi))
		return BOSUN_EFORMAT;
	if (has_lo && has_hi) {
		int c = nuget_cmp(&lo, &hi);
		if (c > 0 || (c == 0 && lo_inc != hi_inc))
			return BOSUN_EFORMAT;
	}
	bool ok = true;
	if (has_lo)
		ok = ok && (lo_inc ? nuget_cmp(&lo, &v) <= 0 : nuget_cmp(&lo, &v) < 0);
	if (has_hi)
		ok = ok && (hi_inc ? nuget_cmp(&hi, &v) >= 0 : nuget_cmp(&hi, &v) > 0);
	*out = ok;
	return BOSUN_OK;
}

static int nuget_compare(const char *a, const char *b, int *cmp)
{
	struct nuver va, vb;
	if (!nuget_parse(a, &va) || !nuget_parse(b, &vb))
		return BOSUN_EFORMAT;
	*cmp = nuget_cmp(&va, &vb);
	return BOSUN_OK;
}

static bool nuget_valid(const char *v)
{
	struct nuver nv;
	return nuget_parse(v, &nv);
}

const struct version_scheme version_scheme_nuget = {
	.name = "nuget",
	.compare = nuget_compare,
	.valid = nuget_valid,
	.satisfies = nuget_satisfies,
};
