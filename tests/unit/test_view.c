/* The merged view: layers built entry by entry with layer_result_add (the
 * same call the walkers make) and applied with view_apply_layer, then read
 * back with view_final / view_history / view_each_wanted. */
#include "testutil.h"

#include <sys/stat.h>

#include "image/layer.h"
#include "image/view.h"

/* One analyzer that wants every path, so every version is recorded. */
static bool want_all(const char *path, size_t len)
{
	(void)path;
	(void)len;
	return true;
}
static int no_analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	(void)v;
	(void)a;
	(void)e;
	return BOSUN_OK;
}
static const struct analyzer test_analyzer = { "test", 1, want_all, no_analyze };
static const struct analyzer *const table[] = { &test_analyzer, NULL };

struct fixture {
	struct scan_limits limits;
	struct walk_shared sh;
	struct scan_view *v;
	struct layer_result r;
	int next_layer;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->limits = scan_limits_default();
	f->sh.limits = &f->limits;
	f->sh.analyzers = table;
	f->v = view_new(table);
	*state = f;
	return f->v ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	layer_result_free(&f->r);
	view_free(f->v);
	free(f);
	return 0;
}

/* Entries: "path" (dir if it ends in '/'), "path=content" (file),
 * "path->target" (symlink), ".wh." names are whiteouts. */
static void add(struct fixture *f, const char *spec)
{
	char path[512];
	const char *arrow = strstr(spec, "->"), *eq = strchr(spec, '=');
	size_t n = arrow ? (size_t)(arrow - spec) : eq ? (size_t)(eq - spec) : strlen(spec);
	memcpy(path, spec, n);
	path[n] = '\0';
	uint32_t mode = S_IFREG | 0644;
	const char *link = NULL;
	if (arrow) {
		mode = S_IFLNK | 0777;
		link = arrow + 2;
	} else if (n && path[n - 1] == '/') {
		mode = S_IFDIR | 0755;
		path[n - 1] = '\0';
	}
	struct layer_entry *ent;
	struct berr e = { 0 };
	assert_int_equal(layer_result_add(&f->r, &f->sh, path, mode, eq ? strlen(eq + 1) : 0, link, &ent, &e), BOSUN_OK);
	if (ent && eq) {
		ent->data = (const unsigned char *)(eq + 1);
		ent->data_len = strlen(eq + 1);
	}
}

/* Applies the layer built so far and starts the next one. */
static void commit(struct fixture *f)
{
	assert_int_equal(view_apply_layer(f->v, f->next_layer++, &f->r), BOSUN_OK);
	assert_int_equal(f->r.nentries, 0); /* ownership moved to the view */
}

static void layer(struct fixture *f, const char *const *specs)
{
	for (; *specs; specs++)
		add(f, *specs);
	commit(f);
}
#define LAYER(f, ...) layer(f, (const char *const[]){ __VA_ARGS__, NULL })

/* Content visible at path, following links; NULL when absent. */
static const char *final(struct fixture *f, const char *path)
{
	const struct scan_file *sf = view_final(f->v, path);
	return sf ? (const char *)sf->data : NULL;
}

static int final_layer(struct fixture *f, const char *path)
{
	const struct scan_file *sf = view_final(f->v, path);
	return sf ? sf->layer : -1;
}

static void test_whiteout_deletes_file(void **state)
{
	struct fixture *f = *state;
	LAYER(f, "a/", "a/f=one", "a/keep=k");
	LAYER(f, "a/.wh.f");
	assert_null(final(f, "a/f"));
	assert_string_equal(final(f, "a/keep"), "k");
	const struct scan_file *const *h;
	size_t n = view_history(f->v, "a/f", &h);
	assert_int_equal(n, 2);
	assert_false(h[0]->deleted);
	assert_int_equal(h[0]->layer, 0);
	assert_string_equal((const char *)h[0]->data, "one");
	assert_true(h[1]->deleted);
	assert_int_equal(h[1]->layer, 1);
}

static void test_whiteout_deletes_subtree(void **state)
{
	struct fixture *f = *state;
	LAYER(f, "d/", "d/x=x", "d/sub/", "d/sub/y=y", "dd=sibling", "d2/z=z");
	LAYER(f, ".wh.d");
	assert_null(final(f, "d/x"));
	assert_null(final(f, "d/sub/y"));
	assert_string_equal(final(f, "dd"), "sibling"); /* a prefix, not a child */
	assert_string_equal(final(f, "d2/z"), "z");
	const struct scan_file *const *h;
	assert_int_equal(view_history(f->v, "d/sub/y", &h), 2);
	assert_true(h[1]->deleted);
	assert_int_equal(h[1]->layer, 1);
	/* A whiteout for something that never existed is harmless. */
	LAYER(f, "nothere/.wh.ghost", ".wh.nothing");
	assert_string_equal(final(f, "dd"), "sibling");
}

static void test_opaque_hides_only_lower_layers(void **state)
{
	struct fixture *f = *state;
	LAYER(f, "o/", "o/old=old", "o/sub/deep=deep", "other/x=x");
	LAYER(f, "o/", "o/.wh..wh..opq", "o/new=new");
	assert_null(final(f, "o/old"));
	assert_null(final(f, "o/sub/deep"));
	assert_string_equal(final(f, "o/new"), "new"); /* same layer as the marker */
	assert_string_equal(final(f, "other/x"), "x");
	LAYER(f, "o/later=later");
	assert_string_equal(final(f, "o/later"), "later");
	assert_string_equal(final(f, "o/new"), "new");
	const struct scan_file *const *h;
	assert_int_equal(view_history(f->v, "o/old", &h), 2);
	assert_true(h[1]->deleted);
	assert_int_equal(h[1]->layer, 1);
	/* AUFS bookkeeping names and a bare ".wh." are not whiteouts of anything. */
	LAYER(f, ".wh..wh.plnk/", ".wh..wh.aufs", "o/.wh.");
	assert_string_equal(final(f, "o/new"), "new");
}

static void test_opaque_root(void **state)
{
	struct fixture *f = *state;
	LAYER(f, "etc/os-release=lower", "x=lower");
	LAYER(f, ".wh..wh..opq", "x=upper");
	assert_null(final(f, "etc/os-release"));
	assert_string_equal(final(f, "x"), "upper");
}

static void test_file_replaced_by_dir_and_back(void **state)
{
	struct fixture *f = *state;
	LAYER(f, "p=file");
	LAYER(f, "p/", "p/child=child");
	assert_null(final(f, "p")); /* a directory is not a file */
	assert_string_equal(final(f, "p/child"), "child");
	/* A file replacing the directory hides everything below it. */
	LAYER(f, "p=file-again");
	assert_string_equal(final(f, "p"), "file-again");
	assert_null(final(f, "p/child"));
	/* And a directory again does not bring the old children back. */
	LAYER(f, "p/");
	assert_null(final(f, "p/child"));
}

static void test_dir_replaced_by_symlink(void **state)
{
	struct fixture *f = *state;
	LAYER(f, "q/", "q/f=old-f", "r/", "r/g=g");
	LAYER(f, "q->r");
	assert_null(final(f, "q/f")); /* old child hidden, and r/f does not exist */
	assert_string_equal(final(f, "q/g"), "g");
	assert_int_equal(final_layer(f, "q/g"), 0);
	/* The symlink replaced by a directory again. */
	LAYER(f, "q/", "q/h=h");
	assert_null(final(f, "q/g"));
	assert_string_equal(final(f, "q/h"), "h");
}

static void test_readd_after_whiteout(void **state)
{
	struct fixture *f = *state;
	LAYER(f, "x/", "x/f=v0", "x/g=g0");
	LAYER(f, ".wh.x");
	assert_null(final(f, "x/f"));
	LAYER(f, "x/", "x/g=g2");
	assert_null(final(f, "x/f"));
	assert_string_equal(final(f, "x/g"), "g2");
	assert_int_equal(final_layer(f, "x/g"), 2);
	LAYER(f, "x/f=v3");
	assert_string_equal(final(f, "x/f"), "v3");
	const struct scan_file *const *h;
	assert_int_equal(view_history(f->v, "x/f", &h), 3);
	assert_false(h[0]->deleted);
	assert_true(h[1]->deleted);
	assert_false(h[2]->deleted);
	assert_int_equal(h[2]->layer, 3);
	/* Deleted and re-created in one layer: the new one is visible. */
	LAYER(f, "x/.wh.f", "x/f=v4");
	assert_string_equal(final(f, "x/f"), "v4");
}

static void test_symlinks_stay_in_the_image(void **state)
{
	struct fixture *f = *state;
	LAYER(f, "etc/", "usr/lib/os-release=image", "etc/os-release->../usr/lib/os-release",
	      "etc/abs->/usr/lib/os-release", "etc/climb->../../../../../../usr/lib/os-release",
	      "etc/abs-climb->/../../usr/lib/os-release", "lib->usr/lib", "lib64->/usr/lib/",
	      "etc/dirlink->../lib", "etc/root->/", "etc/dangling->/no/such/file",
	      "etc/to-dir->/usr/lib");
	assert_string_equal(final(f, "etc/os-release"), "image");
	assert_string_equal(final(f, "etc/abs"), "image");
	assert_string_equal(final(f, "etc/climb"), "image");
	assert_string_equal(final(f, "etc/abs-climb"), "image");
	assert_string_equal(final(f, "lib/os-release"), "image");
	assert_string_equal(final(f, "lib64/os-release"), "image");
	assert_string_equal(final(f, "etc/dirlink/os-release"), "image"); /* two links in one path */
	assert_string_equal(final(f, "etc/root/usr/lib/os-release"), "image");
	assert_string_equal(final(f, "/etc/os-release"), "image");
	assert_null(final(f, "etc/dangling"));
	assert_null(final(f, "etc/to-dir"));   /* a directory is not a file */
	assert_null(final(f, "../etc/os-release")); /* the query itself must be a clean name */
	assert_null(final(f, "etc/os-release/x")); /* a file is not a directory */
}

static void test_symlink_loops_end(void **state)
{
	struct fixture *f = *state;
	LAYER(f, "self->self", "a->b", "b->/a", "dir/", "dir/loop->.", "up->up/x", "ring/", "ring/r1->r2/z", "ring/r2->r1/z");
	assert_null(final(f, "self"));
	assert_null(final(f, "a"));
	assert_null(final(f, "up"));
	assert_null(final(f, "ring/r1"));
	/* "dir/loop" is the directory itself: dir/loop/loop/.../x has no x. */
	assert_null(final(f, "dir/loop/loop/loop/loop/x"));
	LAYER(f, "dir/x=x");
	assert_string_equal(final(f, "dir/loop/loop/loop/loop/x"), "x");
}

static void test_symlink_chain_limit(void **state)
{
	struct fixture *f = *state;
	/* l0 -> l1 -> ... -> lN -> target: 40 hops resolve, 41 do not. */
	char spec[64];
	for (int i = 0; i < 45; i++) {
		snprintf(spec, sizeof spec, "l%d->l%d", i, i + 1);
		add(f, spec);
	}
	add(f, "l45=end");
	commit(f);
	assert_string_equal(final(f, "l5"), "end");  /* 40 hops */
	assert_null(final(f, "l4"));                /* 41 hops */
}

static int count_cb(const struct scan_file *sf, void *ctx)
{
	(void)sf;
	(*(int *)ctx)++;
	return 0;
}

static int collect_cb(const struct scan_file *sf, void *ctx)
{
	char *out = ctx;
	strcat(out, (const char *)sf->data);
	strcat(out, ";");
	return 0;
}

static void test_each_wanted_and_entries(void **state)
{
	struct fixture *f = *state;
	LAYER(f, "b=B", "a=A", "d/", "d/c=C", "link->a", "gone=G", "dirlink->d");
	LAYER(f, ".wh.gone");
	char out[256] = "";
	assert_int_equal(view_each_wanted(f->v, &test_analyzer, collect_cb, out), BOSUN_OK);
	/* Sorted by path; the symlink hands over its target's content; the
	 * deleted file, directories and links to directories are skipped. */
	assert_string_equal(out, "A;B;C;A;");
	int n = 0;
	assert_int_equal(view_each_entry(f->v, count_cb, &n), BOSUN_OK);
	assert_int_equal(n, 6); /* b a d d/c link dirlink */
	assert_int_equal(view_layer_count(f->v), 2);
}

static void test_apply_layer_out_of_order(void **state)
{
	struct fixture *f = *state;
	add(f, "x=x");
	assert_int_equal(view_apply_layer(f->v, 1, &f->r), BOSUN_EUSAGE);
	commit(f); /* layer 0 still fine */
	assert_string_equal(final(f, "x"), "x");
}

static void test_entry_limit(void **state)
{
	struct fixture *f = *state;
	f->limits.max_entries = 3;
	add(f, "a=1");
	add(f, "b=2");
	add(f, "c=3");
	struct layer_entry *ent;
	struct berr e = { 0 };
	assert_int_equal(layer_result_add(&f->r, &f->sh, "d", S_IFREG | 0644, 1, NULL, &ent, &e), BOSUN_ELIMIT);
	assert_non_null(strstr(e.msg, "more than 3 files"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_whiteout_deletes_file),
		T(test_whiteout_deletes_subtree),
		T(test_opaque_hides_only_lower_layers),
		T(test_opaque_root),
		T(test_file_replaced_by_dir_and_back),
		T(test_dir_replaced_by_symlink),
		T(test_readd_after_whiteout),
		T(test_symlinks_stay_in_the_image),
		T(test_symlink_loops_end),
		T(test_symlink_chain_limit),
		T(test_each_wanted_and_entries),
		T(test_apply_layer_out_of_order),
		T(test_entry_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
