#include "vulndb/relabel.h"
#include "vulndb/vulndb_impl.h"

#include <stdlib.h>

struct grow {
	struct source_list *l;
	size_t cap;
	int rc;
};

static char *dup_or_null(struct arena *a, const char *s, int *rc)
{
	if (!s)
		return NULL;
	char *d = arena_strdup(a, s);
	if (!d)
		*rc = BOSUN_ENOMEM;
	return d;
}

static int add_source(const struct vulndb_source_info *s, void *ctx)
{
	struct grow *g = ctx;
	struct source_list *l = g->l;
	if (l->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		struct source_copy *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return g->rc = BOSUN_ENOMEM;
		l->v = v;
		g->cap = cap;
	}
	struct source_copy *c = &l->v[l->n++];
	c->name = dup_or_null(&l->arena, s->name, &g->rc);
	c->origin = dup_or_null(&l->arena, s->origin, &g->rc);
	c->snapshot = dup_or_null(&l->arena, s->snapshot, &g->rc);
	c->license = dup_or_null(&l->arena, s->license, &g->rc);
	return g->rc;
}

int vulndb_list_sources(struct vulndb *db, struct source_list *out, struct berr *e)
{
	*out = (struct source_list){ 0 };
	struct grow g = { .l = out };
	int rc = vulndb_each_source(db, add_source, &g, e);
	if (!rc && g.rc)
		rc = berr_set(e, g.rc, "out of memory");
	if (rc)
		source_list_free(out);
	return rc;
}

void source_list_free(struct source_list *l)
{
	free(l->v);
	arena_free(&l->arena);
	*l = (struct source_list){ 0 };
}

int vulndb_source_relabel(struct vulndb *db, const char *name, const char *origin, const char *snapshot,
			  const char *license, struct berr *e)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db->db,
				    "UPDATE sources SET origin = COALESCE(?2, origin), snapshot = COALESCE(?3, snapshot),"
				    " license = COALESCE(?4, license) WHERE name = ?1",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return vulndb_sql_fail(db, rc, "sources", e);
	bind_str(s, 1, name);
	bind_str(s, 2, origin);
	bind_str(s, 3, snapshot);
	bind_str(s, 4, license);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? BOSUN_OK : vulndb_sql_fail(db, rc, "sources", e);
}
