/* The list of feeds `bosun db update` downloads: built-in defaults at each
 * project's official location (docs/vulndb-update.md), a feeds file that
 * replaces or amends them, and a mirror base URL for tests and air-gapped
 * sites. Each feed is one URL whose content lands at one place of a feed
 * tree that `vulndb_build` then imports, one top-level directory (a
 * "group": "debian", "alpine", "osv-go", ...) at a time. */
#ifndef BOSUN_VULNDB_FEEDS_H
#define BOSUN_VULNDB_FEEDS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

#define FEEDS_MAX 256
#define FEED_NAME_MAX 64

enum feed_format {
	FEED_FILE, /* the body is one file of the tree */
	FEED_ZIP,  /* the body is a zip unpacked into a directory of the tree */
};

struct feed {
	const char *name;   /* unique, [A-Za-z0-9._-]; names the cached copy and every message */
	const char *url;    /* http:// or https:// */
	enum feed_format format;
	const char *path;   /* where it goes in the tree: GROUP/.../FILE, or GROUP[/...] for a zip */
	const char *sha256; /* expected digest of the body (64 lowercase hex), or NULL */
	bool optional;      /* a 404 skips the feed instead of failing the update */
};

struct feed_list {
	struct feed *v;
	size_t n;
	struct arena arena; /* the strings */
};

/* The built-in list. */
int feeds_defaults(struct feed_list *out, struct berr *e);

/* Reads a feeds file (YAML or JSON; format in docs/vulndb-update.md):
 * `feeds:` entries, on top of the defaults when it says `defaults: true`
 * (then an entry with a built-in name changes that feed, and
 * `enabled: false` drops it). Errors name the file and the entry. */
int feeds_load(const char *path, struct feed_list *out, struct berr *e);

/* Points every URL at a mirror: scheme://HOST/PATH becomes BASE/HOST/PATH
 * (the layout `wget --force-directories` makes). */
int feeds_rebase(struct feed_list *l, const char *base, struct berr *e);

void feeds_free(struct feed_list *l);

/* The group of a feed: the first component of its path. Writes at most
 * FEED_NAME_MAX bytes. */
void feed_group(const struct feed *f, char out[FEED_NAME_MAX + 1]);

const char *feed_format_name(enum feed_format f);

#endif
