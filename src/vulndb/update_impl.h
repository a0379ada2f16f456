/* Pieces of `bosun db update` shared by update.c (the run), update_state.c
 * (what the cache remembers) and update_tree.c (laying downloads out for
 * the importers). Not an interface: include vulndb/update.h instead. */
#ifndef BOSUN_VULNDB_UPDATE_IMPL_H
#define BOSUN_VULNDB_UPDATE_IMPL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"
#include "vulndb/feeds.h"
#include "vulndb/fetch.h"

/* Scratch paths leave room below PATH_MAX for what goes inside them. */
#define SCRATCH_MAX (PATH_MAX - 256)

/* Takes the update lock (cache_dir/lock, created with cache_dir): one
 * update of a database at a time. Released when *fd is closed. */
int update_lock(const char *cache_dir, const char *db_path, int *fd, struct berr *e);

/* What the cache knows of one feed's last download. */
struct cached_feed {
	char name[FEED_NAME_MAX + 1];
	char url[2048 + 1];
	struct fetch_validators v;
	char sha256[72];   /* "sha256:<hex>" of the cached copy */
	int64_t filetime;  /* Last-Modified, -1 when unknown */
	char fetched[32];  /* ISO 8601 UTC of the download */
};

/* DB.feeds/state.json: the cached feeds, and which feeds (with which
 * content) the current database was built from. */
struct update_state {
	struct cached_feed *feeds;
	size_t nfeeds;
	struct cached_feed *built; /* url and sha256 set */
	size_t nbuilt;
};

int update_state_load(const char *cache_dir, struct update_state *s, struct berr *e);
/* Written to a temporary file and renamed, so it is whole or absent. */
int update_state_save(const char *cache_dir, const struct update_state *s, struct berr *e);
void update_state_free(struct update_state *s);
const struct cached_feed *update_state_find(const struct update_state *s, const char *name);

/* The sha256 ("sha256:<hex>") of a file. */
int update_file_sha256(const char *path, char out[72], struct berr *e);

/* Puts one feed's content (the file src) at its place below the tree:
 * linked or copied for a file feed (with mtime, when >= 0), unpacked for a
 * zip. */
int update_tree_place(int treefd, const struct feed *f, const char *src, int64_t mtime, struct berr *e);

/* What happened to a feed in this run. */
enum feed_outcome { FEED_DOWNLOADED, FEED_NOT_MODIFIED, FEED_SKIPPED };

struct feed_run {
	const struct feed *f;
	enum feed_outcome outcome;
	char src[PATH_MAX];      /* the content to import: the download or the cached copy */
	struct cached_feed next; /* the cache entry after a successful update */
};

#endif
