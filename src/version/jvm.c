/* JVM (JDK/JRE) versions, in grype's order: there is no upstream tool for
 * the pre-JEP 223 strings ("1.8.0_131-b11"), so grype's jvm_version.go is
 * the reference. A version is rewritten to semver-ish text (1.8.0_302-b08
 * -> 8.0.302+8, 1.9.0-ea-b19 -> 9.0.0-ea+19, 8.0-update302 -> 8.0.302) and
 * compared as hashicorp/go-version does (numbers padded to three, build
 * metadata ignored). No constraint syntax of its own: satisfies is NULL. */
#include <string.h>

#include "util/buf.h"
#include "version/lang.h"

#define JVM_MAX_LEN 256
#define JVM_MAX_SEGMENTS 16

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static size_t digits(const char *s, size_t n, size_t i)
{
	size_t j = i;
	while (j < n && is_digit(s[j]))
		j++;
	return j - i;
}

/* Length of the UTF-8 character at s[i] as Go's regexp reads it (an
 * invalid byte is one rune). */
static size_t rune_len(const unsigned char *s, size_t n, size_t i)
{
	unsigned char c = s[i];
	size_t len = 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	if (i + len > n)
		return 1;
	for (size_t k = 1; k < len; k++)
		if ((s[i + k] & 0xC0) != 0x80)
			return 1;
	return len;
}

struct jparts {
	struct slice major, minor, patch, update, pre, build;
};

/* ([_-](update)?(_)?(?P<patch>\d+))?: the optional words are tried in the
 * regex's order, and the group matches only if digits follow. */
static size_t match_update(const char *s, size_t n, size_t i, struct slice *num)
{
	if (i >= n || (s[i] != '_' && s[i] != '-'))
		return i;
	bool has_word = i + 7 <= n && !memcmp(s + i + 1, "update", 6);
	for (int opt = 0; opt < 4; opt++) {
		bool word = !(opt & 2), under = !(opt & 1);
		if (word && !has_word)
			continue;
		size_t j = i + 1 + (word ? 6 : 0);
		if (under) {
			if (!(j < n && s[j] == '_'))
				continue;
			j++;
		}
		size_t l = digits(s, n, j);
		if (l) {
			*num = slice_make(s + j, l);
			return j + l;
		}
	}
	return i;
}

/* (-(?P<prerelease>[^b][^-]+))?(-b(?P<build>\d+))? */
static void match_pre_build(const char *s, size_t n, size_t i, struct jparts *p)
{
	const unsigned char *u = (const unsigned char *)s;
	if (i + 1 < n && s[i] == '-' && s[i + 1] != 'b') {
		size_t j = i + 1 + rune_len(u, n, i + 1), k = j;
		while (k < n && s[k] != '-')
			k += rune_len(u, n, k);
		if (k > j) {
			p->pre = slice_make(s + i + 1, k - i - 1);
			i = k;
		}
	}
	if (i + 2 < n && s[i] == '-' && s[i + 1] == 'b') {
		size_t l = digits(s, n, i + 2);
		if (l)
			p->build = slice_make(s + i + 2, l);
	}
}

/* trim0sFromLeft: "0" stays, other leading zeros go ("00" becomes ""). */
static struct slice trim0(struct slice s)
{
	if (s.n == 1 && s.p[0] == '0')
		return s;
	while (s.n && s.p[0] == '0') {
		s.p++;
		s.n--;
	}
	return s;
}

static bool append(char *out, size_t cap, size_t *n, struct slice s)
{
	if (*n + s.n > cap)
		return false;
	memcpy(out + *n, s.p, s.n);
	*n += s.n;
	return true;
}

/* buildSemVer, into out; 0 when it does not fit. */
static size_t build_semver(char *out, size_t cap, struct slice major, struct slice minor, struct slice patch,
			   struct slice pre, struct slice build)
{
	size_t n = 0;
	if (!minor.n)
		minor = SLICE_LIT("0");
	bool ok = append(out, cap, &n, major) && append(out, cap, &n, SLICE_LIT(".")) && append(out, cap, &n, minor);
	if (ok && patch.n)
		ok = append(out, cap, &n, SLICE_LIT(".")) && append(out, cap, &n, patch);
	if (ok && pre.n)
		ok = append(out, cap, &n, SLICE_LIT("-")) && append(out, cap, &n, pre);
	if (ok && build.n)
		ok = append(out, cap, &n, SLICE_LIT("+")) && append(out, cap, &n, build);
	return ok ? n : 0;
}

/* grype's convertPreJep223Version / convertNonCompliantSemver. Returns the
 * rewritten text in out, or the input when the pattern does not match. */
static struct slice convert(struct slice raw, char *out, size_t cap)
{
	struct slice s = raw;
	bool pre_jep = raw.n >= 2 && raw.p[0] == '1' && raw.p[1] == '.';
	if (pre_jep) {
		while (s.n && (s.p[0] == ' ' || (s.p[0] >= '\t' && s.p[0] <= '\r'))) {
			s.p++;
			s.n--;
		}
		while (s.n && (s.p[s.n - 1] == ' ' || (s.p[s.n - 1] >= '\t' && s.p[s.n - 1] <= '\r')))
			s.n--;
	}
	struct jparts p = { 0 };
	size_t i = 0, l;
	if (pre_jep) {
		/* ^1\.(?P<major>\d+)(\.(?P<minor>\d+)([_-](update)?(_)?(?P<patch>\d+))?...)? */
		if (!(s.n >= 2 && s.p[0] == '1' && s.p[1] == '.' && (l = digits(s.p, s.n, 2)) > 0))
			return s;
		p.major = slice_make(s.p + 2, l);
		i = 2 + l;
		if (i + 1 < s.n && s.p[i] == '.' && (l = digits(s.p, s.n, i + 1)) > 0) {
			p.minor = slice_make(s.p + i + 1, l);
			i = match_update(s.p, s.n, i + 1 + l, &p.patch);
			match_pre_build(s.p, s.n, i, &p);
		}
	} else {
		/* ^(?P<major>\d+)(\.(?P<minor>\d+)(\.(?P<patch>\d+))?([_-]...(?P<update>\d+))?...)? */
		if (!(l = digits(s.p, s.n, 0)))
			return s;
		p.major = slice_make(s.p, l);
		i = l;
		if (i + 1 < s.n && s.p[i] == '.' && (l = digits(s.p, s.n, i + 1)) > 0) {
			p.minor = slice_make(s.p + i + 1, l);
			i += 1 + l;
			if (i + 1 < s.n && s.p[i] == '.' && (l = digits(s.p, s.n, i + 1)) > 0) {
				p.patch = slice_make(s.p + i + 1, l);
				i += 1 + l;
			}
			i = match_update(s.p, s.n, i, &p.update);
			match_pre_build(s.p, s.n, i, &p);
		}
	}
	struct slice patch = trim0(p.patch), update = trim0(p.update);
	if (pre_jep && !patch.n)
		patch = SLICE_LIT("0");
	if (!pre_jep && (!patch.n || slice_eq_cstr(patch, "0")) && update.n)
		patch = update;
	size_t n = build_semver(out, cap, trim0(p.major), trim0(p.minor), patch, trim0(p.pre), trim0(p.build));
	return n ? slice_make(out, n) : slice_make(NULL, 0);
}

/* ---- hashicorp/go-version ---- */

struct hver {
	long long seg[JVM_MAX_SEGMENTS];
	size_t nseg;
	struct slice pre;
};

static bool pre_char(char c) { return is_digit(c) || is_alpha(c) || c == '-' || c == '~'; }

/* [X]+(\.[X]+)* with X = [0-9A-Za-z-~], from i; the end, or i if none. */
static size_t dotted_run(struct slice s, size_t i)
{
	size_t j = i;
	while (j < s.n && pre_char(s.p[j]))
		j++;
	if (j == i)
		return i;
	while (j + 1 < s.n && s.p[j] == '.' && pre_char(s.p[j + 1])) {
		j++;
		while (j < s.n && pre_char(s.p[j]))
			j++;
	}
	return j;
}

static bool meta_ok(struct slice s, size_t i)
{
	if (i == s.n)
		return true;
	return s.p[i] == '+' && dotted_run(s, i + 1) == s.n && i + 1 < s.n;
}

static bool hashi_parse(struct slice s, struct hver *v)
{
	memset(v, 0, sizeof *v);
	size_t i = 0;
	if (i < s.n && s.p[i] == 'v')
		i++;
	for (;;) {
		size_t l = digits(s.p, s.n, i);
		if (!l || v->nseg == JVM_MAX_SEGMENTS)
			return false;
		long long x = 0;
		for (size_t k = 0; k < l; k++) {
			if (x > (9223372036854775807LL - (s.p[i + k] - '0')) / 10)
				return false; /* ParseInt overflow */
			x = x * 10 + (s.p[i + k] - '0');
		}
		v->seg[v->nseg++] = x;
		i += l;
		if (!(i + 1 < s.n && s.p[i] == '.' && is_digit(s.p[i + 1])))
			break;
		i++;
	}
	if (v->nseg < 3)
		v->nseg = 3;
	if (i < s.n && s.p[i] != '+') {
		/* -(digit-led) | -?(letter-led), the hyphen given back if needed */
		size_t e;
		if (s.p[i] == '-' && i + 1 < s.n && is_digit(s.p[i + 1]) && meta_ok(s, e = dotted_run(s, i + 1))) {
			v->pre = slice_make(s.p + i + 1, e - i - 1);
			i = e;
		} else {
			size_t st = s.p[i] == '-' ? i + 1 : i;
			if (!(st < s.n && (is_alpha(s.p[st]) || s.p[st] == '-' || s.p[st] == '~') &&
			      meta_ok(s, e = dotted_run(s, st))))
				st = i;
			if (!(st < s.n && (is_alpha(s.p[st]) || s.p[st] == '-' || s.p[st] == '~') &&
			      meta_ok(s, e = dotted_run(s, st))))
				return false;
			v->pre = slice_make(s.p + st, e - st);
			i = e;
		}
	}
	return meta_ok(s, i);
}

/* strconv.ParseInt(s, 10, 64) succeeds */
static bool go_int(struct slice s, long long *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < s.n && (s.p[i] == '+' || s.p[i] == '-'))
		neg = s.p[i++] == '-';
	if (i == s.n)
		return false;
	unsigned long long x = 0;
	for (; i < s.n; i++) {
		if (!is_digit(s.p[i]) || x > (9223372036854775808ULL - (unsigned)(s.p[i] - '0')) / 10)
			return false;
		x = x * 10 + (unsigned)(s.p[i] - '0');
	}
	if (!neg && x > 9223372036854775807ULL)
		return false;
	*out = neg ? (long long)(0 - x) : (long long)x;
	return true;
}

static int go_strcmp(struct slice a, struct slice b)
{
	size_t m = a.n < b.n ? a.n : b.n;
	int c = m ? memcmp(a.p, b.p, m) : 0;
	if (c)
		return c < 0 ? -1 : 1;
	return a.n < b.n ? -1 : a.n > b.n;
}

/* comparePart, quirks included (equal numbers spelled differently: -1). */
static int compare_part(struct slice a, struct slice b)
{
	if (go_strcmp(a, b) == 0)
		return 0;
	long long x = 0, y = 0;
	bool na = go_int(a, &x), nb = go_int(b, &y);
	if (!a.n)
		return nb ? -1 : 1;
	if (!b.n)
		return na ? 1 : -1;
	if (na && !nb)
		return -1;
	if (!na && nb)
		return 1;
	if (!na && !nb && go_strcmp(a, b) > 0)
		return 1;
	return x > y ? 1 : -1;
}

static bool next_dot(struct slice *rest, struct slice *part)
{
	if (!rest->p)
		return false;
	const char *dot = memchr(rest->p, '.', rest->n);
	*part = slice_make(rest->p, dot ? (size_t)(dot - rest->p) : rest->n);
	*rest = dot ? slice_make(dot + 1, rest->n - part->n - 1) : slice_make(NULL, 0);
	return true;
}

static int compare_prereleases(struct slice a, struct slice b)
{
	if (go_strcmp(a, b) == 0)
		return 0;
	struct slice ra = a, rb = b, pa, pb;
	for (;;) {
		bool ha = next_dot(&ra, &pa), hb = next_dot(&rb, &pb);
		if (!ha && !hb)
			return 0;
		int c = compare_part(ha ? pa : SLICE_LIT(""), hb ? pb : SLICE_LIT(""));
		if (c)
			return c;
	}
}

static bool all_zero(const long long *s, size_t from, size_t n)
{
	for (size_t i = from; i < n; i++)
		if (s[i])
			return false;
	return true;
}

static int hashi_cmp(const struct hver *a, const struct hver *b)
{
	bool same = a->nseg == b->nseg;
	for (size_t i = 0; same && i < a->nseg; i++)
		same = a->seg[i] == b->seg[i];
	if (same) {
		if (!a->pre.n && !b->pre.n)
			return 0;
		if (!a->pre.n || !b->pre.n)
			return a->pre.n ? -1 : 1;
		return compare_prereleases(a->pre, b->pre);
	}
	size_t hs = a->nseg > b->nseg ? a->nseg : b->nseg;
	for (size_t i = 0; i < hs; i++) {
		/* jagged: extra segments decide only if not all zero, and then
		 * prereleases are never looked at */
		if (i >= a->nseg)
			return all_zero(b->seg, i, b->nseg) ? 0 : -1;
		if (i >= b->nseg)
			return all_zero(a->seg, i, a->nseg) ? 0 : 1;
		if (a->seg[i] != b->seg[i])
			return a->seg[i] < b->seg[i] ? -1 : 1;
	}
	return 0;
}

static bool jvm_parse(const char *text, struct hver *v, char *buf, size_t cap)
{
	if (!text || strlen(text) > JVM_MAX_LEN)
		return false;
	struct slice s = convert(slice_cstr(text), buf, cap);
	return s.p && hashi_parse(s, v);
}

static int jvm_compare(const char *a, const char *b, int *cmp)
{
	char ba[JVM_MAX_LEN + 16], bb[JVM_MAX_LEN + 16];
	struct hver va, vb;
	if (!jvm_parse(a, &va, ba, sizeof ba) || !jvm_parse(b, &vb, bb, sizeof bb))
		return BOSUN_EFORMAT;
	*cmp = hashi_cmp(&va, &vb);
	return BOSUN_OK;
}

static bool jvm_valid(const char *v)
{
	char b[JVM_MAX_LEN + 16];
	struct hver hv;
	return jvm_parse(v, &hv, b, sizeof b);
}

const struct version_scheme version_scheme_jvm = {
	.name = "jvm",
	.compare = jvm_compare,
	.valid = jvm_valid,
	.satisfies = NULL,
};
