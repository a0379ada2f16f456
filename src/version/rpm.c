/* The rpm version scheme: rpmvercmp() and epoch:version-release ordering.
 *
 * EVR strings are split as rpm's parseEVR() does (the epoch is the leading
 * digits before a ':', the release follows the last '-'), a missing epoch is
 * 0, and the parts are compared as rpm.labelCompare() does: epoch, version,
 * then release, where a missing release sorts before any release. Grype
 * instead ignores the epoch when only one side has one; bosun follows rpm
 * (see docs/vercmp.md). */
#include "version/rpm.h"
#include "version/constraint.h"
#include "version/version.h"

#include <string.h>

#include "util/buf.h"
#include "util/err.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

/* strcmp() of two segments: bytes, then the shorter first. */
static int seg_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int rc = memcmp(a, b, an < bn ? an : bn);
	if (rc)
		return rc < 0 ? -1 : 1;
	return (an > bn) - (an < bn);
}

/* Compares the alphanumeric segments at *pa and *pb (both non-empty, a's
 * type decides) and advances past them; 0 when equal. */
static int segment(const char **pa, const char *ae, const char **pb, const char *be)
{
	const char *a = *pa, *b = *pb, *sa = a, *sb = b;
	bool num = is_digit(*a);
	bool (*in)(char) = num ? is_digit : is_alpha;
	while (sa != ae && in(*sa))
		sa++;
	while (sb != be && in(*sb))
		sb++;
	if (sb == b) /* different types: numeric is newer than alpha */
		return num ? 1 : -1;
	*pa = sa;
	*pb = sb;
	if (num) {
		while (a != sa && *a == '0')
			a++;
		while (b != sb && *b == '0')
			b++;
		size_t an = (size_t)(sa - a), bn = (size_t)(sb - b);
		if (an != bn) /* more digits wins */
			return an > bn ? 1 : -1;
	}
	return seg_cmp(a, (size_t)(sa - a), b, (size_t)(sb - b));
}

static int vercmp(struct slice sa, struct slice sb)
{
	if (slice_eq(sa, sb))
		return 0;
	const char *a = sa.p, *ae = sa.p + sa.n, *b = sb.p, *be = sb.p + sb.n;
	while (a != ae || b != be) {
		while (a != ae && !is_alnum(*a) && *a != '~' && *a != '^')
			a++;
		while (b != be && !is_alnum(*b) && *b != '~' && *b != '^')
			b++;
		bool aend = a == ae, bend = b == be;
		/* "~" sorts before everything, the end included. */
		if ((!aend && *a == '~') || (!bend && *b == '~')) {
			if (aend || *a != '~')
				return 1;
			if (bend || *b != '~')
				return -1;
			a++, b++;
			continue;
		}
		/* "^" sorts after the end but before anything else. */
		if ((!aend && *a == '^') || (!bend && *b == '^')) {
			if (aend)
				return -1;
			if (bend)
				return 1;
			if (*a != '^')
				return 1;
			if (*b != '^')
				return -1;
			a++, b++;
			continue;
		}
		if (aend || bend)
			break;
		int rc = segment(&a, ae, &b, be);
		if (rc)
			return rc;
	}
	if (a == ae && b == be)
		return 0;
	return a == ae ? -1 : 1;
}

int rpm_vercmp(const char *a, const char *b) { return vercmp(slice_cstr(a), slice_cstr(b)); }

struct evr {
	struct slice epoch; /* "0" when absent */
	struct slice version;
	struct slice release;
	bool has_release;
};

/* rpm's parseEVR(). */
static void parse_evr(struct slice s, struct evr *e)
{
	size_t i = 0;
	while (i < s.n && is_digit(s.p[i]))
		i++;
	e->epoch = SLICE_LIT("0");
	if (i < s.n && s.p[i] == ':') {
		if (i > 0)
			e->epoch = slice_make(s.p, i);
		s = slice_make(s.p + i + 1, s.n - i - 1);
	}
	const char *dash = s.n ? memrchr(s.p, '-', s.n) : NULL;
	e->has_release = dash != NULL;
	if (dash) {
		e->version = slice_make(s.p, (size_t)(dash - s.p));
		e->release = slice_make(dash + 1, s.n - e->version.n - 1);
	} else {
		e->version = s;
		e->release = slice_make(s.p + s.n, 0);
	}
}

static int evr_cmp(const struct evr *a, const struct evr *b)
{
	int rc = vercmp(a->epoch, b->epoch);
	if (rc == 0)
		rc = vercmp(a->version, b->version);
	if (rc == 0 && (a->has_release || b->has_release)) {
		/* labelCompare(): a missing release is older than any release. */
		if (!a->has_release || !b->has_release)
			return a->has_release ? 1 : -1;
		rc = vercmp(a->release, b->release);
	}
	return rc;
}

static int bounded(const char *s, struct slice *out)
{
	size_t n = strnlen(s, VERSION_MAX_LEN + 1);
	if (n > VERSION_MAX_LEN)
		return BOSUN_EFORMAT;
	*out = slice_make(s, n);
	return BOSUN_OK;
}

/* rpm orders any string, so only an over-long one is refused. */
static int rpm_compare(const char *a, const char *b, int *cmp)
{
	struct slice sa, sb;
	TRY(bounded(a, &sa));
	TRY(bounded(b, &sb));
	struct evr ea, eb;
	parse_evr(sa, &ea);
	parse_evr(sb, &eb);
	*cmp = evr_cmp(&ea, &eb);
	return BOSUN_OK;
}

/* What rpmbuild accepts in a Version or Release tag (after macro expansion). */
static bool verrel_ok(struct slice s)
{
	if (s.n == 0)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!is_alnum(s.p[i]) && !strchr("._+~^", s.p[i]))
			return false;
	return true;
}

/* rpm has no validity check of its own for a version string; this is what a
 * package built by rpmbuild can carry: [digits:]version[-release]. */
static bool rpm_valid(const char *v)
{
	struct slice s;
	if (bounded(v, &s) != BOSUN_OK)
		return false;
	if (s.n && s.p[0] == ':')
		return false; /* ":1.0": a colon but no epoch */
	struct evr e;
	parse_evr(s, &e);
	return verrel_ok(e.version) && (!e.has_release || verrel_ok(e.release));
}

static int rpm_satisfies(const char *v, const char *constraint, unsigned flags, bool *out)
{
	(void)flags;
	static const struct constraint_scheme cs = { rpm_compare, NULL, 0 };
	return constraint_satisfies(&cs, v, constraint, out);
}

const struct version_scheme version_scheme_rpm = {
	.name = "rpm",
	.compare = rpm_compare,
	.valid = rpm_valid,
	.satisfies = rpm_satisfies,
};
