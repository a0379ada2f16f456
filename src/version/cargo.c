/* Cargo: the Rust `semver` crate's Version and VersionReq.
 *
 * Versions are strict SemVer 2.0 (no "v", no whitespace, no leading
 * zeros). Unlike npm, the crate's order breaks ties on build metadata, so
 * that it agrees with equality: 1.0.0+a < 1.0.0+b.
 *
 * Requirements are comma-separated comparators (AND): `^` (the default),
 * `~`, `=`, `>`, `>=`, `<`, `<=`, and wildcards `*`/`x`/`X` in place of
 * the minor or patch; a bare `*` matches every release. As in cargo, a
 * prerelease only matches when some comparator names a prerelease of the
 * same major.minor.patch, unless VERSION_INCLUDE_PRERELEASE asks for the
 * crate's `matches_prerelease` rules. */
#include <string.h>

#include "version/lang.h"
#include "version/semver.h"

/* The crate's MAX_COMPARATORS. */
#define CARGO_MAX_COMPARATORS 32
#define CARGO_REQ_MAX 4096

enum cop { C_EXACT, C_GT, C_GE, C_LT, C_LE, C_TILDE, C_CARET, C_WILDCARD };

struct ccmp {
	enum cop op;
	uint64_t major, minor, patch;
	bool has_minor, has_patch;
	struct slice pre;
};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static int cargo_parse(const char *s, struct semver *v)
{
	if (!s)
		return BOSUN_EFORMAT;
	return semver_parse(s, strlen(s), 0, v);
}

static struct slice skip_spaces(struct slice s)
{
	while (s.n && s.p[0] == ' ') {
		s.p++;
		s.n--;
	}
	return s;
}

/* numeric_identifier: digits, no leading zero, fits u64. */
static bool take_num(struct slice *s, uint64_t *out)
{
	size_t l = 0;
	while (l < s->n && is_digit(s->p[l]))
		l++;
	if (!l || (l > 1 && s->p[0] == '0') || !semver_parse_num(s->p, l, UINT64_MAX, out))
		return false;
	s->p += l;
	s->n -= l;
	return true;
}

static bool take_wildcard(struct slice *s)
{
	if (s->n && (s->p[0] == '*' || s->p[0] == 'x' || s->p[0] == 'X')) {
		s->p++;
		s->n--;
		return true;
	}
	return false;
}

/* Identifiers after '-' or '+': the run of [0-9A-Za-z.-] up to what cannot
 * belong, validated like a version's. */
static bool take_idents(struct slice *s, bool pre, struct slice *out)
{
	size_t l = 0;
	while (l < s->n && (is_digit(s->p[l]) || (s->p[l] >= 'a' && s->p[l] <= 'z') ||
			    (s->p[l] >= 'A' && s->p[l] <= 'Z') || s->p[l] == '-' || s->p[l] == '.'))
		l++;
	/* Reuse the version grammar: "0.0.0-<ids>" / "0.0.0+<ids>". */
	char buf[SEMVER_MAX_LEN + 8];
	if (l == 0 || l > SEMVER_MAX_LEN)
		return false;
	memcpy(buf, pre ? "0.0.0-" : "0.0.0+", 6);
	memcpy(buf + 6, s->p, l);
	struct semver tmp;
	if (semver_parse(buf, l + 6, 0, &tmp) != BOSUN_OK)
		return false;
	*out = slice_make(s->p, l);
	s->p += l;
	s->n -= l;
	return true;
}

/* One comparator (parse.rs `comparator`); leaves s after it and its
 * trailing spaces. */
static bool parse_comparator(struct slice *s, struct ccmp *c)
{
	memset(c, 0, sizeof *c);
	struct slice t = *s;
	size_t oplen = 1;
	c->op = C_CARET;
	if (t.n && t.p[0] == '=')
		c->op = C_EXACT;
	else if (t.n && (t.p[0] == '>' || t.p[0] == '<')) {
		bool eq = t.n > 1 && t.p[1] == '=';
		c->op = t.p[0] == '>' ? (eq ? C_GE : C_GT) : (eq ? C_LE : C_LT);
		oplen += eq;
	} else if (t.n && t.p[0] == '~')
		c->op = C_TILDE;
	else if (!(t.n && t.p[0] == '^'))
		oplen = 0;
	bool default_op = oplen == 0;
	t.p += oplen;
	t.n -= oplen;
	t = skip_spaces(t);
	if (!take_num(&t, &c->major))
		return false;
	bool wild = false;
	if (t.n && t.p[0] == '.') {
		t.p++;
		t.n--;
		if (take_wildcard(&t)) {
			wild = true;
			if (default_op)
				c->op = C_WILDCARD;
		} else if (!take_num(&t, &c->minor)) {
			return false;
		} else {
			c->has_minor = true;
		}
	}
	if (t.n && t.p[0] == '.') {
		t.p++;
		t.n--;
		if (take_wildcard(&t)) {
			if (default_op)
				c->op = C_WILDCARD;
		} else if (wild || !take_num(&t, &c->patch)) {
			return false;
		} else {
			c->has_patch = true;
		}
	}
	if (c->has_patch && t.n && t.p[0] == '-') {
		t.p++;
		t.n--;
		if (!take_idents(&t, true, &c->pre))
			return false;
	}
	struct slice build;
	if (c->has_patch && t.n && t.p[0] == '+') {
		t.p++;
		t.n--;
		if (!take_idents(&t, false, &build))
			return false;
	}
	*s = skip_spaces(t);
	return true;
}

/* ---- eval.rs ---- */

static int cmp_u64(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }

static bool matches_exact(const struct ccmp *c, const struct semver *v)
{
	return v->major == c->major && (!c->has_minor || v->minor == c->minor) &&
	       (!c->has_patch || v->patch == c->patch) && semver_cmp_pre(v->pre, c->pre) == 0;
}

/* matches_greater (dir 1) and matches_less (dir -1). */
static bool matches_side(const struct ccmp *c, const struct semver *v, int dir)
{
	if (v->major != c->major)
		return cmp_u64(v->major, c->major) == dir;
	if (!c->has_minor)
		return false;
	if (v->minor != c->minor)
		return cmp_u64(v->minor, c->minor) == dir;
	if (!c->has_patch)
		return false;
	if (v->patch != c->patch)
		return cmp_u64(v->patch, c->patch) == dir;
	return semver_cmp_pre(v->pre, c->pre) == dir;
}

static bool matches_tilde(const struct ccmp *c, const struct semver *v)
{
	if (v->major != c->major || (c->has_minor && v->minor != c->minor))
		return false;
	if (c->has_patch && v->patch != c->patch)
		return v->patch > c->patch;
	return semver_cmp_pre(v->pre, c->pre) >= 0;
}

static bool matches_caret(const struct ccmp *c, const struct semver *v)
{
	if (v->major != c->major)
		return false;
	if (!c->has_minor)
		return true;
	if (!c->has_patch)
		return c->major > 0 ? v->minor >= c->minor : v->minor == c->minor;
	if (c->major > 0) {
		if (v->minor != c->minor)
			return v->minor > c->minor;
		if (v->patch != c->patch)
			return v->patch > c->patch;
	} else if (c->minor > 0) {
		if (v->minor != c->minor)
			return false;
		if (v->patch != c->patch)
			return v->patch > c->patch;
	} else if (v->minor != c->minor || v->patch != c->patch) {
		return false;
	}
	return semver_cmp_pre(v->pre, c->pre) >= 0;
}

/* matches_caret_prerelease: [c, next breaking)-0, prereleases included.
 * The crate unwraps a missing patch for ^0 and ^0.0 (and panics); here
 * those end at 1.0.0-0 and 0.1.0-0, as ^0 and ^0.0 do without prereleases. */
static bool matches_caret_pre(const struct ccmp *c, const struct semver *v)
{
	if (matches_exact(c, v))
		return true;
	if (!matches_side(c, v, 1))
		return false;
	struct ccmp up = { C_LE, c->major, 0, 0, true, true, SLICE_LIT("0") };
	if (c->major > 0) {
		if (c->major == UINT64_MAX)
			return true;
		up.major++;
	} else if (c->has_minor && c->minor > 0) {
		if (c->minor == UINT64_MAX)
			return true;
		up.minor = c->minor + 1;
	} else if (!c->has_minor) {
		up.major = 1;
	} else if (!c->has_patch) {
		up.minor = 1;
	} else {
		if (c->patch == UINT64_MAX)
			return true;
		up.patch = c->patch + 1;
	}
	return matches_side(&up, v, -1);
}

static bool matches_impl(const struct ccmp *c, const struct semver *v, bool pre_matches)
{
	switch (c->op) {
	case C_EXACT:
	case C_WILDCARD:
		return matches_exact(c, v);
	case C_GT:
		return matches_side(c, v, 1);
	case C_GE:
		return matches_exact(c, v) || matches_side(c, v, 1);
	case C_LT:
		return matches_side(c, v, -1);
	case C_LE:
		return matches_exact(c, v) || matches_side(c, v, -1);
	case C_TILDE:
		return matches_tilde(c, v);
	case C_CARET:
		return pre_matches ? matches_caret_pre(c, v) : matches_caret(c, v);
	}
	return false;
}

static bool pre_is_compatible(const struct ccmp *c, const struct semver *v)
{
	return c->major == v->major && c->has_minor && c->minor == v->minor && c->has_patch &&
	       c->patch == v->patch && c->pre.n > 0;
}

/* VersionReq::parse(constraint).matches(version). The comparators are
 * tested as they are parsed; the whole string is still validated. */
static int cargo_satisfies(const char *version, const char *constraint, unsigned flags, bool *out)
{
	*out = false;
	struct semver v;
	if (cargo_parse(version, &v) != BOSUN_OK || !constraint || strlen(constraint) > CARGO_REQ_MAX)
		return BOSUN_EFORMAT;
	bool pre_matches = flags & VERSION_INCLUDE_PRERELEASE;
	struct slice s = skip_spaces(slice_cstr(constraint));
	struct slice w = s;
	if (take_wildcard(&w)) {
		/* "*" alone: every version (subject to the prerelease rule) */
		if (skip_spaces(w).n)
			return BOSUN_EFORMAT;
		*out = !v.pre.n || pre_matches;
		return BOSUN_OK;
	}
	bool all = true, pre_ok = false;
	for (unsigned n = 0;; n++) {
		struct ccmp c;
		if (n == CARGO_MAX_COMPARATORS || !parse_comparator(&s, &c))
			return BOSUN_EFORMAT;
		all = all && matches_impl(&c, &v, pre_matches);
		pre_ok = pre_ok || pre_is_compatible(&c, &v);
		if (!s.n)
			break;
		if (s.p[0] != ',')
			return BOSUN_EFORMAT;
		s = skip_spaces(slice_make(s.p + 1, s.n - 1));
	}
	*out = all && (!v.pre.n || pre_matches || pre_ok);
	return BOSUN_OK;
}

/* Version's Ord: major, minor, patch, prerelease, then build metadata. */
static int cargo_compare(const char *a, const char *b, int *cmp)
{
	struct semver va, vb;
	if (cargo_parse(a, &va) || cargo_parse(b, &vb))
		return BOSUN_EFORMAT;
	int c = semver_cmp(&va, &vb);
	*cmp = c ? c : semver_cmp_build(va.build, vb.build);
	return BOSUN_OK;
}

static bool cargo_valid(const char *v)
{
	struct semver sv;
	return cargo_parse(v, &sv) == BOSUN_OK;
}

const struct version_scheme version_scheme_cargo = {
	.name = "cargo",
	.compare = cargo_compare,
	.valid = cargo_valid,
	.satisfies = cargo_satisfies,
};
