/* Composer (Packagist): composer/semver 3's VersionParser and Constraint on
 * top of PHP's version_compare().
 *
 * Composer never compares what people write. It first normalizes a version
 * (VersionParser::normalize): up to four numbers padded to four (`1.2` ->
 * `1.2.0.0`, `v1.2.3.4` keeps its four), or a date (`2010-01-02` ->
 * `2010.01.02`), then a stability (`-RC1`, `-beta2`, `-alpha`, `-patch2`
 * from `p2`/`pl2`) and `-dev`; `1.x-dev` is `1.9999999.9999999.9999999-dev`.
 * The normalized strings are ordered by PHP's version_compare(), in which
 * dev < alpha < beta < RC < (the release) < patch: `1.0.0-p2` is above
 * `1.0.0`, unlike SemVer. Branches (`dev-master`, `dev-feature`) have no
 * order, so compare() and valid() refuse them; in constraints they satisfy
 * only `==`/`!=` of themselves and `*`, as Constraint::versionCompare()
 * decides with compareBranches off.
 *
 * Constraints are VersionParser::parseConstraints(): `||` or `|` (OR), blank
 * or `,` (AND), `^`, `~`, wildcards (`1.2.*`), hyphen ranges (`1.0 - 2.0`),
 * `= == != <> < <= > >=`, `@stability` flags and `as` aliases. Composer
 * defines each with a regular expression; here each is a small matcher that
 * makes the same backtracking choices, over stack buffers, so odd input
 * means what it means to Composer (`<1.2.3` is `< 1.2.3.0-dev`, which
 * leaves out 1.2.3's own RCs; `1.2.` is 1.2.0.0; `~>1.2` is an error).
 *
 * One deliberate difference: PHP compares numbers with strtol(), which
 * saturates past 2^63; bosun compares digit strings exactly.
 *
 * References: composer/semver 3.x src/VersionParser.php and
 * src/Constraint/Constraint.php; php-src ext/standard/versioning.c. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "version/lang.h"

/* A normalized version is at most the input plus padding and expansions. */
#define CP_CAP (VERSION_MAX_LEN + 64)
/* Longest constraint accepted; real ones are tens of bytes. */
#define CP_RANGE_MAX 4096

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static char to_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }
/* PCRE's \s. */
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }
static bool is_x(char c) { return c == 'x' || c == 'X' || c == '*'; }

/* PHP trim()'s default set (NUL cannot occur in a C string). */
static struct slice php_trim(struct slice s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\n' || s.p[0] == '\r' || s.p[0] == '\v')) {
		s.p++;
		s.n--;
	}
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\n' || s.p[s.n - 1] == '\r' ||
		       s.p[s.n - 1] == '\v'))
		s.n--;
	return s;
}

/* Whether word is at s[i] (case-insensitively with icase). */
static bool word_at(struct slice s, size_t i, const char *w, bool icase)
{
	size_t n = strlen(w);
	if (i > s.n || s.n - i < n)
		return false;
	for (size_t k = 0; k < n; k++)
		if (icase ? to_lower(s.p[i + k]) != to_lower(w[k]) : s.p[i + k] != w[k])
			return false;
	return true;
}

static bool slice_is(struct slice s, const char *w) { return s.n == strlen(w) && word_at(s, 0, w, false); }

/* ---- output buffer ---- */

struct out {
	char *p;
	size_t n, cap;
	bool over;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->over || n >= o->cap - o->n) {
		o->over = true;
		return;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static void put_str(struct out *o, const char *s) { put(o, s, strlen(s)); }
static void put_slice(struct out *o, struct slice s) { put(o, s.p, s.n); }

/* ---- PHP's version_compare() ---- */

/* php_canonicalize_version(): '-', '_', '+' and other punctuation become
 * '.', and a '.' goes between a digit and a non-digit. out holds 2n + 1. */
static size_t php_canon(const char *v, size_t n, char *out)
{
	if (!n)
		return 0;
	size_t q = 0;
	char lp = v[0];
	out[q++] = v[0];
	for (size_t i = 1; i < n; i++) {
		char c = v[i], lq = out[q - 1];
		bool dig = is_digit(c), ldig = is_digit(lp);
		bool ndig = !dig && c != '.', lndig = !ldig && lp != '.';
		if (c == '-' || c == '_' || c == '+') {
			if (lq != '.')
				out[q++] = '.';
		} else if ((lndig && dig) || (ldig && ndig)) {
			if (lq != '.')
				out[q++] = '.';
			out[q++] = c;
		} else if (!dig && !is_alpha(c)) {
			if (lq != '.')
				out[q++] = '.';
		} else {
			out[q++] = c;
		}
		lp = c;
	}
	return q;
}

/* compare_special_version_forms(): the first name the element starts with. */
static int special_rank(struct slice e)
{
	static const struct {
		const char *name;
		int order;
	} forms[] = { { "dev", 0 }, { "alpha", 1 }, { "a", 1 }, { "beta", 2 }, { "b", 2 },
		      { "RC", 3 },  { "rc", 3 },    { "#", 4 }, { "pl", 5 },   { "p", 5 } };
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		if (word_at(e, 0, forms[i].name, false))
			return forms[i].order;
	return -1;
}

static int sign(int x) { return (x > 0) - (x < 0); }

/* Digit strings by value, exactly (PHP's strtol() would saturate). */
static int num_cmp(struct slice a, struct slice b)
{
	while (a.n > 1 && a.p[0] == '0')
		a.p++, a.n--;
	while (b.n > 1 && b.p[0] == '0')
		b.p++, b.n--;
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	return sign(memcmp(a.p, b.p, a.n));
}

static bool elem_is_num(struct slice e) { return e.n && is_digit(e.p[0]); }

/* One element against another; a number ranks as PHP's "#N#" (4). */
static int elem_cmp(struct slice a, struct slice b)
{
	bool da = elem_is_num(a), db = elem_is_num(b);
	if (da && db)
		return num_cmp(a, b);
	if (!da && !db)
		return sign(special_rank(a) - special_rank(b));
	return da ? sign(4 - special_rank(b)) : sign(special_rank(a) - 4);
}

/* The element at *i of canonical text c, advancing *i past its '.'. */
static struct slice next_elem(const char *c, size_t n, size_t *i)
{
	size_t s = *i;
	while (*i < n && c[*i] != '.')
		(*i)++;
	struct slice e = { c + s, *i - s };
	if (*i < n)
		(*i)++;
	return e;
}

/* What the rest of a longer version says against the end of the shorter
 * one: a number makes it greater; otherwise its first element against
 * "#N#" (so "-patch" is above, "-RC" below). */
static int tail_cmp(const char *c, size_t n, size_t i)
{
	while (i < n) {
		struct slice e = next_elem(c, n, &i);
		if (elem_is_num(e))
			return 1;
		int r = sign(special_rank(e) - 4);
		if (r)
			return r;
	}
	return 0;
}

/* php_version_compare() of a[0..an) and b[0..bn). */
static int php_compare(const char *a, size_t an, const char *b, size_t bn)
{
	if (!an || !bn)
		return an ? 1 : bn ? -1 : 0;
	char ca[2 * CP_CAP + 1], cb[2 * CP_CAP + 1];
	if (an > CP_CAP || bn > CP_CAP)
		return an > CP_CAP ? (bn > CP_CAP ? 0 : 1) : -1; /* not reached: normalize() bounds both */
	size_t na = php_canon(a, an, ca), nb = php_canon(b, bn, cb), i = 0, j = 0;
	while (i < na && j < nb) {
		struct slice x = next_elem(ca, na, &i), y = next_elem(cb, nb, &j);
		int r = elem_cmp(x, y);
		if (r)
			return r;
	}
	if (i < na)
		return tail_cmp(ca, na, i);
	if (j < nb)
		return -tail_cmp(cb, nb, j);
	return 0;
}

/* ---- the modifier regex ----
 * [._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?
 * tried in the regex's order, each candidate end handed to a continuation. */

typedef bool (*cont_fn)(struct slice s, size_t pos, void *ctx);

struct mod {
	struct slice stab; /* the stability word as written; n = 0 when none */
	struct slice nums; /* its numbers with separators ("-2.1-3") */
	struct slice dev;  /* "dev", "-dev" or ".dev"; n = 0 when none */
};

static const char *const stab_words[] = { "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p" };

static bool k_end(struct slice s, size_t pos, void *ctx)
{
	(void)ctx;
	return pos == s.n;
}

/* ([.-]?dev)? then k. */
static bool dev_then(struct slice s, size_t j, bool icase, struct mod *m, cont_fn k, void *ctx)
{
	if (j < s.n && (s.p[j] == '.' || s.p[j] == '-') && word_at(s, j + 1, "dev", icase) && k(s, j + 4, ctx)) {
		m->dev = slice_make(s.p + j, 4);
		return true;
	}
	if (word_at(s, j, "dev", icase) && k(s, j + 3, ctx)) {
		m->dev = slice_make(s.p + j, 3);
		return true;
	}
	if (k(s, j, ctx)) {
		m->dev = slice_make(NULL, 0);
		return true;
	}
	return false;
}

/* (?:[.-]?\d+)*+ from j: possessive, so one answer. */
static size_t nums_end(struct slice s, size_t j)
{
	for (;;) {
		size_t d = j < s.n && (s.p[j] == '.' || s.p[j] == '-') ? j + 1 : j;
		if (d >= s.n || !is_digit(s.p[d]))
			return j;
		while (d < s.n && is_digit(s.p[d]))
			d++;
		j = d;
	}
}

static bool mod_match(struct slice s, size_t i, bool icase, struct mod *m, cont_fn k, void *ctx)
{
	size_t starts[2], ns = 0;
	if (i < s.n && (s.p[i] == '.' || s.p[i] == '_' || s.p[i] == '-'))
		starts[ns++] = i + 1;
	starts[ns++] = i;
	for (size_t t = 0; t < ns; t++) {
		size_t at = starts[t];
		for (size_t w = 0; w < sizeof stab_words / sizeof stab_words[0]; w++) {
			if (!word_at(s, at, stab_words[w], icase))
				continue;
			size_t ws = at + strlen(stab_words[w]), we = nums_end(s, ws);
			if (dev_then(s, we, icase, m, k, ctx)) {
				m->stab = slice_make(s.p + at, ws - at);
				m->nums = slice_make(s.p + ws, we - ws);
				return true;
			}
		}
		if (dev_then(s, at, icase, m, k, ctx)) {
			m->stab = m->nums = slice_make(NULL, 0);
			return true;
		}
	}
	return false;
}

/* Appends "-stability[numbers]" and "-dev" as normalize() does; false when
 * the stability is "stable" as written, which ends the version there. */
static bool put_mod(struct out *o, const struct mod *m)
{
	if (m->stab.n) {
		if (slice_is(m->stab, "stable"))
			return false;
		char w[8] = { 0 };
		for (size_t i = 0; i < m->stab.n && i < sizeof w - 1; i++)
			w[i] = to_lower(m->stab.p[i]);
		const char *x = !strcmp(w, "a") ? "alpha" : !strcmp(w, "b") ? "beta" : !strcmp(w, "p") || !strcmp(w, "pl") ? "patch"
			      : !strcmp(w, "rc") ? "RC" : w;
		put_str(o, "-");
		put_str(o, x);
		struct slice n = m->nums;
		while (n.n && (n.p[0] == '.' || n.p[0] == '-'))
			n.p++, n.n--;
		put_slice(o, n);
	}
	if (m->dev.n)
		put_str(o, "-dev");
	return true;
}

/* ---- normalize ---- */

/* `^([^,\s]++) ++as ++([^,\s]++)$`: the aliased version, else s. */
static struct slice strip_alias(struct slice s)
{
	size_t i = 0;
	while (i < s.n && s.p[i] != ',' && !is_space(s.p[i]))
		i++;
	if (i == 0 || i >= s.n || s.p[i] != ' ')
		return s;
	size_t j = i;
	while (j < s.n && s.p[j] == ' ')
		j++;
	if (!word_at(s, j, "as", false))
		return s;
	size_t k = j + 2;
	while (k < s.n && s.p[k] == ' ')
		k++;
	if (k == j + 2 || k >= s.n)
		return s;
	for (size_t q = k; q < s.n; q++)
		if (s.p[q] == ',' || is_space(s.p[q]))
			return s;
	return slice_make(s.p, i);
}

/* A trailing "@stable|RC|beta|alpha|dev" (any case): *flag is the word,
 * the result what precedes its '@'. */
static struct slice split_flag(struct slice s, struct slice *flag)
{
	*flag = slice_make(NULL, 0);
	size_t at = s.n;
	while (at > 0 && s.p[at - 1] != '@')
		at--;
	if (!at)
		return s;
	struct slice w = slice_make(s.p + at, s.n - at);
	static const char *const words[] = { "stable", "RC", "beta", "alpha", "dev" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (w.n == strlen(words[i]) && word_at(w, 0, words[i], true)) {
			*flag = w;
			return slice_make(s.p, at - 1);
		}
	return s;
}

/* `^([^,\s+]++)\+[^\s]++$`: build metadata dropped. */
static struct slice strip_build(struct slice s)
{
	size_t i = 0;
	while (i < s.n && s.p[i] != ',' && s.p[i] != '+' && !is_space(s.p[i]))
		i++;
	if (i == 0 || i + 1 >= s.n || s.p[i] != '+')
		return s;
	for (size_t q = i + 1; q < s.n; q++)
		if (is_space(s.p[q]))
			return s;
	return slice_make(s.p, i);
}

static size_t skip_v(struct slice s, size_t i) { return i < s.n && (s.p[i] == 'v' || s.p[i] == 'V') ? i + 1 : i; }

/* `^v?(\d{1,5}+)(\.\d++)?(\.\d++)?(\.\d++)?MOD$`, padded to four numbers. */
static bool classical(struct slice s, struct out *o)
{
	size_t i = skip_v(s, 0), d = i;
	while (i < s.n && is_digit(s.p[i]))
		i++;
	if (i == d || i - d > 5)
		return false;
	struct slice part[4] = { slice_make(s.p + d, i - d) };
	size_t np = 1;
	while (np < 4 && i + 1 < s.n && s.p[i] == '.' && is_digit(s.p[i + 1])) {
		size_t st = i++;
		while (i < s.n && is_digit(s.p[i]))
			i++;
		part[np++] = slice_make(s.p + st, i - st);
	}
	struct mod m;
	if (!mod_match(s, i, true, &m, k_end, NULL))
		return false;
	put_slice(o, part[0]);
	for (size_t k = 1; k < 4; k++)
		if (k < np)
			put_slice(o, part[k]);
		else
			put_str(o, ".0");
	put_mod(o, &m);
	return true;
}

/* (?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2} over d[i..n), to its end. */
static bool date_rest(const char *d, size_t n, size_t i, int twos, int smalls)
{
	if (i == n)
		return twos >= 1;
	size_t j = (d[i] == '.' || d[i] == ':' || d[i] == '-') ? i + 1 : i;
	if (!smalls && twos < 6 && j + 2 <= n && is_digit(d[j]) && is_digit(d[j + 1]) &&
	    date_rest(d, n, j + 2, twos + 1, 0))
		return true;
	if (twos < 1 || smalls >= 2)
		return false;
	for (size_t len = 3; len >= 1; len--) {
		bool ok = j + len <= n;
		for (size_t k = 0; ok && k < len; k++)
			ok = is_digit(d[j + k]);
		if (ok && date_rest(d, n, j + len, twos, smalls + 1))
			return true;
	}
	return false;
}

/* `^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2})MOD$`, with every
 * separator written as '.'. The modifier cannot start with a digit or a
 * separator before one, so the date is the whole run of digits and single
 * separators between digits. */
static bool datever(struct slice s, struct out *o)
{
	size_t st = skip_v(s, 0), i = st;
	while (i < s.n) {
		if (is_digit(s.p[i]))
			i++;
		else if ((s.p[i] == '.' || s.p[i] == ':' || s.p[i] == '-') && i > st && i + 1 < s.n && is_digit(s.p[i + 1]))
			i++;
		else
			break;
	}
	const char *d = s.p + st;
	size_t n = i - st;
	if (n < 6 || n > 30 || !is_digit(d[0]) || !is_digit(d[1]) || !is_digit(d[2]) || !is_digit(d[3]) ||
	    !date_rest(d, n, 4, 0, 0))
		return false;
	struct mod m;
	if (!mod_match(s, i, true, &m, k_end, NULL))
		return false;
	for (size_t k = 0; k < n; k++)
		put(o, is_digit(d[k]) ? &d[k] : ".", 1);
	put_mod(o, &m);
	return true;
}

/* normalizeBranch() of a numeric branch: `v1.2.x` -> 1.2.9999999.9999999-dev;
 * false for a name (which would become "dev-NAME"). */
static bool numeric_branch(struct slice name, struct out *o)
{
	struct slice s = php_trim(name);
	size_t i = skip_v(s, 0), d = i;
	while (i < s.n && is_digit(s.p[i]))
		i++;
	if (i == d)
		return false;
	struct slice part[4] = { slice_make(s.p + d, i - d) };
	size_t np = 1;
	while (np < 4 && i + 1 < s.n && s.p[i] == '.') {
		size_t st = i + 1;
		if (is_x(s.p[st])) {
			i = st + 1;
		} else if (is_digit(s.p[st])) {
			for (i = st; i < s.n && is_digit(s.p[i]);)
				i++;
		} else {
			break;
		}
		part[np++] = slice_make(s.p + st, i - st);
	}
	if (i != s.n)
		return false;
	put_slice(o, part[0]);
	for (size_t k = 1; k < 4; k++) {
		put_str(o, ".");
		if (k < np && !is_x(part[k].p[0]))
			put_slice(o, part[k]);
		else
			put_str(o, "9999999");
	}
	put_str(o, "-dev");
	return true;
}

/* `(.*?)[.-]?dev$` (any case) naming a numeric branch: "1.x-dev". */
static bool dev_suffix(struct slice s, struct out *o)
{
	if (s.n < 3 || !word_at(s, s.n - 3, "dev", true))
		return false;
	size_t k = s.n - 3;
	if (k >= 1 && (s.p[k - 1] == '.' || s.p[k - 1] == '-'))
		k--;
	return numeric_branch(slice_make(s.p, k), o);
}

struct cver {
	char s[CP_CAP];
	size_t n;
	bool branch; /* "dev-NAME": no order */
};

static bool is_branch_text(const char *s, size_t n) { return n >= 4 && !memcmp(s, "dev-", 4); }

/* VersionParser::normalize(). */
static int normalize(struct slice in, struct cver *v)
{
	v->n = 0;
	v->s[0] = '\0';
	v->branch = false;
	if (in.n > VERSION_MAX_LEN)
		return BOSUN_EFORMAT;
	struct slice flag, s = php_trim(in);
	s = split_flag(strip_alias(s), &flag);
	struct out o = { v->s, 0, sizeof v->s, false };
	if (slice_is(s, "master") || slice_is(s, "trunk") || slice_is(s, "default")) {
		put_str(&o, "dev-");
		put_slice(&o, s);
		v->branch = true;
	} else if (word_at(s, 0, "dev-", true)) {
		put_str(&o, "dev-");
		put_slice(&o, slice_make(s.p + 4, s.n - 4));
		v->branch = true;
	} else {
		/* each of these writes only when it matches */
		s = strip_build(s);
		if (!classical(s, &o) && !datever(s, &o) && !dev_suffix(s, &o))
			return BOSUN_EFORMAT;
	}
	if (o.over)
		return BOSUN_EFORMAT;
	v->n = o.n;
	return BOSUN_OK;
}

int composer_normalize(const char *version, char *out, size_t cap)
{
	struct cver v;
	TRY(normalize(slice_cstr(version), &v));
	if (v.n + 1 > cap)
		return BOSUN_ELIMIT;
	memcpy(out, v.s, v.n + 1);
	return BOSUN_OK;
}

/* ---- constraints ---- */

enum cop { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct ccmp {
	enum cop op;
	char v[CP_CAP];
	size_t n;
};

/* What one AND term parses to: up to two comparators, or "match all". */
struct term {
	struct ccmp c[2];
	int n;
	bool all;
};

static struct ccmp *add_cmp(struct term *t, enum cop op)
{
	struct ccmp *c = &t->c[t->n++];
	c->op = op;
	c->n = 0;
	c->v[0] = '\0';
	return c;
}

static int cmp_set_text(struct ccmp *c, const struct out *o)
{
	if (o->over)
		return BOSUN_EFORMAT;
	c->n = o->n;
	return BOSUN_OK;
}

/* normalize(text + suffix) into a comparator. */
static int cmp_normalized(struct term *t, enum cop op, struct slice text, const char *suffix)
{
	char tmp[CP_CAP];
	struct out o = { tmp, 0, sizeof tmp, false };
	put_slice(&o, text);
	put_str(&o, suffix);
	struct cver v;
	if (o.over || normalize(slice_make(tmp, o.n), &v))
		return BOSUN_EFORMAT;
	struct ccmp *c = add_cmp(t, op);
	memcpy(c->v, v.s, v.n + 1);
	c->n = v.n;
	return BOSUN_OK;
}

/* The versionRegex of parseConstraint():
 * v?(\d++)(?:\.(\d++))?(?:\.(\d++))?(?:\.(\d++))?(?:MOD|\.([xX*][.-]?dev))(?:\+[^\s]+)? */
struct vr {
	struct slice num[4]; /* n = 0: absent */
	struct mod m;
	struct slice xdev;   /* "x-dev" after the numbers' '.', n = 0 when none */
	size_t start, end;
};

struct vr_k {
	cont_fn k;
	void *ctx;
	size_t *end;
};

/* (?:\+[^\s]+)? then the caller's continuation. */
static bool k_build(struct slice s, size_t pos, void *ctx)
{
	struct vr_k *c = ctx;
	if (pos < s.n && s.p[pos] == '+') {
		size_t j = pos + 1;
		while (j < s.n && !is_space(s.p[j]))
			j++;
		if (j > pos + 1 && c->k(s, j, c->ctx)) {
			*c->end = j;
			return true;
		}
	}
	if (c->k(s, pos, c->ctx)) {
		*c->end = pos;
		return true;
	}
	return false;
}

static bool vr_match(struct slice s, size_t i, struct vr *r, cont_fn k, void *ctx)
{
	memset(r, 0, sizeof *r);
	r->start = i;
	i = skip_v(s, i);
	size_t d = i;
	while (i < s.n && is_digit(s.p[i]))
		i++;
	if (i == d)
		return false;
	r->num[0] = slice_make(s.p + d, i - d);
	for (size_t np = 1; np < 4 && i + 1 < s.n && s.p[i] == '.' && is_digit(s.p[i + 1]); np++) {
		size_t st = ++i;
		while (i < s.n && is_digit(s.p[i]))
			i++;
		r->num[np] = slice_make(s.p + st, i - st);
	}
	struct vr_k bk = { k, ctx, &r->end };
	if (mod_match(s, i, true, &r->m, k_build, &bk))
		return true;
	memset(&r->m, 0, sizeof r->m);
	if (i + 1 >= s.n || s.p[i] != '.' || !is_x(s.p[i + 1]))
		return false;
	size_t j = i + 2;
	size_t ends[2], ne = 0;
	if (j < s.n && (s.p[j] == '.' || s.p[j] == '-') && word_at(s, j + 1, "dev", true))
		ends[ne++] = j + 4;
	if (word_at(s, j, "dev", true))
		ends[ne++] = j + 3;
	for (size_t e = 0; e < ne; e++)
		if (k_build(s, ends[e], &bk)) {
			r->xdev = slice_make(s.p + i + 1, ends[e] - i - 1);
			return true;
		}
	return false;
}

/* Composer's manipulateVersionString(): numbers after `position` become 0,
 * the one at it grows by inc; four parts joined with '.'. */
static int manipulate(const struct slice num[4], int position, int inc, struct out *o)
{
	for (int i = 1; i <= 4; i++) {
		if (i > 1)
			put_str(o, ".");
		if (i > position) {
			put_str(o, "0");
		} else if (i == position && inc) {
			uint64_t v = 0;
			if (num[i - 1].n > 18)
				return BOSUN_EFORMAT; /* PHP would turn it into a float */
			for (size_t k = 0; k < num[i - 1].n; k++)
				v = v * 10 + (uint64_t)(num[i - 1].p[k] - '0');
			char b[24];
			snprintf(b, sizeof b, "%llu", (unsigned long long)(v + (uint64_t)inc));
			put_str(o, b);
		} else {
			put_slice(o, num[i - 1]);
		}
	}
	return o->over ? BOSUN_EFORMAT : BOSUN_OK;
}

static int cmp_manipulated(struct term *t, enum cop op, const struct slice num[4], int position, int inc)
{
	struct ccmp *c = add_cmp(t, op);
	struct out o = { c->v, 0, sizeof c->v, false };
	TRY(manipulate(num, position, inc, &o));
	put_str(&o, "-dev");
	return cmp_set_text(c, &o);
}

static int highest_num(const struct vr *r)
{
	int p = 1;
	for (int i = 2; i <= 4; i++)
		if (r->num[i - 1].n)
			p = i;
	return p;
}

/* No stability, no -dev and no x-dev: the lower bound includes dev builds. */
static const char *low_suffix(const struct vr *r) { return r->m.stab.n || r->m.dev.n || r->xdev.n ? "" : "-dev"; }

/* `~1.2` is >= 1.2.0.0-dev < 2.0.0.0-dev; `~1.2.3` < 1.3.0.0-dev. */
static int tilde(struct slice s, const struct vr *r, struct term *t)
{
	int position = highest_num(r) + (r->xdev.n ? 1 : 0);
	TRY(cmp_normalized(t, OP_GE, slice_make(s.p + 1, s.n - 1), low_suffix(r)));
	return cmp_manipulated(t, OP_LT, r->num, position > 2 ? position - 1 : 1, 1);
}

/* `^1.2` is >= 1.2.0.0-dev < 2.0.0.0-dev; `^0.2` < 0.3; `^0.0.3` < 0.0.4. */
static int caret(struct slice s, const struct vr *r, struct term *t)
{
	int position;
	if (!slice_is(r->num[0], "0") || !r->num[1].n)
		position = 1;
	else if (!slice_is(r->num[1], "0") || !r->num[2].n)
		position = 2;
	else
		position = 3;
	TRY(cmp_normalized(t, OP_GE, slice_make(s.p + 1, s.n - 1), low_suffix(r)));
	return cmp_manipulated(t, OP_LT, r->num, position, 1);
}

/* `^v?(\d++)(?:\.(\d++))?(?:\.(\d++))?(?:\.[xX*])++$` (case-sensitive v). */
static bool xrange(struct slice s, struct term *t, int *rc)
{
	size_t i = s.n && s.p[0] == 'v' ? 1 : 0, d = i;
	struct slice num[4] = { { 0 } };
	while (i < s.n && is_digit(s.p[i]))
		i++;
	if (i == d)
		return false;
	num[0] = slice_make(s.p + d, i - d);
	int np = 1;
	while (np < 3 && i + 1 < s.n && s.p[i] == '.' && is_digit(s.p[i + 1])) {
		size_t st = ++i;
		while (i < s.n && is_digit(s.p[i]))
			i++;
		num[np++] = slice_make(s.p + st, i - st);
	}
	size_t wild = 0;
	while (i + 1 < s.n && s.p[i] == '.' && is_x(s.p[i + 1]))
		i += 2, wild++;
	if (!wild || i != s.n)
		return false;
	char low[CP_CAP];
	struct out o = { low, 0, sizeof low, false };
	*rc = manipulate(num, np, 0, &o);
	put_str(&o, "-dev");
	if (*rc || o.over)
		return *rc = BOSUN_EFORMAT, true;
	if (strcmp(low, "0.0.0.0-dev") != 0) {
		struct ccmp *c = add_cmp(t, OP_GE);
		memcpy(c->v, low, o.n + 1);
		c->n = o.n;
	}
	*rc = cmp_manipulated(t, OP_LT, num, np, 1);
	return true;
}

struct hyphen_ctx {
	struct vr to;
};

static bool k_hyphen(struct slice s, size_t pos, void *ctx)
{
	struct hyphen_ctx *h = ctx;
	size_t i = pos;
	while (i < s.n && s.p[i] == ' ')
		i++;
	if (i == pos || i >= s.n || s.p[i] != '-')
		return false;
	size_t j = ++i;
	while (j < s.n && s.p[j] == ' ')
		j++;
	return j > i && vr_match(s, j, &h->to, k_end, NULL);
}

/* `1.0 - 2.0` is >= 1.0.0.0-dev < 2.1.0.0-dev; `1.0.0 - 2.1.0` <= 2.1.0.0. */
static int hyphen(struct slice s, const struct vr *from, const struct vr *to, struct term *t)
{
	struct slice ftext = slice_make(s.p + from->start, from->end - from->start);
	struct slice ttext = slice_make(s.p + to->start, to->end - to->start);
	TRY(cmp_normalized(t, OP_GE, ftext, ""));
	struct ccmp *lo = &t->c[0];
	const char *suf = low_suffix(from);
	if (*suf) {
		struct out o = { lo->v, lo->n, sizeof lo->v, false };
		put_str(&o, suf);
		TRY(cmp_set_text(lo, &o));
	}
	if ((to->num[1].n && to->num[2].n) || to->m.stab.n || to->m.dev.n || to->xdev.n)
		return cmp_normalized(t, OP_LE, ttext, "");
	struct term check = { .n = 0 };
	TRY(cmp_normalized(&check, OP_EQ, ttext, "")); /* Composer validates it */
	return cmp_manipulated(t, OP_LT, to->num, to->num[1].n ? 2 : 1, 1);
}

/* parseStability() of a normalized version. */
static const char *stability_of(const char *v, size_t n)
{
	if (is_branch_text(v, n) || (n >= 4 && !memcmp(v + n - 4, "-dev", 4)))
		return "dev";
	struct slice s = slice_make(v, n);
	for (size_t i = 0; i <= n; i++) {
		struct mod m;
		if (!mod_match(s, i, true, &m, k_end, NULL))
			continue;
		if (m.dev.n)
			return "dev";
		char w = m.stab.n ? to_lower(m.stab.p[0]) : 0;
		if (m.stab.n && (w == 'b'))
			return "beta";
		if (m.stab.n && w == 'a')
			return "alpha";
		if (m.stab.n && w == 'r')
			return "RC";
		return "stable";
	}
	return "stable";
}

/* Whether text (lower-cased) has a '-' followed by the modifier regex to
 * its end, matched case-sensitively: Composer's test for "the operand
 * already states a stability" ("-rc1" does not count: the regex says RC). */
static bool has_dash_mod(struct slice text)
{
	char low[CP_CAP];
	if (text.n >= sizeof low)
		return false;
	for (size_t i = 0; i < text.n; i++)
		low[i] = to_lower(text.p[i]);
	struct slice s = slice_make(low, text.n);
	for (size_t i = 0; i < s.n; i++) {
		struct mod m;
		if (s.p[i] == '-' && mod_match(s, i + 1, false, &m, k_end, NULL))
			return true;
	}
	return false;
}

static bool recoverable_dev(struct slice v)
{
	if (v.n < 4 || memcmp(v.p + v.n - 4, "-dev", 4))
		return false;
	for (size_t i = 0; i < v.n; i++)
		if (!is_digit(v.p[i]) && !is_alpha(v.p[i]) && !strchr("-./", v.p[i]))
			return false;
	return true;
}

/* `^(<>|!=|>=?|<=?|==?)?\s*(.*)` and what follows it in parseConstraint(). */
static int basic(struct slice s, struct slice modifier, struct term *t)
{
	static const struct {
		const char *text;
		enum cop op;
	} ops[] = { { "<>", OP_NE }, { "!=", OP_NE }, { ">=", OP_GE }, { ">", OP_GT },
		    { "<=", OP_LE }, { "<", OP_LT },  { "==", OP_EQ }, { "=", OP_EQ } };
	enum cop op = OP_EQ;
	size_t i = 0;
	for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
		if (word_at(s, 0, ops[k].text, false)) {
			op = ops[k].op;
			i = strlen(ops[k].text);
			break;
		}
	while (i < s.n && is_space(s.p[i]))
		i++;
	size_t e = i;
	while (e < s.n && s.p[e] != '\n')
		e++;
	struct slice rest = slice_make(s.p + i, e - i);
	struct cver v;
	if (normalize(rest, &v)) {
		char tmp[CP_CAP];
		if (!recoverable_dev(rest) || rest.n + 1 > sizeof tmp)
			return BOSUN_EFORMAT;
		memcpy(tmp, "dev-", 4);
		memcpy(tmp + 4, rest.p, rest.n - 4);
		TRY(normalize(slice_make(tmp, rest.n), &v));
	}
	struct ccmp *c = add_cmp(t, op);
	struct out o = { c->v, 0, sizeof c->v, false };
	put(&o, v.s, v.n);
	bool eq = op == OP_EQ;
	if (!eq && modifier.n && !strcmp(stability_of(v.s, v.n), "stable")) {
		put_str(&o, "-");
		put_slice(&o, modifier);
	} else if ((op == OP_LT || op == OP_GE) && !has_dash_mod(rest) && !word_at(rest, 0, "dev-", false)) {
		put_str(&o, "-dev");
	}
	return cmp_set_text(c, &o);
}

/* `^(dev-[^,\s@]+?|[^,\s@]+?\.x-dev)#.+$`: a "#ref" after a branch goes. */
static struct slice strip_ref(struct slice s)
{
	for (size_t h = 1; h + 1 < s.n; h++) {
		if (s.p[h] != '#')
			continue;
		bool clean = true;
		for (size_t q = 0; q < h && clean; q++)
			clean = s.p[q] != ',' && s.p[q] != '@' && !is_space(s.p[q]);
		if (!clean)
			return s;
		if (memchr(s.p + h + 1, '\n', s.n - h - 1))
			continue;
		struct slice pre = slice_make(s.p, h);
		if ((h > 4 && word_at(pre, 0, "dev-", true)) || (h > 6 && word_at(pre, h - 6, ".x-dev", true)))
			return pre;
	}
	return s;
}

/* `^(v)?[xX*](\.[xX*])*$` (any case): 0 no, 1 "match all", 2 ">= 0.0.0.0-dev". */
static int star(struct slice s)
{
	size_t i = skip_v(s, 0), reps = 0;
	if (i >= s.n || !is_x(s.p[i]))
		return 0;
	for (i++; i + 1 < s.n && s.p[i] == '.' && is_x(s.p[i + 1]); i += 2)
		reps++;
	if (i != s.n)
		return 0;
	bool v = s.p[0] == 'v' || s.p[0] == 'V';
	return v || reps ? 2 : 1;
}

/* VersionParser::parseConstraint() of one AND term. */
static int parse_term(struct slice s, struct term *t)
{
	memset(t, 0, sizeof *t);
	s = strip_alias(s);
	struct slice modifier = { NULL, 0 }, flag;
	struct slice pre = split_flag(s, &flag);
	if (flag.n) {
		bool clean = true;
		for (size_t i = 0; i < pre.n && clean; i++)
			clean = pre.p[i] != ',' && !is_space(pre.p[i]);
		if (clean) {
			s = pre.n ? pre : slice_make("*", 1);
			if (!slice_is(flag, "stable"))
				modifier = flag;
		}
	}
	s = strip_ref(s);
	int st = star(s);
	if (st == 1) {
		t->all = true;
		return BOSUN_OK;
	}
	if (st == 2) {
		struct ccmp *c = add_cmp(t, OP_GE);
		snprintf(c->v, sizeof c->v, "0.0.0.0-dev");
		c->n = strlen(c->v);
		return BOSUN_OK;
	}
	struct vr r;
	if (s.n && s.p[0] == '~' && vr_match(s, s.n > 1 && s.p[1] == '>' ? 2 : 1, &r, k_end, NULL))
		return s.p[1] == '>' ? BOSUN_EFORMAT /* "~>": Ruby's operator, refused */ : tilde(s, &r, t);
	if (s.n && s.p[0] == '^' && vr_match(s, 1, &r, k_end, NULL))
		return caret(s, &r, t);
	int rc = BOSUN_OK;
	if (xrange(s, t, &rc))
		return rc;
	memset(t, 0, sizeof *t);
	struct hyphen_ctx h;
	if (vr_match(s, 0, &r, k_hyphen, &h))
		return hyphen(s, &r, &h.to, t);
	return basic(s, modifier, t);
}

/* Constraint::versionCompare() with compareBranches off, a = the version. */
static bool cmp_holds(const struct cver *v, const struct ccmp *c)
{
	bool ab = is_branch_text(v->s, v->n), bb = is_branch_text(c->v, c->n);
	bool same = v->n == c->n && !memcmp(v->s, c->v, v->n);
	if (c->op == OP_NE && (ab || bb))
		return !same;
	if (ab && bb)
		return c->op == OP_EQ && same;
	if (ab || bb)
		return false;
	int r = php_compare(v->s, v->n, c->v, c->n);
	switch (c->op) {
	case OP_EQ: return r == 0;
	case OP_NE: return r != 0;
	case OP_LT: return r < 0;
	case OP_LE: return r <= 0;
	case OP_GT: return r > 0;
	case OP_GE: return r >= 0;
	}
	return false;
}

/* preg_split at `(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|$)`, tried at
 * a run of blanks and commas starting at a: *end is where the next term
 * starts. The separator may not follow an operator or a comma, touch a
 * hyphen range's '-', or precede a comma, "as" or the end. */
static bool and_sep_at(struct slice s, size_t a, size_t *end)
{
	if (a == 0 || strchr("=>< ,", s.p[a - 1]) || (a >= 2 && s.p[a - 2] == 'a' && s.p[a - 1] == 's'))
		return false;
	size_t sp = a;
	while (sp < s.n && s.p[sp] == ' ')
		sp++;
	for (size_t k = sp + 1; k-- > a;) {
		if (k >= s.n || (s.p[k] != ',' && s.p[k] != ' ') || s.p[k - 1] == '-' ||
		    (k + 1 < s.n && s.p[k + 1] == '-'))
			continue;
		size_t e = k + 1;
		while (e < s.n && s.p[e] == ' ')
			e++;
		for (size_t f = e + 1; f-- > k + 1;) {
			if (f >= s.n || s.p[f] == ',' || word_at(s, f, "as", false))
				continue;
			*end = f;
			return true;
		}
	}
	return false;
}

/* One OR alternative: every AND term must hold. Every term is parsed, so
 * a bad one is an error whatever the others say. */
static int eval_alternative(const struct cver *v, struct slice s, bool *out)
{
	struct term t;
	bool ok = true;
	size_t start = 0;
	for (size_t i = 0; i <= s.n;) {
		size_t end = 0;
		bool sep = i < s.n && (s.p[i] == ' ' || s.p[i] == ',') && (i == 0 || (s.p[i - 1] != ' ' && s.p[i - 1] != ','));
		if (i < s.n && !(sep && and_sep_at(s, i, &end))) {
			i++;
			continue;
		}
		TRY(parse_term(slice_make(s.p + start, i - start), &t));
		for (int k = 0; !t.all && k < t.n; k++)
			ok = ok && cmp_holds(v, &t.c[k]);
		if (i >= s.n)
			break;
		start = i = end;
	}
	*out = ok;
	return BOSUN_OK;
}

static int composer_satisfies(const char *version, const char *constraint, unsigned flags, bool *out)
{
	(void)flags; /* Composer has no such options: stability is the resolver's */
	struct cver v;
	TRY(normalize(slice_cstr(version), &v));
	size_t n = strlen(constraint);
	if (n > CP_RANGE_MAX)
		return BOSUN_EFORMAT;
	struct slice s = php_trim(slice_make(constraint, n));
	bool any = false;
	size_t start = 0;
	/* preg_split at `\s*\|\|?\s*` */
	for (size_t i = 0; i <= s.n; i++) {
		if (i < s.n && s.p[i] != '|')
			continue;
		size_t e = i;
		while (e > start && is_space(s.p[e - 1]))
			e--;
		bool ok;
		TRY(eval_alternative(&v, slice_make(s.p + start, e - start), &ok));
		any = any || ok;
		if (i >= s.n)
			break;
		if (i + 1 < s.n && s.p[i + 1] == '|')
			i++;
		while (i + 1 < s.n && is_space(s.p[i + 1]))
			i++;
		start = i + 1;
	}
	*out = any;
	return BOSUN_OK;
}

static int composer_compare(const char *a, const char *b, int *cmp)
{
	struct cver va, vb;
	if (normalize(slice_cstr(a), &va) || normalize(slice_cstr(b), &vb) || va.branch || vb.branch)
		return BOSUN_EFORMAT;
	*cmp = php_compare(va.s, va.n, vb.s, vb.n);
	return BOSUN_OK;
}

static bool composer_valid(const char *v)
{
	struct cver cv;
	return normalize(slice_cstr(v), &cv) == BOSUN_OK && !cv.branch;
}

const struct version_scheme version_scheme_composer = {
	.name = "composer",
	.compare = composer_compare,
	.valid = composer_valid,
	.satisfies = composer_satisfies,
};
