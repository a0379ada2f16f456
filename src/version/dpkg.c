/* The deb version scheme: dpkg's parseversion() and verrevcmp(), re-expressed
 * over slices so that comparing allocates nothing. */
#include "version/dpkg.h"
#include "version/constraint.h"
#include "version/version.h"

#include <limits.h>
#include <string.h>

#include "util/err.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
/* dpkg trims with c_isblank: space and tab only. */
static bool is_blank(char c) { return c == ' ' || c == '\t'; }
/* strtol's leading white space (C locale isspace). */
static bool is_space(char c) { return is_blank(c) || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

/* The epoch before the first colon, as dpkg reads it with strtol(): leading
 * white space and a sign are allowed, the digits must end at the colon. */
static enum dpkg_verdict parse_epoch(struct slice s, unsigned long *epoch)
{
	size_t i = 0;
	while (i < s.n && is_space(s.p[i]))
		i++;
	bool neg = false;
	if (i < s.n && (s.p[i] == '+' || s.p[i] == '-'))
		neg = s.p[i++] == '-';
	size_t digits = i;
	unsigned long v = 0;
	bool big = false;
	for (; i < s.n && is_digit(s.p[i]); i++) {
		v = v * 10 + (unsigned long)(s.p[i] - '0');
		if (v > INT_MAX) {
			big = true;
			v = INT_MAX;
		}
	}
	if (i == digits || i != s.n) /* "epoch in version is empty" / "is not number" */
		return DPKG_VERSION_ERROR;
	if ((neg && v != 0) || big) /* negative, or too big */
		return DPKG_VERSION_ERROR;
	*epoch = v;
	return DPKG_VERSION_OK;
}

static bool upstream_char(char c)
{
	return is_digit(c) || is_alpha(c) || c == '.' || c == '+' || c == '~' || c == '-' || c == ':';
}

static bool revision_char(char c) { return is_digit(c) || is_alpha(c) || c == '.' || c == '+' || c == '~'; }

/* The checks parseversion() only warns about. */
static enum dpkg_verdict check_chars(const struct dpkg_version *v)
{
	if (!is_digit(v->upstream.p[0]))
		return DPKG_VERSION_WARN;
	for (size_t i = 1; i < v->upstream.n; i++)
		if (!upstream_char(v->upstream.p[i]))
			return DPKG_VERSION_WARN;
	for (size_t i = 0; i < v->revision.n; i++)
		if (!revision_char(v->revision.p[i]))
			return DPKG_VERSION_WARN;
	return DPKG_VERSION_OK;
}

enum dpkg_verdict dpkg_version_parse(const char *str, struct dpkg_version *v)
{
	size_t len = strnlen(str, VERSION_MAX_LEN + 1);
	if (len > VERSION_MAX_LEN)
		return DPKG_VERSION_ERROR;
	struct slice s = slice_make(str, len);
	while (s.n && is_blank(s.p[0]))
		s.p++, s.n--;
	while (s.n && is_blank(s.p[s.n - 1]))
		s.n--;
	if (s.n == 0)
		return DPKG_VERSION_ERROR; /* "version string is empty" */
	for (size_t i = 0; i < s.n; i++)
		if (is_blank(s.p[i]))
			return DPKG_VERSION_ERROR; /* "version string has embedded spaces" */

	v->epoch = 0;
	const char *colon = memchr(s.p, ':', s.n);
	if (colon) {
		if (parse_epoch(slice_make(s.p, (size_t)(colon - s.p)), &v->epoch) != DPKG_VERSION_OK)
			return DPKG_VERSION_ERROR;
		size_t skip = (size_t)(colon - s.p) + 1;
		s = slice_make(s.p + skip, s.n - skip);
		if (s.n == 0)
			return DPKG_VERSION_ERROR; /* "nothing after colon in version number" */
	}
	/* The revision follows the last hyphen; the upstream may hold others. */
	const char *hyphen = memrchr(s.p, '-', s.n);
	if (hyphen) {
		v->upstream = slice_make(s.p, (size_t)(hyphen - s.p));
		v->revision = slice_make(hyphen + 1, s.n - v->upstream.n - 1);
		if (v->revision.n == 0)
			return DPKG_VERSION_ERROR; /* "revision number is empty" */
	} else {
		v->upstream = s;
		v->revision = slice_make(s.p + s.n, 0);
	}
	if (v->upstream.n == 0)
		return DPKG_VERSION_ERROR; /* "version number is empty" */
	return check_chars(v);
}

/* dpkg's character weight: '~' before the end of the string, the end before
 * letters, letters before everything else. dpkg computes it from a plain
 * (signed, on the platforms it is built for in practice) char, which places
 * bytes above 0x7f between the letters and the punctuation; so do we. */
static int order(const char *p, const char *end)
{
	if (p == end || is_digit(*p))
		return 0;
	if (is_alpha(*p))
		return *p;
	if (*p == '~')
		return -1;
	return (signed char)*p + 256;
}

/* verrevcmp: alternate runs of non-digits (compared by order()) and digits
 * (compared numerically, of any length, leading zeros ignored). */
static int verrevcmp(struct slice sa, struct slice sb)
{
	const char *a = sa.p, *ae = sa.p + sa.n;
	const char *b = sb.p, *be = sb.p + sb.n;

	while (a != ae || b != be) {
		while ((a != ae && !is_digit(*a)) || (b != be && !is_digit(*b))) {
			int ac = order(a, ae), bc = order(b, be);
			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (a != ae && *a == '0')
			a++;
		while (b != be && *b == '0')
			b++;
		int first_diff = 0;
		while (a != ae && b != be && is_digit(*a) && is_digit(*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (a != ae && is_digit(*a))
			return 1;
		if (b != be && is_digit(*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

int dpkg_version_cmp(const struct dpkg_version *a, const struct dpkg_version *b)
{
	if (a->epoch != b->epoch)
		return a->epoch > b->epoch ? 1 : -1;
	int rc = verrevcmp(a->upstream, b->upstream);
	if (rc)
		return rc;
	return verrevcmp(a->revision, b->revision);
}

static int deb_compare(const char *a, const char *b, int *cmp)
{
	struct dpkg_version va, vb;
	/* dpkg --compare-versions compares what parseversion() only warns about. */
	if (dpkg_version_parse(a, &va) == DPKG_VERSION_ERROR || dpkg_version_parse(b, &vb) == DPKG_VERSION_ERROR)
		return BOSUN_EFORMAT;
	int rc = dpkg_version_cmp(&va, &vb);
	*cmp = (rc > 0) - (rc < 0);
	return BOSUN_OK;
}

/* Valid for both of dpkg's implementations: C parseversion() without a
 * warning, and Perl Dpkg::Version::is_valid(), which also wants the epoch to
 * be bare digits where strtol() would take " +1". */
static bool deb_valid(const char *v)
{
	struct dpkg_version parsed;
	if (dpkg_version_parse(v, &parsed) != DPKG_VERSION_OK)
		return false;
	const char *colon = strchr(v, ':');
	if (colon) {
		size_t lead = strspn(v, " \t");
		for (const char *p = v + lead; p < colon; p++)
			if (!is_digit(*p))
				return false;
	}
	return true;
}

static int deb_satisfies(const char *v, const char *constraint, unsigned flags, bool *out)
{
	(void)flags;
	static const struct constraint_scheme cs = { deb_compare, NULL, CONSTRAINT_DEB_OPS };
	return constraint_satisfies(&cs, v, constraint, out);
}

const struct version_scheme version_scheme_deb = {
	.name = "deb",
	.compare = deb_compare,
	.valid = deb_valid,
	.satisfies = deb_satisfies,
};
