/* Reading SBOMs back into the artifact model, so that `bosun sbom FILE`
 * can match an inventory made earlier or by another tool: CycloneDX
 * (1.2 to 1.7 JSON) and SPDX 2.x JSON as bosun, Trivy and Syft write them.
 * Packages come from purls; the OS, source packages, layers and epochs from
 * each producer's own fields. What is read from where: docs/formats.md,
 * "Reading SBOMs". The input is untrusted: size, nesting, string lengths,
 * element counts and purls are all bounded. */
#ifndef BOSUN_SBOM_READ_H
#define BOSUN_SBOM_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "sbom/artifact.h"
#include "util/err.h"

enum sbom_input {
	SBOM_INPUT_AUTO,      /* by the document's marker: bomFormat or spdxVersion */
	SBOM_INPUT_CYCLONEDX,
	SBOM_INPUT_SPDX,
};

#define SBOM_READ_MAX_BYTES ((size_t)256 << 20) /* one document */
#define SBOM_READ_MAX_DEPTH 64                  /* JSON nesting */
#define SBOM_READ_MAX_ELEMENTS 1000000          /* components / packages, nested included */
#define SBOM_READ_MAX_FIELD 4096                /* bytes of a name, version, purl, ... */
#define SBOM_READ_MAX_LAYERS 1024

/* Whether `bosun sbom TARGET` reads TARGET as an SBOM rather than scanning
 * it: "cyclonedx:FILE" and "spdx:FILE" say so (and fix the format), and so
 * does a regular file whose first byte after a UTF-8 BOM and blanks is '{'
 * (a JSON document; image archives and layouts never are). *path points
 * into target. */
bool sbom_read_detect(const char *target, enum sbom_input *kind, const char **path);

/* Reads the document at path into a (initialized, empty) and finishes it
 * (artifact_finish). a->target is path, a->target_kind "cyclonedx" or
 * "spdx". With a forced kind the document must still carry that format's
 * marker. Errors name the file and the element: BOSUN_EFORMAT for malformed
 * JSON, wrong types, bad purls and unknown formats, BOSUN_ELIMIT for
 * anything over the bounds above, BOSUN_EUNSUPPORTED for spec versions
 * bosun does not read, BOSUN_ENOTFOUND/BOSUN_EIO when the file cannot be
 * read. Warnings (skipped components) go to the artifact. */
int sbom_read_file(const char *path, enum sbom_input kind, struct artifact *a, struct berr *e);
int sbom_read(const char *path, struct artifact *a, struct berr *e); /* SBOM_INPUT_AUTO */
/* The same on a document in memory; what names it in messages. */
int sbom_read_mem(const char *data, size_t n, enum sbom_input kind, const char *what, struct artifact *a,
		  struct berr *e);

/* ---- for the format readers only ------------------------------------------ */
#ifdef SBOM_READ_INTERNAL
#include <jansson.h>

#include "sbom/purl.h"
#include "util/strmap.h"

/* One package-like element as the document describes it. Strings point
 * into the JSON document and are copied when the package is kept. */
struct sbom_item {
	char where[96]; /* "components[3].components[0]", for messages */
	const char *purl, *name, *version, *license, *supplier;
	const char *source_info;                     /* SPDX "built package from: NAME VERSION" */
	/* bosun's properties (docs/formats.md) */
	const char *arch, *src_name, *src_version, *maintainer, *vendor, *modularity, *commit, *found_in;
	const char *layer_index, *layer_diff_id, *layer_digest;
	/* Trivy's (aquasecurity:trivy:*) */
	const char *t_src_name, *t_src_version, *t_src_release, *t_src_epoch;
	const char *t_diff_id, *t_digest, *t_file_path, *t_modularity;
	/* Syft's (syft:*) */
	const char *s_source, *s_source_version, *s_layer, *s_path;
};

/* The target (CycloneDX metadata.component, the SPDX described package)
 * and the OS element, gathered the same way. */
struct sbom_target {
	const char *name, *kind, *image_id, *manifest_digest, *architecture, *variant, *os_name, *created;
	bool directory; /* the document says it describes a directory */
};
struct sbom_os {
	const char *id, *version_id, *version, *pretty_name, *codename, *id_like, *family, *source;
	bool distroless;
	char id_like_buf[256]; /* Syft's syft:distro:idLike:N, joined */
};

struct sbom_reader {
	struct artifact *a;
	const char *what;
	struct berr *e;
	size_t elements;
	struct arena scratch; /* reader-only strings (duplicate keys) */
	struct strmap seen;   /* identity of every package kept, for duplicates */
	size_t duplicates, no_purl;
	char skipped_types[128]; /* purl types not modelled, for one warning */
	size_t skipped;
	struct sbom_target target;
	bool have_target;
	struct sbom_os os;
	bool have_os;
	size_t extra_os;
	const char **diff_ids, **digests; /* layers, in the document's order */
	size_t nlayers, cap_layers;
	const char **tags;
	size_t ntags, cap_tags;
	struct distro_tally {
		const char *type, *ns, *distro;
		size_t n;
	} distros[8];
	size_t ndistros;
};

/* A string member: absent or null -> *out NULL; another type -> EFORMAT;
 * longer than SBOM_READ_MAX_FIELD -> ELIMIT. where names the object. */
int sbom_read_str(struct sbom_reader *r, const json_t *obj, const char *key, const char *where, const char **out);
/* The array member key (absent or null -> *out NULL, another type -> EFORMAT). */
int sbom_read_array(struct sbom_reader *r, const json_t *obj, const char *key, const char *where, json_t **out);
/* Counts one more element against SBOM_READ_MAX_ELEMENTS. */
int sbom_read_count(struct sbom_reader *r);

/* One name/value pair (CycloneDX property, SPDX annotation) of a package,
 * the target or the OS; names bosun does not know are ignored. Values
 * longer than SBOM_READ_MAX_FIELD are ELIMIT. */
int sbom_read_item_prop(struct sbom_reader *r, struct sbom_item *it, const char *name, const char *value);
int sbom_read_target_prop(struct sbom_reader *r, const char *name, const char *value);
int sbom_read_os_prop(struct sbom_reader *r, const char *name, const char *value);

/* The document's OS element (its name and version as written); the first
 * one wins (true: feed it its properties with sbom_read_os_prop), later
 * ones are counted for a warning. */
bool sbom_read_os(struct sbom_reader *r, const char *name, const char *version, const char *description);
/* Turns a gathered item into a package (or skips it, counted). */
int sbom_read_package(struct sbom_reader *r, struct sbom_item *it);

/* Checks a property value bosun keeps against SBOM_READ_MAX_FIELD. */
int sbom_read_check_value(struct sbom_reader *r, const char *name, const char *value);
/* Appends a layer (diff ID, digest; the digest may be NULL) and says its index. */
int sbom_read_add_layer(struct sbom_reader *r, const char *diff_id, const char *digest, int *index);
/* A copy of s (NULL stays NULL) in ar; *rc = BOSUN_ENOMEM when that fails. */
char *sbom_read_keep(struct arena *ar, const char *s, int *rc);
/* Counts the distro= of an OS package's purl, for the OS when the document has no OS element. */
void sbom_read_tally_distro(struct sbom_reader *r, const struct purl *pu);
/* Fills a->os from the OS element, else from the tallied distro= qualifiers. */
int sbom_read_finish_os(struct sbom_reader *r);

int sbom_read_cyclonedx(struct sbom_reader *r, const json_t *doc);
int sbom_read_spdx(struct sbom_reader *r, const json_t *doc);
#endif

#endif
