#include "version/constraint.h"
#include "version/version.h"

#include <string.h>

#include "util/buf.h"
#include "util/err.h"

bool constraint_op_holds(enum constraint_op op, int cmp)
{
	switch (op) {
	case CONSTRAINT_LT: return cmp < 0;
	case CONSTRAINT_LE:
	case CONSTRAINT_FUZZY_LE: return cmp <= 0;
	case CONSTRAINT_GT: return cmp > 0;
	case CONSTRAINT_GE:
	case CONSTRAINT_FUZZY_GE: return cmp >= 0;
	case CONSTRAINT_EQ:
	case CONSTRAINT_FUZZY_EQ: return cmp == 0;
	case CONSTRAINT_NE: return cmp != 0;
	}
	return false;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static bool is_op_char(char c) { return c == '<' || c == '>' || c == '=' || c == '!' || c == '~'; }

static struct slice trim(struct slice s)
{
	while (s.n && is_blank(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_blank(s.p[s.n - 1]))
		s.n--;
	return s;
}

static bool is_fuzzy(enum constraint_op op)
{
	return op == CONSTRAINT_FUZZY_EQ || op == CONSTRAINT_FUZZY_LE || op == CONSTRAINT_FUZZY_GE;
}

/* The operator spelled by op (the whole run of operator characters). */
static int parse_op(const struct constraint_scheme *s, struct slice op, enum constraint_op *out)
{
	char c0 = op.n > 0 ? op.p[0] : '\0', c1 = op.n > 1 ? op.p[1] : '\0';
	bool deb = s->flags & CONSTRAINT_DEB_OPS;
	if (op.n > 2)
		return BOSUN_EFORMAT;
	if (op.n == 0 || (op.n == 1 && c0 == '=') || (c0 == '=' && c1 == '='))
		*out = CONSTRAINT_EQ;
	else if (c0 == '!' && c1 == '=')
		*out = CONSTRAINT_NE;
	else if (c0 == '<' && (op.n == 1 || (c1 == '<' && deb)))
		*out = CONSTRAINT_LT;
	else if (c0 == '>' && (op.n == 1 || (c1 == '>' && deb)))
		*out = CONSTRAINT_GT;
	else if (c0 == '<' && c1 == '=')
		*out = CONSTRAINT_LE;
	else if (c0 == '>' && c1 == '=')
		*out = CONSTRAINT_GE;
	else if (s->compare_fuzzy && op.n == 1 && c0 == '~')
		*out = CONSTRAINT_FUZZY_EQ;
	else if (s->compare_fuzzy && c0 == '<' && c1 == '~')
		*out = CONSTRAINT_FUZZY_LE;
	else if (s->compare_fuzzy && c0 == '>' && c1 == '~')
		*out = CONSTRAINT_FUZZY_GE;
	else
		return BOSUN_EFORMAT;
	return BOSUN_OK;
}

/* One "op version" term against version. */
static int eval_term(const struct constraint_scheme *s, const char *version, struct slice term, bool *out)
{
	term = trim(term);
	size_t k = 0;
	while (k < term.n && is_op_char(term.p[k]))
		k++;
	enum constraint_op op;
	TRY(parse_op(s, slice_make(term.p, k), &op));
	struct slice operand = trim(slice_make(term.p + k, term.n - k));
	if (operand.n == 0 || operand.n > VERSION_MAX_LEN)
		return BOSUN_EFORMAT;
	/* A second comparator or a lone '|' means a missing "," or "||"; a
	 * scheme as lenient as rpm would otherwise read "1.0 | > 2" as 1.0.2. */
	for (size_t i = 0; i < operand.n; i++) {
		char c = operand.p[i];
		if (is_blank(c) || c == '<' || c == '>' || c == '=' || c == '!' || c == '|')
			return BOSUN_EFORMAT;
	}
	/* compare() wants C strings; the operand is a slice of the constraint. */
	char buf[VERSION_MAX_LEN + 1];
	memcpy(buf, operand.p, operand.n);
	buf[operand.n] = '\0';
	int cmp;
	TRY((is_fuzzy(op) ? s->compare_fuzzy : s->compare)(version, buf, &cmp));
	*out = constraint_op_holds(op, cmp);
	return BOSUN_OK;
}

/* A ","-separated conjunction. */
static int eval_group(const struct constraint_scheme *s, const char *version, struct slice group, bool *out)
{
	bool all = true;
	struct slice rest = group, term;
	bool more;
	do {
		more = slice_split(rest, ',', &term, &rest);
		bool holds;
		TRY(eval_term(s, version, term, &holds));
		all = all && holds;
	} while (more);
	*out = all;
	return BOSUN_OK;
}

/* Splits off the text before the next "||". */
static bool split_or(struct slice *rest, struct slice *group)
{
	for (size_t i = 0; i + 1 < rest->n; i++) {
		if (rest->p[i] == '|' && rest->p[i + 1] == '|') {
			*group = slice_make(rest->p, i);
			*rest = slice_make(rest->p + i + 2, rest->n - i - 2);
			return true;
		}
	}
	*group = *rest;
	*rest = slice_make(rest->p + rest->n, 0);
	return false;
}

int constraint_satisfies(const struct constraint_scheme *s, const char *version, const char *constraint,
			 bool *out)
{
	struct slice all = slice_cstr(constraint);
	if (trim(all).n == 0) {
		/* Nothing to compare against, but an invalid version stays invalid. */
		int cmp;
		TRY(s->compare(version, version, &cmp));
		*out = true;
		return BOSUN_OK;
	}
	bool any = false;
	struct slice rest = all, group;
	bool more;
	do {
		more = split_or(&rest, &group);
		bool holds;
		TRY(eval_group(s, version, group, &holds));
		any = any || holds;
	} while (more);
	*out = any;
	return BOSUN_OK;
}
