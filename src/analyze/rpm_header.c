/* rpm header blob parsing: tag lookups with bounds checks, and the mapping
 * from a header to a struct package. */
#include "analyze/rpm_header.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The 8 bytes in front of a header in an .rpm file: magic, version, reserved. */
static const unsigned char header_magic[4] = { 0x8e, 0xad, 0xe8, 0x01 };

#define ENTRY_SIZE 16u

int rpm_header_init(struct rpm_header *h, const unsigned char *blob, size_t len, struct berr *e)
{
	memset(h, 0, sizeof *h);
	if (len >= 8 && memcmp(blob, header_magic, sizeof header_magic) == 0) {
		blob += 8;
		len -= 8;
	}
	if (len < 8)
		return berr_set(e, BOSUN_EFORMAT, "header blob of %zu bytes is too short", len);
	uint32_t il = rpm_be32(blob), dl = rpm_be32(blob + 4);
	if (il == 0 || il > RPM_HEADER_MAX_TAGS)
		return berr_set(e, BOSUN_EFORMAT, "header with %u index entries", il);
	if (dl > RPM_HEADER_MAX_BLOB)
		return berr_set(e, BOSUN_EFORMAT, "header data of %u bytes exceeds the limit", dl);
	/* No overflow: il <= 0xffff and dl <= 64 MiB. */
	size_t need = 8 + (size_t)il * ENTRY_SIZE + dl;
	if (need > len)
		return berr_set(e, BOSUN_EFORMAT, "header needs %zu bytes, blob has %zu", need, len);
	h->il = il;
	h->dl = dl;
	h->index = blob + 8;
	h->data = h->index + (size_t)il * ENTRY_SIZE;
	return BOSUN_OK;
}

struct entry {
	uint32_t type, offset, count;
};

/* Finds the last index entry for tag; false when absent. */
static bool find_entry(const struct rpm_header *h, uint32_t tag, struct entry *out)
{
	bool found = false;
	for (uint32_t i = 0; i < h->il; i++) {
		const unsigned char *p = h->index + (size_t)i * ENTRY_SIZE;
		if (rpm_be32(p) != tag)
			continue;
		out->type = rpm_be32(p + 4);
		out->offset = rpm_be32(p + 8);
		out->count = rpm_be32(p + 12);
		found = true;
	}
	return found;
}

static size_t fixed_size(uint32_t type)
{
	switch (type) {
	case RPM_CHAR_TYPE:
	case RPM_INT8_TYPE:
	case RPM_BIN_TYPE:
		return 1;
	case RPM_INT16_TYPE:
		return 2;
	case RPM_INT32_TYPE:
		return 4;
	case RPM_INT64_TYPE:
		return 8;
	default:
		return 0;
	}
}

/* Validates count NUL-terminated strings starting at the entry's offset. A
 * string needs at least its NUL, so count is checked against the room left
 * first; the walk is then bounded by the data store. */
static int check_strings(const struct rpm_header *h, const struct entry *en)
{
	if (en->count == 0 || en->offset >= h->dl || en->count > h->dl - en->offset)
		return BOSUN_EFORMAT;
	const char *p = (const char *)h->data + en->offset;
	const char *end = (const char *)h->data + h->dl;
	for (uint32_t i = 0; i < en->count; i++) {
		const char *nul = memchr(p, 0, (size_t)(end - p));
		if (!nul)
			return BOSUN_EFORMAT;
		p = nul + 1;
	}
	return BOSUN_OK;
}

static int check_fixed(const struct rpm_header *h, const struct entry *en, uint32_t want_type)
{
	if (en->type != want_type || en->count == 0 || en->offset >= h->dl)
		return BOSUN_EFORMAT;
	size_t size = fixed_size(en->type);
	if (en->count > (h->dl - en->offset) / size)
		return BOSUN_EFORMAT;
	return BOSUN_OK;
}

int rpm_header_string(const struct rpm_header *h, uint32_t tag, struct slice *out)
{
	struct entry en;
	if (!find_entry(h, tag, &en))
		return BOSUN_ENOTFOUND;
	/* rpm allows exactly one STRING; an I18NSTRING holds one translation per
	 * locale and the first is the untranslated ("C") one. */
	if (en.type == RPM_STRING_TYPE && en.count != 1)
		return BOSUN_EFORMAT;
	if (en.type != RPM_STRING_TYPE && en.type != RPM_I18NSTRING_TYPE)
		return BOSUN_EFORMAT;
	TRY(check_strings(h, &en));
	const char *p = (const char *)h->data + en.offset;
	*out = slice_make(p, strlen(p));
	return BOSUN_OK;
}

int rpm_header_u32(const struct rpm_header *h, uint32_t tag, uint32_t *out)
{
	const unsigned char *vals;
	uint32_t count;
	TRY(rpm_header_u32_array(h, tag, &vals, &count));
	*out = rpm_be32(vals);
	return BOSUN_OK;
}

int rpm_header_u32_array(const struct rpm_header *h, uint32_t tag, const unsigned char **vals,
			 uint32_t *count)
{
	struct entry en;
	if (!find_entry(h, tag, &en))
		return BOSUN_ENOTFOUND;
	TRY(check_fixed(h, &en, RPM_INT32_TYPE));
	*vals = h->data + en.offset;
	*count = en.count;
	return BOSUN_OK;
}

int rpm_header_strings(const struct rpm_header *h, uint32_t tag, struct rpm_strv *out)
{
	struct entry en;
	if (!find_entry(h, tag, &en))
		return BOSUN_ENOTFOUND;
	if (en.type != RPM_STRING_ARRAY_TYPE)
		return BOSUN_EFORMAT;
	TRY(check_strings(h, &en));
	out->p = (const char *)h->data + en.offset;
	out->end = (const char *)h->data + h->dl;
	out->count = en.count;
	return BOSUN_OK;
}

bool rpm_strv_next(struct rpm_strv *v, struct slice *s)
{
	if (v->count == 0)
		return false;
	/* Validated by check_strings(); the memchr is a second guard. */
	const char *nul = memchr(v->p, 0, (size_t)(v->end - v->p));
	if (!nul) {
		v->count = 0;
		return false;
	}
	*s = slice_make(v->p, (size_t)(nul - v->p));
	v->p = nul + 1;
	v->count--;
	return true;
}

/* Scans backwards for c in s; the index or -1. */
static long last_index(struct slice s, char c)
{
	for (size_t i = s.n; i-- > 0;)
		if (s.p[i] == c)
			return (long)i;
	return -1;
}

static bool strip_suffix(struct slice *s, const char *suffix)
{
	size_t n = strlen(suffix);
	if (s->n < n || memcmp(s->p + s->n - n, suffix, n) != 0)
		return false;
	s->n -= n;
	return true;
}

bool rpm_split_sourcerpm(struct slice srpm, struct slice *name, struct slice *version)
{
	struct slice s = srpm;
	if (!strip_suffix(&s, ".src.rpm") && !strip_suffix(&s, ".nosrc.rpm"))
		return false;
	long rel_dash = last_index(s, '-');
	if (rel_dash <= 0 || (size_t)rel_dash + 1 == s.n)
		return false;
	long ver_dash = last_index(slice_make(s.p, (size_t)rel_dash), '-');
	if (ver_dash <= 0 || ver_dash + 1 == rel_dash)
		return false;
	*name = slice_make(s.p, (size_t)ver_dash);
	*version = slice_make(s.p + ver_dash + 1, s.n - (size_t)ver_dash - 1);
	return true;
}

/* ---- header -> package ---- */

/* Bounds on the installed-file list of one package: a hostile header can
 * point thousands of basenames at one long dirname, so the expanded paths
 * are charged against a budget proportional to the blob. Real packages stay
 * far below it: every file also costs digests, modes and sizes in the blob. */
#define FILES_BUDGET_FACTOR 16u
#define FILES_BUDGET_SLACK (64u << 10)
#define FILES_BUDGET_MAX (64u << 20)

static size_t blob_size(const struct rpm_header *h)
{
	return 8 + (size_t)h->il * ENTRY_SIZE + h->dl;
}

static size_t files_budget(const struct rpm_header *h)
{
	size_t b = blob_size(h) * FILES_BUDGET_FACTOR + FILES_BUDGET_SLACK;
	return b < FILES_BUDGET_MAX ? b : FILES_BUDGET_MAX;
}

/* A required tag: absent, malformed or empty makes the header unusable. */
static int required_string(const struct rpm_header *h, uint32_t tag, const char *what,
			   struct slice *out, struct berr *e)
{
	int rc = rpm_header_string(h, tag, out);
	if (rc == BOSUN_ENOTFOUND)
		return berr_set(e, BOSUN_EFORMAT, "header without %s", what);
	if (rc != BOSUN_OK || out->n == 0)
		return berr_set(e, BOSUN_EFORMAT, "header with a malformed %s", what);
	return BOSUN_OK;
}

/* An optional string tag into the arena; NULL when absent, empty or malformed. */
static int optional_string(const struct rpm_header *h, uint32_t tag, const char *what,
			   struct slice pkgname, struct rpmdb_sink *s, char **dst)
{
	struct slice v;
	*dst = NULL;
	int rc = rpm_header_string(h, tag, &v);
	if (rc == BOSUN_ENOTFOUND)
		return BOSUN_OK;
	if (rc != BOSUN_OK) {
		rpmdb_sink_warn(s, "package %.*s: malformed %s tag ignored", (int)pkgname.n, pkgname.p, what);
		return BOSUN_OK;
	}
	if (v.n == 0)
		return BOSUN_OK;
	*dst = arena_slice(&s->out->arena, v);
	return *dst ? BOSUN_OK : BOSUN_ENOMEM;
}

/* The epoch, or -1. rpm prints an epoch whenever the tag exists, even 0
 * (the EVR of such a package is "0:1.2-3"), so presence is what counts. */
static int read_epoch(const struct rpm_header *h, struct slice pkgname, struct rpmdb_sink *s)
{
	uint32_t v;
	int rc = rpm_header_u32(h, RPMTAG_EPOCH, &v);
	if (rc == BOSUN_ENOTFOUND)
		return -1;
	if (rc != BOSUN_OK || v > INT_MAX) {
		rpmdb_sink_warn(s, "package %.*s: malformed epoch ignored", (int)pkgname.n, pkgname.p);
		return -1;
	}
	return (int)v;
}

/* Expanded file paths charged against a budget. */
struct file_list {
	char **paths;
	size_t n, cap;
	size_t budget;
	bool truncated;
};

static int file_list_alloc(struct file_list *fl, struct arena *ar, size_t want)
{
	/* Every path costs its pointer plus at least 2 bytes ("/" and NUL). */
	size_t most = fl->budget / (sizeof(char *) + 2);
	if (want > most) {
		want = most;
		fl->truncated = true;
	}
	fl->cap = want;
	if (want == 0)
		return BOSUN_OK;
	fl->paths = arena_alloc(ar, want * sizeof(char *));
	if (!fl->paths)
		return BOSUN_ENOMEM;
	fl->budget -= want * sizeof(char *);
	return BOSUN_OK;
}

/* Adds dir+base; false (with fl->truncated) once the budget is spent. */
static int file_list_add(struct file_list *fl, struct arena *ar, struct slice dir, struct slice base,
			 bool *full)
{
	/* Stored relative to the image root, as every other package type's
	 * files are (and as scan_file paths are). */
	while (dir.n && dir.p[0] == '/') {
		dir.p++;
		dir.n--;
	}
	while (!dir.n && base.n && base.p[0] == '/') {
		base.p++;
		base.n--;
	}
	size_t len = dir.n + base.n;
	if (fl->n == fl->cap || len + 1 > fl->budget) {
		fl->truncated = true;
		*full = true;
		return BOSUN_OK;
	}
	char *p = arena_alloc(ar, len + 1);
	if (!p)
		return BOSUN_ENOMEM;
	memcpy(p, dir.p, dir.n);
	memcpy(p + dir.n, base.p, base.n);
	p[len] = 0;
	fl->budget -= len + 1;
	fl->paths[fl->n++] = p;
	return BOSUN_OK;
}

/* Collects the dirnames array into a temporary slice array (count <= dl). */
static int collect_strv(struct rpm_strv v, struct slice **out)
{
	*out = malloc(((size_t)v.count ? v.count : 1) * sizeof **out);
	if (!*out)
		return BOSUN_ENOMEM;
	for (uint32_t i = 0; rpm_strv_next(&v, &(*out)[i]); i++)
		;
	return BOSUN_OK;
}

/* Modern headers store each path as DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]. */
static int files_compressed(const struct rpm_header *h, struct rpm_strv bn, struct file_list *fl,
			    struct arena *ar, const char **why)
{
	struct rpm_strv dn;
	const unsigned char *di;
	uint32_t ndi;
	if (rpm_header_strings(h, RPMTAG_DIRNAMES, &dn) != BOSUN_OK ||
	    rpm_header_u32_array(h, RPMTAG_DIRINDEXES, &di, &ndi) != BOSUN_OK || ndi != bn.count) {
		*why = "inconsistent BASENAMES/DIRNAMES/DIRINDEXES";
		return BOSUN_OK;
	}
	struct slice *dirs;
	TRY(collect_strv(dn, &dirs));
	int rc = file_list_alloc(fl, ar, bn.count);
	struct slice base;
	bool full = false;
	for (uint32_t i = 0; rc == BOSUN_OK && !full && rpm_strv_next(&bn, &base); i++) {
		uint32_t d = rpm_be32(di + (size_t)i * 4);
		if (d >= dn.count) {
			*why = "directory index out of range";
			break;
		}
		rc = file_list_add(fl, ar, dirs[d], base, &full);
	}
	free(dirs);
	return rc;
}

/* Headers from before rpm 4.0.x list whole paths in OLDFILENAMES. */
static int files_old(struct rpm_strv v, struct file_list *fl, struct arena *ar)
{
	TRY(file_list_alloc(fl, ar, v.count));
	struct slice path;
	bool full = false;
	while (!full && rpm_strv_next(&v, &path))
		TRY(file_list_add(fl, ar, slice_make("", 0), path, &full));
	return BOSUN_OK;
}

static int read_files(const struct rpm_header *h, struct package *p, struct rpmdb_sink *s)
{
	struct file_list fl = { .budget = files_budget(h) };
	struct arena *ar = &s->out->arena;
	const char *why = NULL;
	struct rpm_strv v;
	int rc = rpm_header_strings(h, RPMTAG_BASENAMES, &v);
	if (rc == BOSUN_OK) {
		TRY(files_compressed(h, v, &fl, ar, &why));
	} else if (rc == BOSUN_ENOTFOUND) {
		rc = rpm_header_strings(h, RPMTAG_OLDFILENAMES, &v);
		if (rc == BOSUN_OK)
			TRY(files_old(v, &fl, ar));
		else if (rc != BOSUN_ENOTFOUND)
			why = "malformed OLDFILENAMES";
	} else {
		why = "malformed BASENAMES";
	}
	if (why)
		rpmdb_sink_warn(s, "package %s: %s; file list incomplete", p->name, why);
	else if (fl.truncated)
		rpmdb_sink_warn(s, "package %s: file list truncated at %zu entries", p->name, fl.n);
	p->files = fl.n ? fl.paths : NULL;
	p->nfiles = fl.n;
	return BOSUN_OK;
}

static int read_source(const struct rpm_header *h, struct package *p, struct rpmdb_sink *s)
{
	struct slice srpm, name, version;
	int rc = rpm_header_string(h, RPMTAG_SOURCERPM, &srpm);
	if (rc == BOSUN_ENOTFOUND || (rc == BOSUN_OK && srpm.n == 0))
		return BOSUN_OK;
	if (rc != BOSUN_OK || !rpm_split_sourcerpm(srpm, &name, &version)) {
		rpmdb_sink_warn(s, "package %s: malformed SOURCERPM ignored", p->name);
		return BOSUN_OK;
	}
	/* artifact.h: source_name is NULL when it equals the binary name. */
	if (!slice_eq_cstr(name, p->name)) {
		p->source_name = arena_slice(&s->out->arena, name);
		if (!p->source_name)
			return BOSUN_ENOMEM;
	}
	p->source_version = arena_slice(&s->out->arena, version);
	return p->source_version ? BOSUN_OK : BOSUN_ENOMEM;
}

/* Optional string fields of struct package, one row per tag. */
static int read_optional(const struct rpm_header *h, struct package *p, struct slice name,
			 struct rpmdb_sink *s)
{
	TRY(optional_string(h, RPMTAG_ARCH, "ARCH", name, s, &p->arch));
	TRY(optional_string(h, RPMTAG_LICENSE, "LICENSE", name, s, &p->license));
	TRY(optional_string(h, RPMTAG_VENDOR, "VENDOR", name, s, &p->vendor));
	TRY(optional_string(h, RPMTAG_PACKAGER, "PACKAGER", name, s, &p->maintainer));
	TRY(optional_string(h, RPMTAG_MODULARITYLABEL, "MODULARITYLABEL", name, s, &p->modularity));
	return BOSUN_OK;
}

int rpm_header_to_package(const struct rpm_header *h, struct rpmdb_sink *s, struct berr *e)
{
	struct slice name, version, release;
	TRY(required_string(h, RPMTAG_NAME, "NAME", &name, e));
	TRY(required_string(h, RPMTAG_VERSION, "VERSION", &version, e));
	TRY(required_string(h, RPMTAG_RELEASE, "RELEASE", &release, e));
	/* gpg-pubkey "packages" are the signing keys rpm --import stored in the
	 * database: no files, no arch, nothing to match vulnerabilities against.
	 * rpm -qa lists them, but scanners (and the go-rpmdb fixtures, which
	 * contain none) treat them as not software, so they are left out. */
	if (slice_eq_cstr(name, "gpg-pubkey"))
		return BOSUN_OK;

	struct artifact *a = s->out;
	int epoch = read_epoch(h, name, s);
	struct package *p = artifact_add_package(a);
	if (!p)
		return BOSUN_ENOMEM;
	p->type = PKG_RPM;
	p->epoch = epoch;
	p->name = arena_slice(&a->arena, name);
	if (epoch >= 0)
		p->version = arena_printf(&a->arena, "%d:%.*s-%.*s", epoch, (int)version.n, version.p,
					  (int)release.n, release.p);
	else
		p->version = arena_printf(&a->arena, "%.*s-%.*s", (int)version.n, version.p,
					  (int)release.n, release.p);
	p->found_in = arena_strdup(&a->arena, s->found_in);
	if (!p->name || !p->version || (s->found_in && !p->found_in))
		return BOSUN_ENOMEM;
	TRY(read_optional(h, p, name, s));
	TRY(read_source(h, p, s));
	return read_files(h, p, s);
}
