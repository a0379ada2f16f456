/* The OS of an SBOM: its operating-system element as bosun, Trivy and Syft
 * name it, else the distro= qualifier its OS packages carry. */
#define SBOM_READ_INTERNAL
#include "sbom/read.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analyze/os_release.h"

/* Syft lists ID_LIKE words as syft:distro:idLike:0, :1, ... */
static void add_id_like(struct sbom_os *os, const char *word)
{
	size_t len = strlen(os->id_like_buf);
	int n = snprintf(os->id_like_buf + len, sizeof os->id_like_buf - len, "%s%s", len ? " " : "", word);
	if (n < 0 || (size_t)n >= sizeof os->id_like_buf - len)
		os->id_like_buf[len] = '\0';
	os->id_like = os->id_like_buf[0] ? os->id_like_buf : NULL;
}

int sbom_read_os_prop(struct sbom_reader *r, const char *name, const char *value)
{
	static const struct {
		const char *name;
		size_t off;
	} os_props[] = {
		{ "bosun:os:version", offsetof(struct sbom_os, version) },
		{ "bosun:os:codename", offsetof(struct sbom_os, codename) },
		{ "bosun:os:id_like", offsetof(struct sbom_os, id_like) },
		{ "bosun:os:family", offsetof(struct sbom_os, family) },
		{ "bosun:os:source", offsetof(struct sbom_os, source) },
		{ "syft:distro:id", offsetof(struct sbom_os, id) },
		{ "syft:distro:versionID", offsetof(struct sbom_os, version_id) },
		{ "syft:distro:versionCodename", offsetof(struct sbom_os, codename) },
		{ "syft:distro:prettyName", offsetof(struct sbom_os, pretty_name) },
	};
	if (!value[0])
		return BOSUN_OK;
	TRY(sbom_read_check_value(r, name, value));
	if (strcmp(name, "bosun:os:distroless") == 0) {
		r->os.distroless = strcmp(value, "true") == 0;
		return BOSUN_OK;
	}
	if (strncmp(name, "syft:distro:idLike:", 19) == 0) {
		add_id_like(&r->os, value);
		return BOSUN_OK;
	}
	for (size_t i = 0; i < sizeof os_props / sizeof os_props[0]; i++) {
		if (strcmp(name, os_props[i].name) == 0) {
			*(const char **)((char *)&r->os + os_props[i].off) = value;
			return BOSUN_OK;
		}
	}
	return BOSUN_OK;
}

/* ---- the OS ------------------------------------------------------------------------------ */

/* Trivy names the OS component by its family ("redhat", "alma"); os-release
 * IDs are what the rest of bosun keys on. Other names are IDs already. */
static const char *os_id_for_name(const char *name)
{
	static const char *const map[][2] = {
		{ "redhat", "rhel" },
		{ "alma", "almalinux" },
		{ "amazon", "amzn" },
		{ "oracle", "ol" },
		{ "cbl-mariner", "mariner" },
		{ "suse linux enterprise server", "sles" },
		{ "suse linux enterprise micro", "sle-micro" },
		{ "opensuse.leap", "opensuse-leap" },
		{ "opensuse.tumbleweed", "opensuse-tumbleweed" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcasecmp(name, map[i][0]) == 0)
			return map[i][1];
	return name;
}

bool sbom_read_os(struct sbom_reader *r, const char *name, const char *version, const char *description)
{
	if (r->have_os) {
		r->extra_os++;
		return false;
	}
	r->have_os = true;
	r->os.id = name ? os_id_for_name(name) : NULL;
	r->os.version_id = version;
	r->os.pretty_name = description;
	return true;
}

/* purl namespaces that are not the os-release ID (the purl writers' vendor
 * names, src/sbom/purl.c). */
static const char *os_id_for_namespace(const char *ns)
{
	static const char *const map[][2] = {
		{ "redhat", "rhel" }, { "amazon", "amzn" }, { "oracle", "ol" }, { "opensuse", "opensuse-leap" },
	};
	for (size_t i = 0; ns && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(ns, map[i][0]) == 0)
			return map[i][1];
	return ns;
}

/* Ubuntu releases by codename, for distro=jammy: matching keys Ubuntu by
 * VERSION_ID (Debian codenames are known to the matcher itself). */
static const char *ubuntu_version(const char *codename)
{
	static const char *const map[][2] = {
		{ "trusty", "14.04" }, { "xenial", "16.04" }, { "bionic", "18.04" }, { "focal", "20.04" },
		{ "jammy", "22.04" },  { "noble", "24.04" },  { "oracular", "24.10" }, { "plucky", "25.04" },
	};
	for (size_t i = 0; codename && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(codename, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

void sbom_read_tally_distro(struct sbom_reader *r, const struct purl *pu)
{
	const char *d = purl_qualifier(pu, "distro");
	if (!d)
		return;
	for (size_t i = 0; i < r->ndistros; i++) {
		struct distro_tally *t = &r->distros[i];
		if (strcmp(t->type, pu->type) == 0 && strcmp(t->distro, d) == 0 &&
		    strcmp(t->ns ? t->ns : "", pu->ns ? pu->ns : "") == 0) {
			t->n++;
			return;
		}
	}
	if (r->ndistros < sizeof r->distros / sizeof r->distros[0])
		r->distros[r->ndistros++] = (struct distro_tally){ pu->type, pu->ns, d, 1 };
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static char *lower_dup(struct arena *ar, const char *s, size_t n)
{
	char *d = arena_strndup(ar, s, n);
	for (char *c = d; c && *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
	return d;
}

/* distro= as producers write it: "debian-12" and "rhel-9.3" (bosun, Syft),
 * "debian-12.5" (Trivy), "opensuse-leap-15.5", "debian-trixie" (bosun for
 * a release without VERSION_ID), a bare "3.19.1" (Trivy's apk) or a bare
 * codename ("bookworm", the purl spec's deb example). The ID is the part
 * before the release when there is one, else it comes from the namespace. */
static int os_from_distro(struct sbom_reader *r, const struct distro_tally *t)
{
	struct arena *ar = &r->a->arena;
	struct os_info *os = &r->a->os;
	const char *d = t->distro, *dash = strrchr(d, '-');
	const char *ns_id = os_id_for_namespace(t->ns);
	char *prefix = dash ? lower_dup(ar, d, (size_t)(dash - d)) : NULL;
	const char *release = d;
	if (dash && (is_digit(dash[1]) || (prefix && (os_family_for_id(prefix) || (ns_id && !strcmp(prefix, ns_id)))))) {
		os->id = prefix;
		release = dash + 1;
	} else {
		os->id = ns_id ? lower_dup(ar, ns_id, strlen(ns_id)) : NULL;
	}
	if (!os->id)
		return ns_id || dash ? BOSUN_ENOMEM : BOSUN_OK;
	if (is_digit(release[0]))
		os->version_id = arena_strdup(ar, release);
	else
		os->codename = arena_strdup(ar, release);
	if (!os->version_id && !os->codename)
		return BOSUN_ENOMEM;
	if (!os->version_id && strcmp(os->id, "ubuntu") == 0)
		os->version_id = (char *)ubuntu_version(os->codename);
	os->family = (char *)os_family_for_id(os->id);
	os->source = (char *)"purl distro qualifier";
	os->found = true;
	return BOSUN_OK;
}

/* Without an OS element, the distro= qualifier most OS packages carry. */
static int os_from_purls(struct sbom_reader *r)
{
	if (r->ndistros == 0)
		return BOSUN_OK;
	const struct distro_tally *best = &r->distros[0];
	for (size_t i = 1; i < r->ndistros; i++)
		if (r->distros[i].n > best->n)
			best = &r->distros[i];
	if (r->ndistros > 1)
		artifact_warn(r->a, "%s: packages name %zu different distributions; using distro=%s of %zu of them", r->what,
			      r->ndistros, best->distro, best->n);
	return os_from_distro(r, best);
}

static int os_from_element(struct sbom_reader *r)
{
	struct arena *ar = &r->a->arena;
	struct os_info *os = &r->a->os;
	const struct sbom_os *in = &r->os;
	int rc = BOSUN_OK;
	char *id = in->id ? lower_dup(ar, in->id, strlen(in->id)) : NULL;
	if (in->id && !id)
		return BOSUN_ENOMEM;
	os->id = id;
	os->version_id = sbom_read_keep(ar, in->version_id, &rc);
	os->version = sbom_read_keep(ar, in->version, &rc);
	os->pretty_name = sbom_read_keep(ar, in->pretty_name, &rc);
	os->codename = sbom_read_keep(ar, in->codename, &rc);
	os->id_like = sbom_read_keep(ar, in->id_like, &rc);
	os->source = sbom_read_keep(ar, in->source, &rc);
	os->family = in->family ? sbom_read_keep(ar, in->family, &rc) : (char *)os_family_for_id(id);
	os->distroless = in->distroless;
	if (!os->version_id && id && strcmp(id, "ubuntu") == 0)
		os->version_id = (char *)ubuntu_version(os->codename);
	os->found = id && (os->version_id || os->codename);
	if (r->extra_os)
		artifact_warn(r->a, "%s: %zu more operating-system elements ignored; using %s %s", r->what, r->extra_os,
			      id ? id : "?", os->version_id ? os->version_id : "");
	return rc;
}

int sbom_read_finish_os(struct sbom_reader *r)
{
	return r->have_os && r->os.id ? os_from_element(r) : os_from_purls(r);
}
