/* Label selectors (matchLabels + matchExpressions) and port sets: the two
 * small algebras the network-policy analysis is made of. */
#include "k8s/netpol.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"

/* ---- labels ---------------------------------------------------------------- */

const char *netpol_label(const struct netpol_labels *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->key[i], key))
			return l->value[i];
	return NULL;
}

int netpol_labels_parse(struct arena *ar, const json_t *j, struct netpol_labels *out, struct berr *e)
{
	memset(out, 0, sizeof *out);
	if (!j || json_is_null(j))
		return BOSUN_OK;
	if (!json_is_object(j))
		return berr_set(e, BOSUN_EFORMAT, "labels must be a map of strings");
	size_t n = json_object_size(j);
	if (!n)
		return BOSUN_OK;
	out->key = arena_alloc(ar, n * sizeof *out->key);
	out->value = arena_alloc(ar, n * sizeof *out->value);
	if (!out->key || !out->value)
		return BOSUN_ENOMEM;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)j, k, v)
	{
		/* YAML turns `version: 1` or `enabled: true` into numbers and
		 * booleans; the API server would refuse them, we take their text. */
		const char *s;
		char tmp[64];
		if (json_is_string(v))
			s = json_string_value(v);
		else if (json_is_integer(v))
			snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v)), s = tmp;
		else if (json_is_boolean(v))
			s = json_is_true(v) ? "true" : "false";
		else
			return berr_set(e, BOSUN_EFORMAT, "label '%s' is not a string", k);
		out->key[out->n] = arena_strdup(ar, k);
		out->value[out->n] = arena_strdup(ar, s);
		if (!out->key[out->n] || !out->value[out->n])
			return BOSUN_ENOMEM;
		out->n++;
	}
	return BOSUN_OK;
}

/* ---- selectors ---------------------------------------------------------------- */

static int parse_op(const char *s, enum netpol_op *op)
{
	static const struct {
		const char *name;
		enum netpol_op op;
	} ops[] = { { "In", NETPOL_OP_IN },
		    { "NotIn", NETPOL_OP_NOT_IN },
		    { "Exists", NETPOL_OP_EXISTS },
		    { "DoesNotExist", NETPOL_OP_DOES_NOT_EXIST } };
	for (size_t i = 0; s && i < sizeof ops / sizeof ops[0]; i++)
		if (!strcmp(s, ops[i].name)) {
			*op = ops[i].op;
			return 0;
		}
	return -1;
}

static int parse_expr(struct arena *ar, const json_t *j, size_t idx, struct netpol_expr *x, struct berr *e)
{
	if (!json_is_object(j))
		return berr_set(e, BOSUN_EFORMAT, "matchExpressions[%zu] is not a map", idx);
	x->key = json_str(j, "key");
	if (!x->key || !*x->key)
		return berr_set(e, BOSUN_EFORMAT, "matchExpressions[%zu] has no key", idx);
	const char *op = json_str(j, "operator");
	if (parse_op(op, &x->op))
		return berr_set(e, BOSUN_EFORMAT, "matchExpressions[%zu]: unknown operator '%s' (In, NotIn, Exists, DoesNotExist)",
				idx, op ? op : "(none)");
	x->key = arena_strdup(ar, x->key);
	const json_t *vals = json_object_get(j, "values");
	size_t nv = json_is_array(vals) ? json_array_size(vals) : 0;
	if (vals && !json_is_null(vals) && !json_is_array(vals))
		return berr_set(e, BOSUN_EFORMAT, "matchExpressions[%zu].values is not a list", idx);
	bool set_op = x->op == NETPOL_OP_IN || x->op == NETPOL_OP_NOT_IN;
	if (set_op && !nv)
		return berr_set(e, BOSUN_EFORMAT, "matchExpressions[%zu]: operator %s needs values", idx, op);
	if (!set_op && nv)
		return berr_set(e, BOSUN_EFORMAT, "matchExpressions[%zu]: operator %s takes no values", idx, op);
	x->nvalues = nv;
	x->values = nv ? arena_alloc(ar, nv * sizeof *x->values) : NULL;
	if (!x->key || (nv && !x->values))
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < nv; i++) {
		const json_t *v = json_array_get(vals, i);
		char tmp[64];
		const char *s = json_string_value(v);
		if (!s && json_is_integer(v))
			snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v)), s = tmp;
		else if (!s && json_is_boolean(v))
			s = json_is_true(v) ? "true" : "false";
		if (!s)
			return berr_set(e, BOSUN_EFORMAT, "matchExpressions[%zu].values[%zu] is not a string", idx, i);
		if (!(x->values[i] = arena_strdup(ar, s)))
			return BOSUN_ENOMEM;
	}
	return BOSUN_OK;
}

int netpol_selector_parse(struct arena *ar, const json_t *j, struct netpol_selector *out, struct berr *e)
{
	memset(out, 0, sizeof *out);
	if (!j || json_is_null(j))
		return BOSUN_OK;
	if (!json_is_object(j))
		return berr_set(e, BOSUN_EFORMAT, "a label selector must be a map");
	int rc = netpol_labels_parse(ar, json_object_get(j, "matchLabels"), &out->match, e);
	if (rc != BOSUN_OK)
		return berr_wrap(e, rc, "matchLabels");
	const json_t *xs = json_object_get(j, "matchExpressions");
	if (!xs || json_is_null(xs))
		return BOSUN_OK;
	if (!json_is_array(xs))
		return berr_set(e, BOSUN_EFORMAT, "matchExpressions is not a list");
	out->nexpr = json_array_size(xs);
	if (!out->nexpr)
		return BOSUN_OK;
	out->expr = arena_alloc(ar, out->nexpr * sizeof *out->expr);
	if (!out->expr)
		return BOSUN_ENOMEM;
	memset(out->expr, 0, out->nexpr * sizeof *out->expr);
	for (size_t i = 0; i < out->nexpr; i++)
		TRY(parse_expr(ar, json_array_get(xs, i), i, &out->expr[i], e));
	return BOSUN_OK;
}

static bool expr_matches(const struct netpol_expr *x, const struct netpol_labels *l)
{
	const char *v = netpol_label(l, x->key);
	switch (x->op) {
	case NETPOL_OP_EXISTS: return v != NULL;
	case NETPOL_OP_DOES_NOT_EXIST: return v == NULL;
	case NETPOL_OP_IN:
	case NETPOL_OP_NOT_IN: {
		bool in = false;
		for (size_t i = 0; v && i < x->nvalues && !in; i++)
			in = !strcmp(v, x->values[i]);
		/* NotIn also matches when the label is absent (Kubernetes' rule). */
		return x->op == NETPOL_OP_IN ? in : !in;
	}
	}
	return false;
}

bool netpol_selector_matches(const struct netpol_selector *s, const struct netpol_labels *labels)
{
	for (size_t i = 0; i < s->match.n; i++) {
		const char *v = netpol_label(labels, s->match.key[i]);
		if (!v || strcmp(v, s->match.value[i]))
			return false;
	}
	for (size_t i = 0; i < s->nexpr; i++)
		if (!expr_matches(&s->expr[i], labels))
			return false;
	return true;
}

/* ---- port sets ------------------------------------------------------------------ */

const char *netpol_proto_name(enum netpol_proto p)
{
	switch (p) {
	case NETPOL_TCP: return "TCP";
	case NETPOL_UDP: return "UDP";
	case NETPOL_SCTP: return "SCTP";
	default: return "?";
	}
}

void netpol_portset_free(struct netpol_portset *s)
{
	free(s->r);
	memset(s, 0, sizeof *s);
}

bool netpol_portset_empty(const struct netpol_portset *s)
{
	return !s->all && s->n == 0;
}

bool netpol_portset_equal(const struct netpol_portset *a, const struct netpol_portset *b)
{
	if (a->all != b->all || a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->r[i].proto != b->r[i].proto || a->r[i].lo != b->r[i].lo || a->r[i].hi != b->r[i].hi)
			return false;
	return true;
}

static int cmp_range(const void *x, const void *y)
{
	const struct netpol_range *a = x, *b = y;
	if (a->proto != b->proto)
		return (int)a->proto - (int)b->proto;
	return a->lo != b->lo ? a->lo - b->lo : a->hi - b->hi;
}

/* Sorted, overlapping and adjacent ranges merged; every port of every
 * protocol collapses to `all`. */
static void normalize(struct netpol_portset *s)
{
	if (s->all) {
		s->n = 0;
		return;
	}
	if (s->n > 1)
		qsort(s->r, s->n, sizeof *s->r, cmp_range);
	size_t o = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (o && s->r[o - 1].proto == s->r[i].proto && s->r[i].lo <= s->r[o - 1].hi + 1) {
			if (s->r[i].hi > s->r[o - 1].hi)
				s->r[o - 1].hi = s->r[i].hi;
		} else
			s->r[o++] = s->r[i];
	}
	s->n = o;
	if (s->n == NETPOL_PROTO_COUNT) {
		bool full = true;
		for (size_t i = 0; i < s->n; i++)
			full = full && s->r[i].proto == (enum netpol_proto)i && s->r[i].lo == 1 && s->r[i].hi == 65535;
		if (full) {
			s->all = true;
			s->n = 0;
		}
	}
}

static int push(struct netpol_portset *s, enum netpol_proto proto, int lo, int hi)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4;
		struct netpol_range *r = realloc(s->r, cap * sizeof *r);
		if (!r)
			return BOSUN_ENOMEM;
		s->r = r;
		s->cap = cap;
	}
	s->r[s->n++] = (struct netpol_range){ proto, lo, hi };
	return BOSUN_OK;
}

int netpol_portset_add(struct netpol_portset *s, enum netpol_proto proto, int lo, int hi)
{
	if (s->all || lo > hi)
		return BOSUN_OK;
	TRY(push(s, proto, lo, hi));
	normalize(s);
	return BOSUN_OK;
}

int netpol_portset_union(struct netpol_portset *s, const struct netpol_portset *o)
{
	if (s->all)
		return BOSUN_OK;
	if (o->all) {
		s->all = true;
		s->n = 0;
		return BOSUN_OK;
	}
	for (size_t i = 0; i < o->n; i++)
		TRY(push(s, o->r[i].proto, o->r[i].lo, o->r[i].hi));
	normalize(s);
	return BOSUN_OK;
}

int netpol_portset_intersect(const struct netpol_portset *a, const struct netpol_portset *b,
			     struct netpol_portset *out)
{
	out->all = false;
	out->n = 0;
	if (a->all || b->all) {
		const struct netpol_portset *o = a->all ? b : a;
		return netpol_portset_union(out, o);
	}
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			if (a->r[i].proto != b->r[j].proto)
				continue;
			int lo = a->r[i].lo > b->r[j].lo ? a->r[i].lo : b->r[j].lo;
			int hi = a->r[i].hi < b->r[j].hi ? a->r[i].hi : b->r[j].hi;
			if (lo <= hi)
				TRY(push(out, a->r[i].proto, lo, hi));
		}
	normalize(out);
	return BOSUN_OK;
}

int netpol_portset_format(const struct netpol_portset *s, struct buf *out)
{
	if (s->all)
		return buf_append_str(out, "all");
	if (!s->n)
		return buf_append_str(out, "-");
	for (size_t i = 0; i < s->n; i++) {
		const struct netpol_range *r = &s->r[i];
		if (i)
			TRY(buf_append_str(out, ","));
		if (r->lo == 1 && r->hi == 65535)
			TRY(buf_printf(out, "*"));
		else if (r->lo == r->hi)
			TRY(buf_printf(out, "%d", r->lo));
		else
			TRY(buf_printf(out, "%d-%d", r->lo, r->hi));
		if (r->proto != NETPOL_TCP)
			TRY(buf_printf(out, "/%s", netpol_proto_name(r->proto)));
	}
	return BOSUN_OK;
}
