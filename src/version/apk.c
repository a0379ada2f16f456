/* The apk version scheme, after apk-tools 3's tokenizer: each token's kind
 * limits which kinds may follow it, and two versions compare token by token. */
#include "version/apk.h"
#include "version/constraint.h"
#include "version/version.h"

#include <string.h>

#include "util/buf.h"
#include "util/err.h"

/* In grammar order: a token may only be followed by kinds allowed after it,
 * and when one version ends early the kinds' order decides (see order()). */
enum token {
	TOKEN_INITIAL_DIGIT,
	TOKEN_DIGIT,
	TOKEN_LETTER,
	TOKEN_SUFFIX,
	TOKEN_SUFFIX_NO,
	TOKEN_COMMIT_HASH,
	TOKEN_REVISION_NO,
	TOKEN_END,
	TOKEN_INVALID,
};

/* Pre-release suffixes sort below SUFFIX_NONE (no suffix), the others above. */
enum suffix {
	SUFFIX_INVALID,
	SUFFIX_ALPHA,
	SUFFIX_BETA,
	SUFFIX_PRE,
	SUFFIX_RC,
	SUFFIX_NONE,
	SUFFIX_CVS,
	SUFFIX_SVN,
	SUFFIX_GIT,
	SUFFIX_HG,
	SUFFIX_P,
};

struct tok {
	enum token token;
	enum suffix suffix; /* for TOKEN_SUFFIX */
	struct slice value;  /* the token's text, without its separator */
};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

static struct slice take(struct slice *s, bool (*in)(char))
{
	size_t i = 0;
	while (i < s->n && in(s->p[i]))
		i++;
	struct slice out = slice_make(s->p, i);
	s->p += i;
	s->n -= i;
	return out;
}

static void skip(struct slice *s, size_t n)
{
	s->p += n;
	s->n -= n;
}

/* The first letter picks the one name the word may be, as in apk. */
static enum suffix suffix_value(struct slice w)
{
	static const char *const names[] = {
		[SUFFIX_ALPHA] = "alpha", [SUFFIX_BETA] = "beta", [SUFFIX_PRE] = "pre", [SUFFIX_RC] = "rc",
		[SUFFIX_CVS] = "cvs",     [SUFFIX_SVN] = "svn",   [SUFFIX_GIT] = "git", [SUFFIX_HG] = "hg",
		[SUFFIX_P] = "p",
	};
	static const unsigned char lens[] = {
		[SUFFIX_ALPHA] = 5, [SUFFIX_BETA] = 4, [SUFFIX_PRE] = 3, [SUFFIX_RC] = 2, [SUFFIX_CVS] = 3,
		[SUFFIX_SVN] = 3,   [SUFFIX_GIT] = 3,  [SUFFIX_HG] = 2,  [SUFFIX_P] = 1,
	};
	if (w.n == 0)
		return SUFFIX_INVALID;
	enum suffix v;
	switch (w.p[0]) {
	case 'a': v = SUFFIX_ALPHA; break;
	case 'b': v = SUFFIX_BETA; break;
	case 'c': v = SUFFIX_CVS; break;
	case 'g': v = SUFFIX_GIT; break;
	case 'h': v = SUFFIX_HG; break;
	case 'p': v = w.n > 1 ? SUFFIX_PRE : SUFFIX_P; break;
	case 'r': v = SUFFIX_RC; break;
	case 's': v = SUFFIX_SVN; break;
	default: return SUFFIX_INVALID;
	}
	return w.n == lens[v] && memcmp(w.p, names[v], w.n) == 0 ? v : SUFFIX_INVALID;
}

static void digits(struct tok *t, struct slice *s, enum token kind)
{
	t->value = take(s, is_digit);
	t->token = t->value.n ? kind : TOKEN_INVALID;
}

static void tok_first(struct tok *t, struct slice *s) { digits(t, s, TOKEN_INITIAL_DIGIT); }

/* The next token; which kinds may follow which is apk's grammar. */
static void tok_next(struct tok *t, struct slice *s)
{
	if (s->n == 0) {
		t->token = TOKEN_END;
		return;
	}
	char c = s->p[0];
	if (is_lower(c) && t->token <= TOKEN_DIGIT) {
		t->value = slice_make(s->p, 1);
		t->token = TOKEN_LETTER;
		skip(s, 1);
	} else if (c == '.' && t->token <= TOKEN_DIGIT) {
		skip(s, 1);
		digits(t, s, TOKEN_DIGIT);
	} else if (is_digit(c) && t->token == TOKEN_SUFFIX) {
		digits(t, s, TOKEN_SUFFIX_NO);
	} else if (c == '_' && t->token <= TOKEN_SUFFIX_NO) {
		skip(s, 1);
		t->value = take(s, is_lower);
		t->suffix = suffix_value(t->value);
		t->token = t->suffix == SUFFIX_INVALID ? TOKEN_INVALID : TOKEN_SUFFIX;
	} else if (c == '~' && t->token < TOKEN_COMMIT_HASH) {
		skip(s, 1);
		t->value = take(s, is_hex);
		t->token = t->value.n ? TOKEN_COMMIT_HASH : TOKEN_INVALID;
	} else if (c == '-' && t->token < TOKEN_REVISION_NO && s->n > 1 && s->p[1] == 'r') {
		skip(s, 2);
		digits(t, s, TOKEN_REVISION_NO);
	} else {
		t->token = TOKEN_INVALID;
	}
}

/* Bytes, then the shorter first (apk_blob_sort). */
static int bytes_cmp(struct slice a, struct slice b)
{
	int rc = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);
	if (rc)
		return rc < 0 ? -1 : 1;
	return (a.n > b.n) - (a.n < b.n);
}

/* Decimal strings by value, of any length. */
static int number_cmp(struct slice a, struct slice b)
{
	while (a.n > 1 && a.p[0] == '0')
		skip(&a, 1);
	while (b.n > 1 && b.p[0] == '0')
		skip(&b, 1);
	if (a.n != b.n)
		return a.n > b.n ? 1 : -1;
	return bytes_cmp(a, b);
}

/* Two tokens of the same kind. */
static int tok_cmp(const struct tok *a, const struct tok *b)
{
	switch (a->token) {
	case TOKEN_DIGIT:
		/* A leading zero makes it a fraction-like string, as in Gentoo. */
		if (a->value.p[0] == '0' || b->value.p[0] == '0')
			return bytes_cmp(a->value, b->value);
		return number_cmp(a->value, b->value);
	case TOKEN_INITIAL_DIGIT:
	case TOKEN_SUFFIX_NO:
	case TOKEN_REVISION_NO:
		return number_cmp(a->value, b->value);
	case TOKEN_LETTER:
		return (a->value.p[0] > b->value.p[0]) - (a->value.p[0] < b->value.p[0]);
	case TOKEN_SUFFIX:
		return (a->suffix > b->suffix) - (a->suffix < b->suffix);
	default:
		return bytes_cmp(a->value, b->value);
	}
}

static int order(struct slice a, struct slice b, bool fuzzy)
{
	struct tok ta = { 0 }, tb = { 0 };
	tok_first(&ta, &a);
	tok_first(&tb, &b);
	while (ta.token == tb.token && ta.token < TOKEN_END) {
		int rc = tok_cmp(&ta, &tb);
		if (rc)
			return rc;
		tok_next(&ta, &a);
		tok_next(&tb, &b);
	}
	if (ta.token == tb.token)
		return 0;
	if (fuzzy && tb.token == TOKEN_END)
		return 0;
	/* Equal so far: the longer one is newer, unless what it has next is a
	 * pre-release suffix; else the kinds' order decides. */
	if (ta.token == TOKEN_SUFFIX && ta.suffix < SUFFIX_NONE)
		return -1;
	if (tb.token == TOKEN_SUFFIX && tb.suffix < SUFFIX_NONE)
		return 1;
	return ta.token > tb.token ? -1 : 1;
}

int apk_version_order(const char *a, const char *b, bool fuzzy)
{
	return order(slice_cstr(a), slice_cstr(b), fuzzy);
}

static bool valid_slice(struct slice s)
{
	struct tok t = { 0 };
	for (tok_first(&t, &s); t.token < TOKEN_END; tok_next(&t, &s))
		;
	return t.token == TOKEN_END;
}

static int bounded_valid(const char *v, struct slice *out)
{
	size_t n = strnlen(v, VERSION_MAX_LEN + 1);
	if (n > VERSION_MAX_LEN)
		return BOSUN_EFORMAT;
	*out = slice_make(v, n);
	return valid_slice(*out) ? BOSUN_OK : BOSUN_EFORMAT;
}

bool apk_version_valid(const char *v)
{
	struct slice s;
	return bounded_valid(v, &s) == BOSUN_OK;
}

/* apk itself never compares versions it would not accept in a package or a
 * dependency, so neither does the scheme: matching garbage is worse than
 * reporting it. */
static int compare_checked(const char *a, const char *b, bool fuzzy, int *cmp)
{
	struct slice sa, sb;
	TRY(bounded_valid(a, &sa));
	TRY(bounded_valid(b, &sb));
	*cmp = order(sa, sb, fuzzy);
	return BOSUN_OK;
}

static int apk_compare(const char *a, const char *b, int *cmp) { return compare_checked(a, b, false, cmp); }
static int apk_compare_fuzzy(const char *a, const char *b, int *cmp) { return compare_checked(a, b, true, cmp); }

static int apk_satisfies(const char *v, const char *constraint, unsigned flags, bool *out)
{
	(void)flags;
	static const struct constraint_scheme cs = { apk_compare, apk_compare_fuzzy, 0 };
	return constraint_satisfies(&cs, v, constraint, out);
}

const struct version_scheme version_scheme_apk = {
	.name = "apk",
	.compare = apk_compare,
	.valid = apk_version_valid,
	.satisfies = apk_satisfies,
};
