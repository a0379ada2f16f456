/* One SBOM item to one package: name, version and epoch from the purl and
 * the document, the source package, layer and database path from whichever
 * producer's fields are there (docs/formats.md, "Reading SBOMs"). */
#define SBOM_READ_INTERNAL
#include "sbom/read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Length of a leading "N:" epoch (at most 9 digits), 0 if none. */
static size_t epoch_len(const char *v)
{
	size_t n = 0;
	while (n < 10 && v[n] >= '0' && v[n] <= '9')
		n++;
	return n > 0 && n < 10 && v[n] == ':' ? n + 1 : 0;
}

static int parse_epoch(const char *s)
{
	if (!s || !s[0] || strlen(s) > 9)
		return -1;
	int v = 0;
	for (const char *c = s; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (*c - '0');
	}
	return v;
}

/* The full native version. The document's own version field is the native
 * one when it agrees with the purl's (Trivy and bosun keep the epoch
 * there, "1:5.2.15-2+b2", while Trivy's purl has it in epoch=); else the
 * purl wins, and an epoch= qualifier goes in front for deb and rpm. */
static char *package_version(struct arena *ar, enum pkg_type t, const struct purl *pu, const char *doc)
{
	const char *pv = pu->version, *v = pv ? pv : doc;
	if (doc && pv && strcmp(doc + epoch_len(doc), pv + epoch_len(pv)) == 0)
		v = doc;
	if (!v)
		return NULL;
	int ep = parse_epoch(purl_qualifier(pu, "epoch"));
	if ((t == PKG_DEB || t == PKG_RPM) && ep > 0 && epoch_len(v) == 0)
		return arena_printf(ar, "%d:%s", ep, v);
	return arena_strdup(ar, v);
}

/* The ecosystem's own spelling of the name (see struct package). */
static char *package_name(struct arena *ar, enum pkg_type t, const struct purl *pu, const char *doc)
{
	char *full = NULL;
	if (!pu->ns || pkg_type_is_os(t) || t == PKG_PYPI || t == PKG_CARGO || t == PKG_GEM || t == PKG_NUGET)
		full = arena_strdup(ar, pu->name);
	else if (t == PKG_NPM)
		full = arena_printf(ar, "%s%s/%s", pu->ns[0] == '@' ? "" : "@", pu->ns, pu->name);
	else if (t == PKG_MAVEN)
		full = arena_printf(ar, "%s:%s", pu->ns, pu->name);
	else
		full = arena_printf(ar, "%s/%s", pu->ns, pu->name);
	/* The document's name keeps the case a purl may have folded. */
	if (full && doc && strcasecmp(doc, full) == 0)
		return arena_strdup(ar, doc);
	return full;
}

/* Syft's rpm upstream= is the source rpm file: "bash-5.1.8-6.el9.src.rpm". */
static bool split_srpm(struct arena *ar, const char *s, const char **name, const char **version)
{
	size_t n = strlen(s);
	const char *sfx = n > 8 && strcmp(s + n - 8, ".src.rpm") == 0 ? ".src.rpm"
			  : n > 10 && strcmp(s + n - 10, ".nosrc.rpm") == 0 ? ".nosrc.rpm"
									     : NULL;
	if (!sfx)
		return false;
	char *base = arena_strndup(ar, s, n - strlen(sfx));
	char *rel = base ? strrchr(base, '-') : NULL;
	if (!rel || rel == base)
		return false;
	*rel = '\0';
	char *ver = strrchr(base, '-');
	if (!ver || ver == base)
		return false;
	*ver = '\0';
	*name = base;
	*version = arena_printf(ar, "%s-%s", ver + 1, rel + 1);
	return true;
}

struct source {
	const char *name, *version;
};

/* Trivy splits the source version as rpm does: SrcEpoch, SrcVersion,
 * SrcRelease. */
static struct source trivy_source(struct arena *ar, const struct sbom_item *it)
{
	struct source s = { it->t_src_name, it->t_src_version };
	if (!s.version)
		return s;
	int ep = parse_epoch(it->t_src_epoch);
	char epoch[16] = "";
	if (ep > 0)
		snprintf(epoch, sizeof epoch, "%d:", ep);
	const char *rel = it->t_src_release;
	if (epoch[0] || rel)
		s.version = arena_printf(ar, "%s%s%s%s", epoch, s.version, rel ? "-" : "", rel ? rel : "");
	return s;
}

/* "built package from: glibc 2.36-9+deb12u4" (bosun and Trivy). */
static struct source spdx_source(struct arena *ar, const char *info)
{
	static const char prefix[] = "built package from: ";
	struct source s = { NULL, NULL };
	if (!info || strncmp(info, prefix, sizeof prefix - 1) != 0)
		return s;
	const char *p = info + sizeof prefix - 1, *sp = strchr(p, ' ');
	s.name = sp ? arena_strndup(ar, p, (size_t)(sp - p)) : p;
	s.version = sp && sp[1] ? sp + 1 : NULL;
	return s;
}

/* Syft's upstream=: "glibc", "glibc@2.36-9", or a source rpm file name. */
static struct source upstream_source(struct arena *ar, enum pkg_type t, const char *up)
{
	struct source s = { NULL, NULL };
	if (!up)
		return s;
	if (t == PKG_RPM && split_srpm(ar, up, &s.name, &s.version))
		return s;
	const char *at = strchr(up, '@');
	s.name = at ? arena_strndup(ar, up, (size_t)(at - up)) : up;
	s.version = at && at[1] ? at + 1 : NULL;
	return s;
}

/* bosun's own properties first, then Trivy's, Syft's, SPDX sourceInfo. */
static struct source package_source(struct arena *ar, enum pkg_type t, const struct purl *pu,
				    const struct sbom_item *it)
{
	struct source s = { it->src_name, it->src_version };
	if (s.name || s.version)
		return s;
	if (it->t_src_name)
		return trivy_source(ar, it);
	s = upstream_source(ar, t, purl_qualifier(pu, "upstream"));
	if (s.name)
		return s;
	if (it->s_source)
		return (struct source){ it->s_source, it->s_source_version };
	return spdx_source(ar, it->source_info);
}

static int find_layer(const struct sbom_reader *r, const char *diff_id)
{
	for (size_t i = 0; i < r->nlayers; i++)
		if (r->diff_ids[i] && strcmp(r->diff_ids[i], diff_id) == 0)
			return (int)i;
	return -1;
}

/* The layer index: bosun's bosun:layer:index when it agrees with the
 * document's layer list, else the diff ID looked up in that list (a layer
 * the list does not name is added, so that Syft's layer IDs, which come
 * without a list, still tell packages apart). */
static int package_layer(struct sbom_reader *r, const struct sbom_item *it, int *index)
{
	const char *diff = it->layer_diff_id ? it->layer_diff_id : it->t_diff_id ? it->t_diff_id : it->s_layer;
	const char *digest = it->layer_digest ? it->layer_digest : it->t_digest;
	int i = parse_epoch(it->layer_index); /* a small decimal number, as an epoch */
	*index = -1;
	if (i >= 0 && (size_t)i < r->nlayers && (!diff || !r->diff_ids[i] || strcmp(r->diff_ids[i], diff) == 0))
		*index = i;
	else if (diff && (i = find_layer(r, diff)) >= 0)
		*index = i;
	else if (diff)
		TRY(sbom_read_add_layer(r, diff, digest, index));
	if (*index >= 0 && digest && !r->digests[*index])
		r->digests[*index] = digest;
	return BOSUN_OK;
}

static const char *strip_slash(const char *path)
{
	while (path && *path == '/')
		path++;
	return path && *path ? path : NULL;
}

/* A purl type bosun does not model: counted, and named once in a warning. */
static void skip_type(struct sbom_reader *r, const char *type)
{
	r->skipped++;
	size_t tl = strlen(type), len = strlen(r->skipped_types);
	for (const char *p = r->skipped_types; *p;) {
		size_t n = strcspn(p, ",");
		if (n == tl && strncmp(p, type, n) == 0)
			return;
		p += n + (p[n] == ',');
	}
	if (len + tl + 2 < sizeof r->skipped_types)
		snprintf(r->skipped_types + len, sizeof r->skipped_types - len, "%s%s", len ? "," : "", type);
}

/* Duplicates (the same package listed twice, nested and flat, or by two
 * tools merged into one document) are dropped; the first one is kept. */
static int seen_before(struct sbom_reader *r, const struct package *p, bool *dup)
{
	char *key = arena_printf(&r->scratch, "%d\x1f%s\x1f%s\x1f%s\x1f%s", (int)p->type, p->name,
				 p->version ? p->version : "", p->arch ? p->arch : "", p->found_in ? p->found_in : "");
	if (!key)
		return BOSUN_ENOMEM;
	*dup = strmap_get(&r->seen, key) != NULL;
	return *dup ? BOSUN_OK : strmap_put(&r->seen, key, key);
}

static int fill_package(struct sbom_reader *r, struct sbom_item *it, const struct purl *pu, enum pkg_type t,
			struct package *p)
{
	struct arena *ar = &r->a->arena;
	int rc = BOSUN_OK;
	p->type = t;
	p->name = package_name(ar, t, pu, it->name);
	p->version = package_version(ar, t, pu, it->version);
	if (!p->name || (!p->version && (pu->version || it->version)))
		return BOSUN_ENOMEM;
	p->epoch = (t == PKG_DEB || t == PKG_RPM) && p->version && epoch_len(p->version) ? atoi(p->version) : -1;
	const char *arch = purl_qualifier(pu, "arch");
	p->arch = sbom_read_keep(ar, arch ? arch : it->arch, &rc);
	struct source s = package_source(ar, t, pu, it);
	p->source_name = sbom_read_keep(ar, s.name, &rc);
	p->source_version = sbom_read_keep(ar, s.version, &rc);
	p->license = sbom_read_keep(ar, it->license, &rc);
	p->maintainer = sbom_read_keep(ar, it->maintainer ? it->maintainer : it->supplier, &rc);
	p->vendor = sbom_read_keep(ar, it->vendor, &rc);
	const char *mod = it->modularity ? it->modularity : it->t_modularity;
	p->modularity = sbom_read_keep(ar, mod ? mod : purl_qualifier(pu, "modularitylabel"), &rc);
	p->commit = sbom_read_keep(ar, it->commit, &rc);
	const char *where = it->found_in ? it->found_in : it->t_file_path ? it->t_file_path : it->s_path;
	p->found_in = sbom_read_keep(ar, strip_slash(where), &rc);
	return rc;
}

int sbom_read_package(struct sbom_reader *r, struct sbom_item *it)
{
	if (!it->purl) {
		r->no_purl++;
		return BOSUN_OK;
	}
	struct purl pu;
	int rc = purl_parse(&r->scratch, it->purl, &pu, r->e);
	if (rc != BOSUN_OK)
		return berr_wrap(r->e, rc, "%s: %s", r->what, it->where);
	enum pkg_type t;
	if (!pkg_type_from_purl(pu.type, &t)) {
		skip_type(r, pu.type);
		return BOSUN_OK;
	}
	struct package tmp;
	memset(&tmp, 0, sizeof tmp);
	TRY(fill_package(r, it, &pu, t, &tmp));
	bool dup;
	TRY(seen_before(r, &tmp, &dup));
	if (dup) {
		r->duplicates++;
		return BOSUN_OK;
	}
	TRY(package_layer(r, it, &tmp.layer));
	if (pkg_type_is_os(t))
		sbom_read_tally_distro(r, &pu);
	struct package *p = artifact_add_package(r->a);
	if (!p)
		return BOSUN_ENOMEM;
	*p = tmp;
	return BOSUN_OK;
}
