/* Reading SBOMs: detection, loading, typed access and the finished
 * artifact. The format readers (read_cyclonedx.c, read_spdx.c) walk their
 * document and hand over items (package-like elements with the fields and
 * properties they carry), the target and the OS element; read_props.c,
 * read_package.c and read_os.c turn those into the artifact, so that
 * bosun's, Trivy's and Syft's conventions are read the same way whichever
 * format carries them. */
#define SBOM_READ_INTERNAL
#include "sbom/read.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sbom/purl.h"
#include "util/json.h"

/* ---- detection and loading ------------------------------------------------------ */

static const char *skip_bom(const char *s, size_t *n)
{
	if (*n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		*n -= 3;
		return s + 3;
	}
	return s;
}

/* First byte after a UTF-8 BOM and JSON blanks is '{'. */
static bool looks_like_json(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char buf[4096];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	const char *p = skip_bom(buf, &n);
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i < n && p[i] == '{';
}

bool sbom_read_detect(const char *target, enum sbom_input *kind, const char **path)
{
	static const struct {
		const char *prefix;
		enum sbom_input kind;
	} prefixes[] = { { "cyclonedx:", SBOM_INPUT_CYCLONEDX }, { "spdx:", SBOM_INPUT_SPDX } };
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t n = strlen(prefixes[i].prefix);
		if (strncmp(target, prefixes[i].prefix, n) == 0) {
			*kind = prefixes[i].kind;
			*path = target + n;
			return true;
		}
	}
	struct stat st;
	if (stat(target, &st) != 0 || !S_ISREG(st.st_mode) || !looks_like_json(target))
		return false;
	*kind = SBOM_INPUT_AUTO;
	*path = target;
	return true;
}

static int load(const char *path, struct buf *b, struct berr *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "cannot open SBOM %s: %s", path,
				strerror(errno));
	char chunk[65536];
	size_t got;
	int rc = BOSUN_OK;
	while (rc == BOSUN_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + got > SBOM_READ_MAX_BYTES)
			rc = berr_set(e, BOSUN_ELIMIT, "SBOM %s: larger than %zu bytes", path, SBOM_READ_MAX_BYTES);
		else
			rc = buf_append(b, chunk, got);
	}
	if (rc == BOSUN_OK && ferror(f))
		rc = berr_set(e, BOSUN_EIO, "cannot read SBOM %s: %s", path, strerror(errno));
	fclose(f);
	return rc;
}

/* ---- typed access ------------------------------------------------------------------ */

int sbom_read_str(struct sbom_reader *r, const json_t *obj, const char *key, const char *where, const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return BOSUN_OK;
	if (!json_is_string(v))
		return berr_set(r->e, BOSUN_EFORMAT, "%s: %s.%s: expected a string", r->what, where, key);
	if (json_string_length(v) > SBOM_READ_MAX_FIELD)
		return berr_set(r->e, BOSUN_ELIMIT, "%s: %s.%s: longer than %d bytes", r->what, where, key,
				SBOM_READ_MAX_FIELD);
	/* A string with an escaped NUL would end early in C: refuse it. */
	if (strlen(json_string_value(v)) != json_string_length(v))
		return berr_set(r->e, BOSUN_EFORMAT, "%s: %s.%s: contains a NUL character", r->what, where, key);
	*out = json_string_value(v)[0] ? json_string_value(v) : NULL;
	return BOSUN_OK;
}

int sbom_read_array(struct sbom_reader *r, const json_t *obj, const char *key, const char *where, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return BOSUN_OK;
	if (!json_is_array(v))
		return berr_set(r->e, BOSUN_EFORMAT, "%s: %s.%s: expected an array", r->what, where, key);
	*out = v;
	return BOSUN_OK;
}

int sbom_read_count(struct sbom_reader *r)
{
	if (++r->elements > SBOM_READ_MAX_ELEMENTS)
		return berr_set(r->e, BOSUN_ELIMIT, "%s: more than %d components or packages", r->what,
				SBOM_READ_MAX_ELEMENTS);
	return BOSUN_OK;
}

int sbom_read_check_value(struct sbom_reader *r, const char *name, const char *value)
{
	if (strlen(value) > SBOM_READ_MAX_FIELD)
		return berr_set(r->e, BOSUN_ELIMIT, "%s: property %.64s: longer than %d bytes", r->what, name,
				SBOM_READ_MAX_FIELD);
	return BOSUN_OK;
}

char *sbom_read_keep(struct arena *ar, const char *s, int *rc)
{
	char *d = s ? arena_strdup(ar, s) : NULL;
	if (s && !d)
		*rc = BOSUN_ENOMEM;
	return d;
}


/* ---- the artifact ----------------------------------------------------------------------------- */

static int finish_layers(struct sbom_reader *r)
{
	struct artifact *a = r->a;
	/* A directory has no layers, whatever its packages claim. */
	if (r->target.directory)
		for (size_t i = 0; i < a->npkgs; i++)
			a->pkgs[i].layer = -1;
	if (r->target.directory || r->nlayers == 0)
		return BOSUN_OK;
	a->layers = arena_alloc(&a->arena, r->nlayers * sizeof *a->layers);
	if (!a->layers)
		return BOSUN_ENOMEM;
	memset(a->layers, 0, r->nlayers * sizeof *a->layers);
	int rc = BOSUN_OK;
	for (size_t i = 0; i < r->nlayers; i++) {
		a->layers[i].diff_id = sbom_read_keep(&a->arena, r->diff_ids[i], &rc);
		a->layers[i].digest = sbom_read_keep(&a->arena, r->digests[i], &rc);
	}
	a->nlayers = r->nlayers;
	return rc;
}

static int finish_target(struct sbom_reader *r, const char *kind)
{
	struct artifact *a = r->a;
	const struct sbom_target *t = &r->target;
	struct arena *ar = &a->arena;
	int rc = BOSUN_OK;
	a->target = sbom_read_keep(ar, r->what, &rc);
	a->target_kind = sbom_read_keep(ar, kind, &rc);
	a->name = sbom_read_keep(ar, t->name, &rc);
	if (t->directory || (t->kind && (!strcmp(t->kind, "rootfs") || !strcmp(t->kind, "fs"))))
		r->target.directory = true;
	if (r->target.directory)
		return rc;
	a->image_id = sbom_read_keep(ar, t->image_id, &rc);
	a->manifest_digest = sbom_read_keep(ar, t->manifest_digest, &rc);
	a->architecture = sbom_read_keep(ar, t->architecture, &rc);
	a->variant = sbom_read_keep(ar, t->variant, &rc);
	a->os_name = sbom_read_keep(ar, t->os_name, &rc);
	a->created = sbom_read_keep(ar, t->created, &rc);
	if (rc == BOSUN_OK && r->ntags) {
		a->repo_tags = arena_alloc(ar, r->ntags * sizeof *a->repo_tags);
		if (!a->repo_tags)
			return BOSUN_ENOMEM;
		for (size_t i = 0; i < r->ntags; i++)
			a->repo_tags[i] = sbom_read_keep(ar, r->tags[i], &rc);
		a->nrepo_tags = r->ntags;
	}
	return rc;
}

static void warn_skipped(struct sbom_reader *r)
{
	if (r->skipped)
		artifact_warn(r->a, "%s: %zu components of purl types bosun does not match were skipped (%s)", r->what,
			      r->skipped, r->skipped_types);
	if (r->no_purl)
		artifact_warn(r->a, "%s: %zu packages without a purl were skipped", r->what, r->no_purl);
}

static int finish(struct sbom_reader *r, const char *kind)
{
	TRY(finish_target(r, kind));
	TRY(finish_layers(r));
	TRY(sbom_read_finish_os(r));
	warn_skipped(r);
	return artifact_finish(r->a);
}

/* ---- entry points ----------------------------------------------------------------------------- */

static enum sbom_input detect_format(const json_t *doc)
{
	const char *bom = json_str(doc, "bomFormat"), *spdx = json_str(doc, "spdxVersion");
	if (bom && strcmp(bom, "CycloneDX") == 0)
		return SBOM_INPUT_CYCLONEDX;
	if (spdx)
		return SBOM_INPUT_SPDX;
	return SBOM_INPUT_AUTO;
}

static int read_doc(struct sbom_reader *r, const json_t *doc, enum sbom_input kind)
{
	static const char *const names[] = { "an SBOM", "a CycloneDX document", "an SPDX document" };
	if (!json_is_object(doc))
		return berr_set(r->e, BOSUN_EFORMAT, "%s: not a JSON object", r->what);
	enum sbom_input found = detect_format(doc);
	if (found == SBOM_INPUT_AUTO || (kind != SBOM_INPUT_AUTO && kind != found))
		return berr_set(r->e, BOSUN_EFORMAT,
				"%s: not %s (expected \"bomFormat\": \"CycloneDX\" or \"spdxVersion\": \"SPDX-2.x\")",
				r->what, names[kind]);
	if (found == SBOM_INPUT_CYCLONEDX) {
		TRY(sbom_read_cyclonedx(r, doc));
		return finish(r, "cyclonedx");
	}
	TRY(sbom_read_spdx(r, doc));
	return finish(r, "spdx");
}

int sbom_read_mem(const char *data, size_t n, enum sbom_input kind, const char *what, struct artifact *a,
		  struct berr *e)
{
	if (!what)
		what = "SBOM";
	if (n > SBOM_READ_MAX_BYTES)
		return berr_set(e, BOSUN_ELIMIT, "%s: larger than %zu bytes", what, SBOM_READ_MAX_BYTES);
	data = skip_bom(data, &n);
	json_t *doc = NULL;
	TRY(json_parse_bounded(data, n, SBOM_READ_MAX_DEPTH, what, &doc, e));
	struct sbom_reader r;
	memset(&r, 0, sizeof r);
	r.a = a;
	r.what = what;
	r.e = e;
	int rc = read_doc(&r, doc, kind);
	if (rc == BOSUN_ENOMEM && !(e && e->msg[0]))
		berr_set(e, rc, "%s: out of memory", what);
	free(r.diff_ids);
	free(r.digests);
	free(r.tags);
	strmap_free(&r.seen);
	arena_free(&r.scratch);
	json_decref(doc);
	return rc;
}

int sbom_read_file(const char *path, enum sbom_input kind, struct artifact *a, struct berr *e)
{
	struct buf b = { 0 };
	int rc = load(path, &b, e);
	if (rc == BOSUN_OK)
		rc = sbom_read_mem(b.data ? b.data : "", b.len, kind, path, a, e);
	buf_free(&b);
	return rc;
}

int sbom_read(const char *path, struct artifact *a, struct berr *e)
{
	return sbom_read_file(path, SBOM_INPUT_AUTO, a, e);
}
