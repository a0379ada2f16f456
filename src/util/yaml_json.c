#include "util/yaml_json.h"
#include "util/strmap.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

const struct yaml_json_limits yaml_json_default_limits = {
	.max_bytes = 16u << 20,
	.max_depth = 64,
	.max_nodes = 1000000,
	.max_alias_nodes = 100000,
};

/* ---- source lines ------------------------------------------------------ */

/* Open addressing over (node, member key): key NULL for a node's own line,
 * else the key string as stored inside the jansson object (stable while
 * the object lives), compared by content. */
struct line_slot {
	const void *node;
	const char *key;
	uint64_t hash;
	unsigned line;
};

struct yaml_json_lines {
	struct line_slot *slots;
	size_t cap, count; /* cap: power of two */
};

struct yaml_json_lines *yaml_json_lines_new(void) { return calloc(1, sizeof(struct yaml_json_lines)); }

void yaml_json_lines_free(struct yaml_json_lines *l)
{
	if (!l)
		return;
	free(l->slots);
	free(l);
}

static uint64_t line_hash(const void *node, const char *key)
{
	uint64_t h = (uint64_t)(uintptr_t)node * 0x9E3779B97F4A7C15ull;
	if (key)
		h ^= strmap_hash(key, strlen(key)) + 0x632BE59BD9B4E019ull;
	return h ^ (h >> 29);
}

static struct line_slot *line_find(const struct yaml_json_lines *l, const void *node, const char *key, uint64_t h)
{
	size_t mask = l->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct line_slot *s = &l->slots[i];
		if (!s->node)
			return s;
		if (s->hash == h && s->node == node &&
		    (s->key == key || (s->key && key && !strcmp(s->key, key))))
			return s;
	}
}

static int line_grow(struct yaml_json_lines *l)
{
	size_t cap = l->cap ? l->cap * 2 : 1024;
	struct line_slot *old = l->slots;
	size_t oldcap = l->cap;
	l->slots = calloc(cap, sizeof *l->slots);
	if (!l->slots) {
		l->slots = old;
		return BOSUN_ENOMEM;
	}
	l->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].node)
			*line_find(l, old[i].node, old[i].key, old[i].hash) = old[i];
	free(old);
	return BOSUN_OK;
}

/* Inserts or replaces (a freed node's address may be reused by a later one). */
static int line_put(struct yaml_json_lines *l, const void *node, const char *key, unsigned line)
{
	if ((l->count + 1) * 2 > l->cap && line_grow(l))
		return BOSUN_ENOMEM;
	uint64_t h = line_hash(node, key);
	struct line_slot *s = line_find(l, node, key, h);
	if (!s->node)
		l->count++;
	*s = (struct line_slot){ node, key, h, line };
	return BOSUN_OK;
}

static unsigned line_get(const struct yaml_json_lines *l, const void *node, const char *key)
{
	if (!l || !l->cap || !node)
		return 0;
	const struct line_slot *s = line_find(l, node, key, line_hash(node, key));
	return s->node ? s->line : 0;
}

unsigned yaml_json_line(const struct yaml_json_lines *l, const json_t *node) { return line_get(l, node, NULL); }

unsigned yaml_json_member_line(const struct yaml_json_lines *l, const json_t *obj, const char *key)
{
	return key ? line_get(l, obj, key) : 0;
}

/* A sequence or mapping being filled. */
struct frame {
	json_t *node;
	size_t line;    /* where it starts */
	size_t key_line;
	char *anchor;   /* registered when the node is complete, so an alias can never refer to an
			 * enclosing node: the result is a DAG, never a cycle */
	char *key;      /* mapping: key waiting for its value */
	size_t weight;  /* nodes in this subtree */
};

struct anchor {
	char *name;
	json_t *node;
	size_t weight;
};

struct builder {
	const struct yaml_json_limits *lim;
	const char *what;
	struct berr *e;
	struct frame *frames;
	size_t depth;
	struct anchor *anchors;
	size_t nanchors, anchors_cap;
	struct strmap anchor_index; /* name -> index + 1 */
	size_t nodes, alias_nodes;
	size_t line; /* of the current event, 1-based */
	int docs;
	json_t *root;
	bool have_root;
	size_t root_line, doc_line;
	struct yaml_json_lines *lines; /* NULL: no lines wanted */
	yaml_json_doc_fn fn;           /* NULL: exactly one document (yaml_json_parse) */
	void *ctx;
	const char *data;              /* the input, for the line of encoding errors */
	size_t ndata;
};

static int fail(struct builder *b, int code, const char *msg, const char *arg)
{
	return berr_set(b->e, code, "%s: YAML line %zu: %s%s%s%s", b->what, b->line, msg, arg ? " '" : "",
			arg ? arg : "", arg ? "'" : "");
}

static int count_nodes(struct builder *b, size_t n, bool via_alias)
{
	if (n > b->lim->max_nodes - b->nodes)
		return fail(b, BOSUN_ELIMIT, "document expands to more nodes than the limit", NULL);
	b->nodes += n;
	if (via_alias) {
		if (n > b->lim->max_alias_nodes - b->alias_nodes)
			return fail(b, BOSUN_ELIMIT, "aliases expand to more nodes than the limit", NULL);
		b->alias_nodes += n;
	}
	return BOSUN_OK;
}

/* ---- scalars ---------------------------------------------------------- */

static bool all_in(const char *s, size_t n, const char *set)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]))
			return false;
	return true;
}

static bool is_null(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') || (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) ||
								 !memcmp(s, "NULL", 4)));
}

static int bool_value(const char *s, size_t n)
{
	if (n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4)))
		return 1;
	if (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5)))
		return 0;
	return -1;
}

/* YAML 1.2 core integer syntax: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+. */
static int int_base(const char *s, size_t n)
{
	if (n > 2 && s[0] == '0' && s[1] == 'o')
		return all_in(s + 2, n - 2, "01234567") ? 8 : 0;
	if (n > 2 && s[0] == '0' && s[1] == 'x')
		return all_in(s + 2, n - 2, "0123456789abcdefABCDEF") ? 16 : 0;
	size_t sign = (n && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
	return all_in(s + sign, n - sign, "0123456789") ? 10 : 0;
}

/* The integer's value; false when out of range (the caller keeps the text
 * then, rather than rounding it through a float). */
static bool int_value(const char *s, size_t n, int base, json_int_t *out)
{
	const char *digits = base == 10 ? s : s + 2;
	size_t nd = base == 10 ? n : n - 2;
	char tmp[72];
	if (nd >= sizeof tmp)
		return false;
	memcpy(tmp, digits, nd);
	tmp[nd] = '\0';
	errno = 0;
	char *end;
	long long v = strtoll(tmp, &end, base);
	if (errno || *end)
		return false;
	*out = (json_int_t)v;
	return true;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool float_syntax(const char *s, size_t n)
{
	size_t i = 0, intd = 0, fracd = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, intd++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, fracd++;
	}
	if (intd == 0 && fracd == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t expd = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, expd++;
		if (!expd)
			return false;
	}
	return i == n;
}

static json_t *real_value(const char *s, size_t n)
{
	char tmp[128];
	if (n >= sizeof tmp || !float_syntax(s, n))
		return NULL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	double d = strtod(tmp, NULL);
	return isfinite(d) ? json_real(d) : NULL; /* JSON has no inf: the text stays a string */
}

enum scalar_kind { SK_ANY, SK_STR, SK_INT, SK_FLOAT, SK_BOOL, SK_NULL };

static enum scalar_kind tag_kind(const char *tag)
{
	static const char pfx[] = "tag:yaml.org,2002:";
	if (!tag)
		return SK_ANY;
	if (!strcmp(tag, "!"))
		return SK_STR; /* the non-specific tag of quoted scalars */
	if (strncmp(tag, pfx, sizeof pfx - 1))
		return SK_ANY; /* application tags (!ruby/object ...) carry no meaning here */
	tag += sizeof pfx - 1;
	if (!strcmp(tag, "int"))
		return SK_INT;
	if (!strcmp(tag, "float"))
		return SK_FLOAT;
	if (!strcmp(tag, "bool"))
		return SK_BOOL;
	if (!strcmp(tag, "null"))
		return SK_NULL;
	return SK_STR;
}

static json_t *scalar_value(const char *s, size_t n, bool plain, const char *tag)
{
	enum scalar_kind k = tag_kind(tag);
	if (k == SK_STR || (k == SK_ANY && !plain))
		return json_stringn(s, n);
	json_int_t iv;
	int bv;
	json_t *r;
	if ((k == SK_ANY || k == SK_NULL) && is_null(s, n))
		return json_null();
	if ((k == SK_ANY || k == SK_BOOL) && (bv = bool_value(s, n)) >= 0)
		return json_boolean(bv);
	int base = (k == SK_ANY || k == SK_INT) ? int_base(s, n) : 0;
	if (base)
		return int_value(s, n, base, &iv) ? json_integer(iv) : json_stringn(s, n);
	if ((k == SK_ANY || k == SK_FLOAT) && (r = real_value(s, n)))
		return r;
	return json_stringn(s, n);
}

/* ---- tree building ---------------------------------------------------- */

static struct frame *top(struct builder *b) { return b->depth ? &b->frames[b->depth - 1] : NULL; }

static bool wants_key(struct builder *b)
{
	struct frame *f = top(b);
	return f && json_is_object(f->node) && !f->key;
}

/* Records the line of a new node; shared singletons (true, false, null)
 * have no identity to key on. */
static int record_node(struct builder *b, const json_t *v, size_t line)
{
	if (!b->lines || json_is_boolean(v) || json_is_null(v))
		return BOSUN_OK;
	if (line_put(b->lines, v, NULL, (unsigned)line))
		return fail(b, BOSUN_ENOMEM, "out of memory", NULL);
	return BOSUN_OK;
}

/* Attaches a complete node (reference stolen) to its parent, or makes it
 * the root. line: where the node starts; 0 for a node reached through an
 * alias, which keeps its anchor's line. */
static int attach(struct builder *b, json_t *v, size_t weight, size_t line)
{
	if (!v)
		return fail(b, BOSUN_ENOMEM, "out of memory", NULL);
	if (line) {
		int rc = record_node(b, v, line);
		if (rc) {
			json_decref(v);
			return rc;
		}
	}
	struct frame *f = top(b);
	if (!f) {
		b->root = v;
		b->have_root = true;
		b->root_line = line ? line : b->line;
		return BOSUN_OK;
	}
	f->weight += weight;
	if (json_is_array(f->node)) {
		if (json_array_append_new(f->node, v))
			return fail(b, BOSUN_ENOMEM, "out of memory", NULL);
		return BOSUN_OK;
	}
	char *key = f->key;
	f->key = NULL;
	int rc = BOSUN_OK;
	if (json_object_get(f->node, key)) {
		json_decref(v);
		rc = fail(b, BOSUN_EFORMAT, "duplicate mapping key", key);
	} else if (json_object_set_new(f->node, key, v)) {
		rc = fail(b, BOSUN_ENOMEM, "out of memory", NULL);
	} else if (b->lines) {
		/* the key as the object stores it, alive as long as the object */
		const char *stored = json_object_iter_key(json_object_iter_at(f->node, key));
		if (stored && line_put(b->lines, f->node, stored, (unsigned)f->key_line))
			rc = fail(b, BOSUN_ENOMEM, "out of memory", NULL);
	}
	free(key);
	return rc;
}

static int set_key(struct builder *b, const char *s, size_t n)
{
	char *k = malloc(n + 1);
	if (!k)
		return fail(b, BOSUN_ENOMEM, "out of memory", NULL);
	memcpy(k, s, n);
	k[n] = '\0';
	top(b)->key = k;
	top(b)->key_line = b->line;
	return BOSUN_OK;
}

static int add_anchor(struct builder *b, const char *name, json_t *node, size_t weight)
{
	uintptr_t idx = (uintptr_t)strmap_get(&b->anchor_index, name);
	if (idx) { /* YAML lets a later anchor of the same name shadow the earlier one */
		struct anchor *a = &b->anchors[idx - 1];
		json_decref(a->node);
		a->node = json_incref(node);
		a->weight = weight;
		return BOSUN_OK;
	}
	if (b->nanchors == b->anchors_cap) {
		size_t cap = b->anchors_cap ? b->anchors_cap * 2 : 16;
		struct anchor *p = realloc(b->anchors, cap * sizeof *p);
		if (!p)
			return fail(b, BOSUN_ENOMEM, "out of memory", NULL);
		b->anchors = p;
		b->anchors_cap = cap;
	}
	char *nm = strdup(name);
	if (!nm)
		return fail(b, BOSUN_ENOMEM, "out of memory", NULL);
	b->anchors[b->nanchors] = (struct anchor){ nm, json_incref(node), weight };
	if (strmap_put(&b->anchor_index, nm, (void *)(uintptr_t)(b->nanchors + 1))) {
		json_decref(node);
		free(nm);
		return fail(b, BOSUN_ENOMEM, "out of memory", NULL);
	}
	b->nanchors++;
	return BOSUN_OK;
}

static int on_scalar(struct builder *b, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (memchr(s, '\0', n))
		return fail(b, BOSUN_EFORMAT, "NUL character in a scalar", NULL);
	TRY(count_nodes(b, 1, false));
	if (wants_key(b)) {
		TRY(set_key(b, s, n));
		if (ev->data.scalar.anchor) {
			json_t *k = json_stringn(s, n);
			if (!k)
				return fail(b, BOSUN_ENOMEM, "out of memory", NULL);
			int rc = add_anchor(b, (const char *)ev->data.scalar.anchor, k, 1);
			json_decref(k);
			return rc;
		}
		return BOSUN_OK;
	}
	json_t *v = scalar_value(s, n, ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE,
				 (const char *)ev->data.scalar.tag);
	if (v && ev->data.scalar.anchor) {
		int rc = add_anchor(b, (const char *)ev->data.scalar.anchor, v, 1);
		if (rc) {
			json_decref(v);
			return rc;
		}
	}
	return attach(b, v, 1, b->line);
}

static int on_alias(struct builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	uintptr_t idx = (uintptr_t)strmap_get(&b->anchor_index, name);
	if (!idx)
		return fail(b, BOSUN_EFORMAT, "alias to an unknown or unfinished anchor", name);
	struct anchor *a = &b->anchors[idx - 1];
	TRY(count_nodes(b, a->weight, true));
	if (wants_key(b)) {
		if (!json_is_string(a->node))
			return fail(b, BOSUN_EFORMAT, "alias used as a mapping key is not a string", name);
		return set_key(b, json_string_value(a->node), json_string_length(a->node));
	}
	return attach(b, json_incref(a->node), a->weight, 0);
}

static int on_start(struct builder *b, bool mapping, const yaml_char_t *anchor)
{
	if (wants_key(b))
		return fail(b, BOSUN_EFORMAT, "complex mapping keys are not supported", NULL);
	if (b->depth >= b->lim->max_depth)
		return fail(b, BOSUN_ELIMIT, "nested deeper than the limit", NULL);
	TRY(count_nodes(b, 1, false));
	json_t *node = mapping ? json_object() : json_array();
	char *an = anchor ? strdup((const char *)anchor) : NULL;
	if (!node || (anchor && !an)) {
		json_decref(node);
		free(an);
		return fail(b, BOSUN_ENOMEM, "out of memory", NULL);
	}
	b->frames[b->depth++] = (struct frame){ .node = node, .line = b->line, .anchor = an, .weight = 1 };
	return BOSUN_OK;
}

static int on_end(struct builder *b)
{
	struct frame f = b->frames[--b->depth];
	free(f.key); /* libyaml always pairs keys with values; defensive */
	int rc = BOSUN_OK;
	if (f.anchor)
		rc = add_anchor(b, f.anchor, f.node, f.weight);
	free(f.anchor);
	if (rc) {
		json_decref(f.node);
		return rc;
	}
	return attach(b, f.node, f.weight, f.line);
}

static void drop_anchors(struct builder *b)
{
	for (size_t i = 0; i < b->nanchors; i++) {
		json_decref(b->anchors[i].node);
		free(b->anchors[i].name);
	}
	b->nanchors = 0;
	strmap_free(&b->anchor_index);
	memset(&b->anchor_index, 0, sizeof b->anchor_index);
}

/* Stream mode: hands the finished document to the callback; anchors do not
 * reach across documents. */
static int on_document_end(struct builder *b)
{
	if (!b->fn)
		return BOSUN_OK;
	json_t *doc = b->have_root ? b->root : json_null();
	size_t line = b->have_root ? b->root_line : b->doc_line;
	b->root = NULL;
	b->have_root = false;
	drop_anchors(b);
	return b->fn(b->ctx, doc, (unsigned)line, b->e);
}

static int on_event(struct builder *b, const yaml_event_t *ev)
{
	b->line = ev->start_mark.line + 1;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		b->doc_line = b->line;
		if (++b->docs > 1 && !b->fn)
			return fail(b, BOSUN_EFORMAT, "more than one document", NULL);
		return BOSUN_OK;
	case YAML_DOCUMENT_END_EVENT: return on_document_end(b);
	case YAML_SCALAR_EVENT: return on_scalar(b, ev);
	case YAML_ALIAS_EVENT: return on_alias(b, ev);
	case YAML_SEQUENCE_START_EVENT: return on_start(b, false, ev->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT: return on_start(b, true, ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: return b->depth ? on_end(b) : fail(b, BOSUN_EFORMAT, "unbalanced end", NULL);
	default: return BOSUN_OK;
	}
}

static int parser_error(struct builder *b, const yaml_parser_t *p)
{
	if (p->error == YAML_MEMORY_ERROR)
		return berr_set(b->e, BOSUN_ENOMEM, "%s: out of memory parsing YAML", b->what);
	if (p->error == YAML_READER_ERROR && b->data) {
		/* encoding errors carry a byte offset, not a mark: count the lines */
		size_t off = p->problem_offset < b->ndata ? p->problem_offset : b->ndata, line = 1;
		for (const char *q = b->data; (q = memchr(q, '\n', off - (size_t)(q - b->data))); q++)
			line++;
		return berr_set(b->e, BOSUN_EFORMAT, "%s: YAML line %zu (byte %zu): %s", b->what, line, off,
				p->problem ? p->problem : "invalid input");
	}
	const char *problem = p->problem ? p->problem : "malformed YAML";
	if (p->context)
		return berr_set(b->e, BOSUN_EFORMAT, "%s: YAML line %zu column %zu: %s %s", b->what,
				p->problem_mark.line + 1, p->problem_mark.column + 1, problem, p->context);
	return berr_set(b->e, BOSUN_EFORMAT, "%s: YAML line %zu column %zu: %s", b->what, p->problem_mark.line + 1,
			p->problem_mark.column + 1, problem);
}

static void builder_free(struct builder *b)
{
	while (b->depth) {
		struct frame *f = &b->frames[--b->depth];
		json_decref(f->node);
		free(f->anchor);
		free(f->key);
	}
	free(b->frames);
	drop_anchors(b);
	free(b->anchors);
	if (b->have_root)
		json_decref(b->root);
}

static int run(struct builder *b, yaml_parser_t *p)
{
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(p, &ev))
			return parser_error(b, p);
		int rc = on_event(b, &ev);
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (rc)
			return rc;
		if (end)
			return BOSUN_OK;
	}
}

static int parse(struct builder *b, const char *data, size_t n)
{
	if (n > b->lim->max_bytes)
		return berr_set(b->e, BOSUN_ELIMIT, "%s: YAML document of %zu bytes exceeds the limit of %zu", b->what,
				n, b->lim->max_bytes);
	b->frames = calloc(b->lim->max_depth + 1, sizeof *b->frames);
	if (!b->frames)
		return berr_set(b->e, BOSUN_ENOMEM, "%s: out of memory", b->what);
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return berr_set(b->e, BOSUN_ENOMEM, "%s: out of memory", b->what);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, n);
	b->data = data;
	b->ndata = n;
	int rc = run(b, &p);
	yaml_parser_delete(&p);
	return rc;
}

int yaml_json_parse_stream(const char *data, size_t n, const struct yaml_json_limits *limits, const char *what,
			   struct yaml_json_lines *lines, yaml_json_doc_fn fn, void *ctx, struct berr *e)
{
	struct builder b = { .lim = limits ? limits : &yaml_json_default_limits, .what = what, .e = e,
			     .lines = lines, .fn = fn, .ctx = ctx };
	int rc = parse(&b, data, n);
	builder_free(&b);
	return rc;
}

int yaml_json_parse(const char *data, size_t n, const struct yaml_json_limits *limits, const char *what,
		    json_t **out, struct berr *e)
{
	struct builder b = { .lim = limits ? limits : &yaml_json_default_limits, .what = what, .e = e };
	*out = NULL;
	int rc = parse(&b, data, n);
	if (rc == BOSUN_OK) {
		*out = b.have_root ? b.root : json_null(); /* an empty stream is a null document */
		b.have_root = false;
	}
	builder_free(&b);
	return rc;
}
