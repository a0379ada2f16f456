/* OpenVEX (--vex): statements by a supplier or the team about whether a
 * vulnerability affects a product. `not_affected` and `fixed` suppress a
 * finding; `affected` and `under_investigation` do not (they are kept as
 * information). Documents of spec v0.0.1 (vulnerability and products as
 * strings) and v0.2.0 (objects with @id, aliases, subcomponents) are read.
 *
 * Which statement decides: of those naming the finding's id or one of its
 * aliases and applying to the package, the latest by timestamp (the
 * statement's, else the document's); on a tie the later one in the files.
 * Rules: docs/matching.md#vex. */
#ifndef BOSUN_POLICY_VEX_H
#define BOSUN_POLICY_VEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define VEX_MAX_BYTES ((size_t)16 << 20)
#define VEX_MAX_STATEMENTS 100000
#define VEX_MAX_PRODUCTS 10000 /* per statement */

enum vex_status {
	VEX_NOT_AFFECTED,
	VEX_AFFECTED,
	VEX_FIXED,
	VEX_UNDER_INVESTIGATION,
};
const char *vex_status_name(enum vex_status s); /* "not_affected", ... */

struct vex_product {
	const char *id;          /* @id: a purl, or another IRI; may be NULL */
	const char *purl;        /* identifiers.purl (v0.2.0), may be NULL */
	const char **subcomponents;
	size_t nsub;
};

struct vex_statement {
	const char **ids;        /* vulnerability name, then its aliases */
	size_t nids;
	struct vex_product *products;
	size_t nproducts;
	enum vex_status status;
	const char *justification, *impact, *action;
	int64_t time;            /* seconds since the epoch; INT64_MIN when unknown */
	size_t order;            /* position over all loaded documents */
	const char *file;        /* the document it came from */
	size_t index;            /* 1-based within its document */
};

struct vex_set {
	struct arena arena;
	struct vex_statement *v;
	size_t n, cap;
};

/* Adds the statements of one document (file path, or data named `what`). */
int vex_load(struct vex_set *s, const char *path, struct berr *e);
int vex_parse(struct vex_set *s, const char *data, size_t n, const char *what, struct berr *e);
void vex_free(struct vex_set *s);

/* What a statement can be matched against: the finding's ids, the
 * package's purl, and the identities of the scanned target (image digests,
 * repo:tag names) for statements whose product is the image itself. */
struct vex_subject {
	const char *id;
	const char *const *aliases;
	size_t naliases;
	/* ids the finding also stands for (an erratum's CVEs): when no
	 * statement names id or an alias, statements about these decide, but
	 * suppress only when every one of them is suppressed */
	const char *const *related;
	size_t nrelated;
	const char *purl;
	const char *const *target_ids; /* "sha256:...", "docker.io/library/x:tag", ... */
	size_t ntarget_ids;
};

/* The deciding statement, or NULL when none applies. */
const struct vex_statement *vex_find(const struct vex_set *s, const struct vex_subject *subj);
bool vex_suppresses(const struct vex_statement *st);

#endif
