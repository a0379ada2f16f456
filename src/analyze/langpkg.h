/* Shared by the language-package parsers (python.c, ruby.c, php.c,
 * dotnet.c): one file's worth of packages going into an artifact, with the
 * checks every ecosystem needs on names and versions read from hostile
 * files, and bounded per-file warnings. */
#ifndef BOSUN_ANALYZE_LANGPKG_H
#define BOSUN_ANALYZE_LANGPKG_H

#include <stdbool.h>
#include <stddef.h>

#include "sbom/artifact.h"
#include "util/buf.h"

/* Real names and versions are far below these. */
#define LANGPKG_NAME_MAX 214     /* npm's limit; PyPI, gems, NuGet ids are shorter */
#define LANGPKG_VERSION_MAX 128
#define LANGPKG_LICENSE_MAX 512  /* longer "licenses" are license texts, not names */
#define LANGPKG_MAX_PACKAGES 100000 /* per file */
#define LANGPKG_MAX_WARNINGS 10  /* per file; the rest are counted */

struct langpkg_file {
	struct artifact *a;
	const char *what;      /* parser name for messages: "poetry.lock" */
	const char *path;      /* the file, as found_in will say */
	char *found_in;        /* arena copy, made with the first package */
	size_t added, warnings;
	bool full;             /* LANGPKG_MAX_PACKAGES reached: adds are refused */
};

void langpkg_begin(struct langpkg_file *f, struct artifact *a, const char *what, const char *path);
/* Prints the count of warnings past the limit. */
void langpkg_end(struct langpkg_file *f);

void langpkg_warn(struct langpkg_file *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether s can be a package name or version: 1..max bytes of printable
 * ASCII without spaces (every ecosystem here publishes such names). */
bool langpkg_token_ok(struct slice s, size_t max);

/* Appends a package of type t with found_in = f->path. Name and version are
 * checked with langpkg_token_ok(); an unusable one is a warning and *out is
 * NULL. Returns BOSUN_OK or BOSUN_ENOMEM. */
int langpkg_add(struct langpkg_file *f, enum pkg_type t, struct slice name, struct slice version,
		struct package **out);

/* Sets p->license to s (trimmed, control characters replaced) unless it is
 * empty or longer than LANGPKG_LICENSE_MAX. */
int langpkg_set_license(struct langpkg_file *f, struct package *p, struct slice s);

/* Joins the strings of items with sep into p->license (each trimmed; empty
 * and over-long ones skipped). */
int langpkg_join_licenses(struct langpkg_file *f, struct package *p, const struct slice *items, size_t n,
			  const char *sep);

/* Warns that a wanted file has no content to read: above the capture
 * limit, or a symlink to a file nobody captured. */
struct scan_file;
void langpkg_warn_unread(struct artifact *a, const char *what, const struct scan_file *f);

/* ---- paths ---- */

/* The last component of a normalized path. */
const char *langpkg_basename(const char *path);
bool langpkg_has_suffix(const char *s, size_t len, const char *suffix);
/* Whether path has a directory component equal to dir ("a/dir/b"). */
bool langpkg_has_dir(const char *path, size_t len, const char *dir);

/* ---- layers ---- */

struct scan_view;
struct berr;
typedef int (*langpkg_parse_fn)(const struct scan_file *f, struct artifact *out, struct berr *e);

/* attrib_parse_with_history() with hashing: parses final into a and gives
 * each package the lowest layer from which it (type, name, version) was in
 * every later version of the file. Files that many `composer install`s or
 * `dotnet publish`es rewrote hold thousands of packages, where comparing
 * every pair per layer would be quadratic. */
int langpkg_parse_with_history(const struct scan_view *v, const struct scan_file *final, langpkg_parse_fn parse,
			       struct artifact *a, struct berr *e);

#endif
