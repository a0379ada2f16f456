#include "analyze/attrib.h"

#include <stdlib.h>
#include <string.h>

static int str_eq(const char *x, const char *y)
{
	if (!x || !y)
		return x == y;
	return strcmp(x, y) == 0;
}

static bool has_package(const struct artifact *t, const struct package *p)
{
	for (size_t i = 0; i < t->npkgs; i++) {
		const struct package *q = &t->pkgs[i];
		if (q->type == p->type && str_eq(q->name, p->name) && str_eq(q->version, p->version) &&
		    str_eq(q->arch, p->arch))
			return true;
	}
	return false;
}

int attrib_parse_with_history(const struct scan_view *v, const struct scan_file *final,
			      pkgdb_parse_fn parse, struct artifact *a, struct berr *e)
{
	size_t first = a->npkgs;
	TRY(parse(final, a, e));
	for (size_t i = first; i < a->npkgs; i++)
		a->pkgs[i].layer = final->layer;

	const struct scan_file *const *hist = NULL;
	size_t nh = view_history(v, final->path, &hist);
	/* Walk from just below the final version downwards while the package
	 * stays present; stop at the first version (or deletion) without it. */
	size_t top = nh;
	while (top > 0 && hist[top - 1]->layer > final->layer)
		top--;
	/* view_final() hands out the node's current version while the history
	 * holds copies: the same version is recognised by its layer. */
	if (top > 0 && hist[top - 1]->layer == final->layer && !hist[top - 1]->deleted)
		top--;
	bool *open = NULL;
	size_t nnew = a->npkgs - first;
	if (nnew == 0 || top == 0)
		return BOSUN_OK;
	open = calloc(nnew, sizeof *open);
	if (!open)
		return BOSUN_ENOMEM;
	for (size_t k = 0; k < nnew; k++)
		open[k] = true;
	for (size_t h = top; h-- > 0;) {
		const struct scan_file *f = hist[h];
		struct artifact tmp;
		artifact_init(&tmp);
		tmp.silent = true; /* older versions' problems were not in the final image */
		bool parsed = false;
		if (!f->deleted && f->data) {
			struct berr ignore = { 0 };
			parsed = parse(f, &tmp, &ignore) == BOSUN_OK;
		}
		bool any_open = false;
		for (size_t k = 0; k < nnew; k++) {
			if (!open[k])
				continue;
			if (parsed && has_package(&tmp, &a->pkgs[first + k]))
				a->pkgs[first + k].layer = f->layer;
			else
				open[k] = false;
			any_open |= open[k];
		}
		artifact_free(&tmp);
		if (!any_open)
			break;
	}
	free(open);
	return BOSUN_OK;
}
