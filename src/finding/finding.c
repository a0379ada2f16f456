#include "finding/finding.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"

void finding_list_init(struct finding_list *l) { memset(l, 0, sizeof *l); }

void finding_list_free(struct finding_list *l)
{
	free(l->v);
	arena_free(&l->arena);
	memset(l, 0, sizeof *l);
}

static int copy_str(struct arena *a, const char **dst, const char *src)
{
	if (!src) {
		*dst = NULL;
		return BOSUN_OK;
	}
	*dst = arena_strdup(a, src);
	return *dst ? BOSUN_OK : BOSUN_ENOMEM;
}

int finding_add(struct finding_list *l, const struct finding *f)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct finding *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return BOSUN_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	struct finding c = *f;
	struct arena *a = &l->arena;
	TRY(copy_str(a, &c.rule_id, f->rule_id));
	TRY(copy_str(a, &c.title, f->title));
	TRY(copy_str(a, &c.message, f->message));
	TRY(copy_str(a, &c.path, f->path));
	TRY(copy_str(a, &c.location, f->location));
	TRY(copy_str(a, &c.match, f->match));
	TRY(copy_str(a, &c.category, f->category));
	TRY(copy_str(a, &c.remediation, f->remediation));
	TRY(copy_str(a, &c.control, f->control));
	TRY(copy_str(a, &c.reference, f->reference));
	TRY(copy_str(a, &c.ns, f->ns));
	TRY(copy_str(a, &c.object, f->object));
	l->v[l->n++] = c;
	return BOSUN_OK;
}

int finding_list_append(struct finding_list *dst, const struct finding_list *src)
{
	for (size_t i = 0; i < src->n; i++)
		TRY(finding_add(dst, &src->v[i]));
	return BOSUN_OK;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	int c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = cmp_str(a->path, b->path)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	if ((c = cmp_str(a->location, b->location)))
		return c;
	if ((c = cmp_str(a->rule_id, b->rule_id)))
		return c;
	if ((c = cmp_str(a->message, b->message)))
		return c;
	return cmp_str(a->match, b->match);
}

void finding_list_sort(struct finding_list *l)
{
	if (l->n < 2)
		return;
	qsort(l->v, l->n, sizeof *l->v, cmp_finding);
	size_t w = 1;
	for (size_t i = 1; i < l->n; i++)
		if (cmp_finding(&l->v[w - 1], &l->v[i]))
			l->v[w++] = l->v[i];
	l->n = w;
}

static const char *const kind_names[FINDING_KIND_COUNT] = { "secret", "malware", "misconfiguration" };

const char *finding_kind_name(enum finding_kind k)
{
	return (unsigned)k < FINDING_KIND_COUNT ? kind_names[k] : "unknown";
}

int finding_kind_parse(const char *s, enum finding_kind *out)
{
	for (int k = 0; k < FINDING_KIND_COUNT; k++)
		if (!strcasecmp(s, kind_names[k])) {
			*out = (enum finding_kind)k;
			return BOSUN_OK;
		}
	if (!strcasecmp(s, "misconfig") || !strcasecmp(s, "config")) {
		*out = FINDING_KIND_MISCONFIG;
		return BOSUN_OK;
	}
	return BOSUN_EUSAGE;
}
