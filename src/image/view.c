/* The merged image. Every entry of every layer becomes (or updates) a node
 * keyed by path. Deletions are recorded twice: the node named by a whiteout
 * is marked absent, and the whiteout's path goes into `kills` with its
 * layer, so that anything below it from a lower layer is hidden too; an
 * opaque directory only enters `kills`. A node is visible when present and
 * no ancestor was killed at a layer above the node's. That keeps whiteouts
 * O(1) however many files sit under the deleted directory. */
#include "image/view.h"
#include "image/path.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct view_node {
	struct scan_file cur;
	const struct scan_file **hist;
	uint32_t nhist, cap_hist;
	uint32_t wanted;
	bool present;
};

struct scan_view {
	struct arena arena;
	struct strmap nodes;
	struct strmap kills;                 /* path -> (void *)(layer + 1), the highest */
	const struct analyzer *const *analyzers;
	struct view_node **wanted;
	size_t nwanted, cap_wanted;
	struct layer_result *layers;
	int nlayers, cap_layers;
	bool wanted_sorted;
	bool project;
};

struct scan_view *view_new(const struct analyzer *const *table)
{
	struct scan_view *v = calloc(1, sizeof *v);
	if (v)
		v->analyzers = table;
	return v;
}

void view_free(struct scan_view *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nwanted; i++)
		free(v->wanted[i]->hist);
	free(v->wanted);
	for (int i = 0; i < v->nlayers; i++)
		layer_result_free(&v->layers[i]);
	free(v->layers);
	strmap_free(&v->nodes);
	strmap_free(&v->kills);
	arena_free(&v->arena);
	free(v);
}

int view_layer_count(const struct scan_view *v) { return v->nlayers; }

static int kill_layer(const struct scan_view *v, const char *path, size_t n)
{
	uintptr_t k = (uintptr_t)strmap_getn(&v->kills, path, n);
	return k ? (int)k - 1 : -1;
}

/* Highest kill layer among path's proper ancestors (including the root). */
static int ancestor_kill(const struct scan_view *v, const char *path)
{
	int best = kill_layer(v, "", 0);
	for (const char *p = path; (p = strchr(p, '/')); p++) {
		int k = kill_layer(v, path, (size_t)(p - path));
		if (k > best)
			best = k;
	}
	return best;
}

static bool node_visible(const struct scan_view *v, const struct view_node *n)
{
	return n->present && ancestor_kill(v, n->cur.path) <= n->cur.layer;
}

static int push_history(struct scan_view *v, struct view_node *n, const struct scan_file *f)
{
	struct scan_file *copy = arena_alloc(&v->arena, sizeof *copy);
	if (!copy)
		return BOSUN_ENOMEM;
	*copy = *f;
	if (n->nhist == n->cap_hist) {
		uint32_t cap = n->cap_hist ? n->cap_hist * 2 : 4;
		const struct scan_file **h = realloc(n->hist, cap * sizeof *h);
		if (!h)
			return BOSUN_ENOMEM;
		n->hist = h;
		n->cap_hist = cap;
	}
	n->hist[n->nhist++] = copy;
	return BOSUN_OK;
}

static int push_deletion(struct scan_view *v, struct view_node *n, int layer)
{
	struct scan_file del = { .path = n->cur.path, .layer = layer, .deleted = true };
	return push_history(v, n, &del);
}

static int set_kill(struct scan_view *v, const char *path, int layer)
{
	int old = kill_layer(v, path, strlen(path));
	if (old >= layer)
		return BOSUN_OK;
	return strmap_put(&v->kills, path, (void *)(uintptr_t)(layer + 1));
}

static int apply_entry(struct scan_view *v, int layer, const struct layer_entry *le)
{
	struct view_node *n = strmap_get(&v->nodes, le->path);
	if (!n) {
		n = arena_alloc(&v->arena, sizeof *n);
		if (!n)
			return BOSUN_ENOMEM;
		memset(n, 0, sizeof *n);
		TRY(strmap_put(&v->nodes, le->path, n));
	} else if (S_ISDIR(n->cur.mode) && !S_ISDIR(le->mode) && n->present) {
		/* A non-directory replacing a directory hides everything below it. */
		TRY(set_kill(v, le->path, layer));
	}
	n->cur = (struct scan_file){
		.path = le->path,
		.layer = layer,
		.data = le->data,
		.size = le->data ? le->data_len : (size_t)le->size,
		.mode = le->mode,
		.link = le->link,
		.too_large = le->too_large,
	};
	n->present = true;
	if (le->wanted) {
		if (!n->wanted) {
			if (v->nwanted == v->cap_wanted) {
				size_t cap = v->cap_wanted ? v->cap_wanted * 2 : 64;
				struct view_node **w = realloc(v->wanted, cap * sizeof *w);
				if (!w)
					return BOSUN_ENOMEM;
				v->wanted = w;
				v->cap_wanted = cap;
			}
			v->wanted[v->nwanted++] = n;
			v->wanted_sorted = false;
		}
		n->wanted |= le->wanted;
		TRY(push_history(v, n, &n->cur));
	}
	return BOSUN_OK;
}

int view_apply_layer(struct scan_view *v, int index, struct layer_result *r)
{
	if (index != v->nlayers)
		return BOSUN_EUSAGE;
	if (v->nlayers == v->cap_layers) {
		int cap = v->cap_layers ? v->cap_layers * 2 : 8;
		struct layer_result *l = realloc(v->layers, (size_t)cap * sizeof *l);
		if (!l)
			return BOSUN_ENOMEM;
		v->layers = l;
		v->cap_layers = cap;
	}
	v->layers[v->nlayers++] = *r;
	memset(r, 0, sizeof *r);
	struct layer_result *L = &v->layers[index];

	for (size_t i = 0; i < L->nopaques; i++)
		TRY(set_kill(v, L->opaques[i], index));
	for (size_t i = 0; i < L->nwhiteouts; i++) {
		struct view_node *n = strmap_get(&v->nodes, L->whiteouts[i]);
		if (n && n->present) {
			n->present = false;
			if (n->wanted)
				TRY(push_deletion(v, n, index));
		}
		TRY(set_kill(v, L->whiteouts[i], index));
	}
	/* Wanted files hidden by a directory deletion at this layer get a
	 * deletion marker, so layer attribution sees the gap. */
	if (L->nopaques || L->nwhiteouts) {
		for (size_t i = 0; i < v->nwanted; i++) {
			struct view_node *n = v->wanted[i];
			if (n->present && n->cur.layer < index && ancestor_kill(v, n->cur.path) == index) {
				n->present = false;
				TRY(push_deletion(v, n, index));
			}
		}
	}
	for (size_t i = 0; i < L->nentries; i++)
		TRY(apply_entry(v, index, &L->entries[i]));
	return BOSUN_OK;
}

static const struct view_node *visible_node(const struct scan_view *v, const char *path)
{
	const struct view_node *n = strmap_get(&v->nodes, path);
	return n && node_visible(v, n) ? n : NULL;
}

/* Resolves path component by component, following symlinks inside the
 * image; absolute link targets start at the image root, never the host's. */
static const struct view_node *resolve(const struct scan_view *v, const char *path)
{
	char cur[4096], next[4096];
	if (path_normalize(path, strlen(path), cur, sizeof cur) != PATH_OK)
		return NULL;
	for (int hops = 0; hops <= 40; hops++) {
		bool restarted = false;
		for (char *p = cur;; p++) {
			char saved = *p;
			if (saved != '/' && saved != '\0')
				continue;
			*p = '\0';
			const struct view_node *n = visible_node(v, cur);
			if (n && S_ISLNK(n->cur.mode) && n->cur.link) {
				char dir[4096];
				const char *slash = strrchr(cur, '/');
				size_t dlen = slash ? (size_t)(slash - cur) : 0;
				memcpy(dir, cur, dlen);
				dir[dlen] = '\0';
				enum path_result pr = path_resolve_link(dir, n->cur.link, true, next, sizeof next);
				if (pr == PATH_TOO_LONG)
					return NULL;
				if (saved == '/') {
					size_t used = strlen(next);
					size_t rest = strlen(p + 1);
					if (used + 1 + rest + 1 > sizeof next)
						return NULL;
					if (used)
						next[used++] = '/';
					memcpy(next + used, p + 1, rest + 1);
				}
				memcpy(cur, next, sizeof cur);
				restarted = true;
				break;
			}
			if (saved == '\0')
				return n;
			*p = saved;
		}
		if (!restarted)
			return NULL;
	}
	return NULL; /* symlink loop */
}

const struct scan_file *view_final(const struct scan_view *v, const char *path)
{
	const struct view_node *n = resolve(v, path);
	return n && S_ISREG(n->cur.mode) ? &n->cur : NULL;
}

size_t view_history(const struct scan_view *v, const char *path, const struct scan_file *const **out)
{
	const struct view_node *n = strmap_get(&v->nodes, path);
	if (!n || !n->nhist) {
		*out = NULL;
		return 0;
	}
	*out = n->hist;
	return n->nhist;
}

static int node_cmp(const void *a, const void *b)
{
	const struct view_node *x = *(const struct view_node *const *)a, *y = *(const struct view_node *const *)b;
	return strcmp(x->cur.path, y->cur.path);
}

int view_each_wanted(const struct scan_view *v, const struct analyzer *an, view_each_fn fn, void *ctx)
{
	int bit = -1;
	for (int i = 0; v->analyzers[i]; i++)
		if (v->analyzers[i] == an)
			bit = i;
	if (bit < 0)
		return BOSUN_OK;
	if (!v->wanted_sorted) {
		/* Sorting does not change what the view says, only the order. */
		struct scan_view *mv = (struct scan_view *)v;
		if (mv->nwanted > 1)
			qsort(mv->wanted, mv->nwanted, sizeof *mv->wanted, node_cmp);
		mv->wanted_sorted = true;
	}
	for (size_t i = 0; i < v->nwanted; i++) {
		const struct view_node *n = v->wanted[i];
		if (!(n->wanted & (1u << bit)) || !node_visible(v, n))
			continue;
		const struct scan_file *f = &n->cur;
		if (S_ISLNK(f->mode)) {
			/* A wanted name that is a symlink: hand over what it points to. */
			const struct view_node *t = resolve(v, f->path);
			if (!t || !S_ISREG(t->cur.mode))
				continue;
			f = &t->cur;
		} else if (!S_ISREG(f->mode)) {
			continue;
		}
		int rc = fn(f, ctx);
		if (rc)
			return rc;
	}
	return BOSUN_OK;
}

int view_each_entry(const struct scan_view *v, view_entry_fn fn, void *ctx)
{
	for (size_t i = 0; i < v->nodes.cap; i++) {
		const struct view_node *n = v->nodes.slots[i].value;
		if (!v->nodes.slots[i].key || !node_visible(v, n))
			continue;
		int rc = fn(&n->cur, ctx);
		if (rc)
			return rc;
	}
	return BOSUN_OK;
}

int view_path_layer(const struct scan_view *v, const char *path)
{
	const struct view_node *n = visible_node(v, path);
	return n ? n->cur.layer : -1;
}

const struct artifact *view_layer_streamed(const struct scan_view *v, int i)
{
	return i >= 0 && i < v->nlayers ? &v->layers[i].streamed : NULL;
}

bool view_is_project(const struct scan_view *v) { return v->project; }

void view_set_project(struct scan_view *v, bool project) { v->project = project; }
