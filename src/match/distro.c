/* Which database key, name and version a package is looked up by: the
 * distro rules of docs/matching.md. Debian and Ubuntu advisories name source
 * packages and releases; Alpine's secdb names the origin (aports) package
 * and the branch; AlmaLinux's OSV names binary rpms with epoch. A release we
 * have no feed for is said so, never approximated by a neighbour's data. */
#include "match/match.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Debian codenames for an os-release without VERSION_ID (testing, sid, or
 * an image that trimmed it). sid has no number: it is its own key. */
static const struct {
	const char *codename, *number;
} debian_codenames[] = {
	{ "hamm", "2" },     { "slink", "2" },    { "potato", "2" }, { "woody", "3" },  { "sarge", "3" },
	{ "etch", "4" },     { "lenny", "5" },    { "squeeze", "6" }, { "wheezy", "7" }, { "jessie", "8" },
	{ "stretch", "9" },  { "buster", "10" },  { "bullseye", "11" }, { "bookworm", "12" },
	{ "trixie", "13" },  { "forky", "14" },   { "duke", "15" },  { "sid", "sid" },
};

static const char *debian_number(const char *codename)
{
	if (!codename)
		return NULL;
	for (size_t i = 0; i < sizeof debian_codenames / sizeof debian_codenames[0]; i++)
		if (strcmp(debian_codenames[i].codename, codename) == 0)
			return debian_codenames[i].number;
	return NULL;
}

/* The first `parts` dot-separated numeric components of v ("3.11.6", 2 ->
 * "3.11"); false when v does not start with that many numbers. */
static bool numeric_prefix(const char *v, int parts, char *out, size_t cap)
{
	size_t n = 0;
	for (int i = 0; i < parts; i++) {
		if (i > 0) {
			if (v[n] != '.')
				return false;
			n++;
		}
		size_t start = n;
		while (isdigit((unsigned char)v[n]))
			n++;
		if (n == start)
			return false;
	}
	if (n + 1 > cap)
		return false;
	memcpy(out, v, n);
	out[n] = '\0';
	return true;
}

static bool is_family(const struct os_info *os, const char *family)
{
	return os->family && strcmp(os->family, family) == 0;
}

static void set_eco(struct match_key *k, const char *distro, const char *release)
{
	snprintf(k->ecosystem, sizeof k->ecosystem, "%s:%s", distro, release);
}

/* Debian: VERSION_ID's major ("12"), else the codename's number. */
static bool debian_release(const struct os_info *os, struct match_key *k)
{
	char major[16];
	if (os->version_id && numeric_prefix(os->version_id, 1, major, sizeof major)) {
		set_eco(k, "debian", major);
		return true;
	}
	const char *n = debian_number(os->codename);
	if (!n)
		return false;
	set_eco(k, "debian", n);
	return true;
}

/* Ubuntu: VERSION_ID as it is ("22.04"): every release is its own key. */
static bool ubuntu_release(const struct os_info *os, struct match_key *k)
{
	char rel[16];
	if (!os->version_id || !numeric_prefix(os->version_id, 2, rel, sizeof rel))
		return false;
	set_eco(k, "ubuntu", rel);
	return true;
}

/* Alpine: the branch "3.11" from "3.11.6"; a pre-release VERSION_ID
 * ("3.21.0_alpha20240807") is edge. */
static bool alpine_release(const struct os_info *os, struct match_key *k)
{
	char rel[16];
	if (!os->version_id)
		return false;
	if (strchr(os->version_id, '_')) {
		set_eco(k, "alpine", "edge");
		return true;
	}
	if (!numeric_prefix(os->version_id, 2, rel, sizeof rel))
		return false;
	set_eco(k, "alpine", rel);
	return true;
}

static bool major_release(const struct os_info *os, const char *distro, struct match_key *k)
{
	char major[16];
	if (!os->version_id || !numeric_prefix(os->version_id, 1, major, sizeof major))
		return false;
	set_eco(k, distro, major);
	return true;
}

const char *match_strip_binnmu(const char *v, char *buf, size_t cap)
{
	const char *plus = v ? strrchr(v, '+') : NULL;
	if (!plus || plus[1] != 'b' || !isdigit((unsigned char)plus[2]))
		return v;
	for (const char *c = plus + 2; *c; c++)
		if (!isdigit((unsigned char)*c))
			return v;
	size_t n = (size_t)(plus - v);
	if (n + 1 > cap)
		return v;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return buf;
}

/* "nodejs:14:8070020230119151612:9f4bfd6a" -> "nodejs:14". */
static const char *module_stream(const char *label, char *buf, size_t cap)
{
	const char *c1 = label ? strchr(label, ':') : NULL;
	if (!c1 || c1 == label || !c1[1] || c1[1] == ':')
		return NULL;
	size_t n = strcspn(c1 + 1, ":") + (size_t)(c1 + 1 - label);
	if (n + 1 > cap)
		return NULL;
	memcpy(buf, label, n);
	buf[n] = '\0';
	return buf;
}

/* "no advisory feed for rocky 9 (rpm packages)": said once per scan. */
static bool no_feed(const struct os_info *os, struct match_key *k, const char *type)
{
	if (!os->id)
		snprintf(k->whybuf, sizeof k->whybuf, "operating system not identified: %s packages not matched", type);
	else
		snprintf(k->whybuf, sizeof k->whybuf, "no advisory feed for %.40s %.20s: %s packages not matched", os->id,
			 os->version_id ? os->version_id : os->codename ? os->codename : "(no version)", type);
	k->why = k->whybuf;
	return false;
}

/* Debian and Ubuntu: by source package and source version, with a binNMU's
 * "+bN" (a binary-only rebuild of the same source) taken off. */
static bool deb_key(const struct package *p, const struct os_info *os, struct match_key *k)
{
	bool ok = is_family(os, "debian") ? debian_release(os, k)
		  : is_family(os, "ubuntu") ? ubuntu_release(os, k)
					    : false;
	if (!ok)
		return no_feed(os, k, "deb");
	k->scheme = "deb";
	k->name = p->source_name && p->source_name[0] ? p->source_name : p->name;
	const char *v = p->source_version && p->source_version[0] ? p->source_version : p->version;
	k->version = match_strip_binnmu(v, k->vbuf, sizeof k->vbuf);
	return true;
}

/* Alpine: by origin (the aports package the secdb names) and the package's
 * own version, which is the origin's. */
static bool apk_key(const struct package *p, const struct os_info *os, struct match_key *k)
{
	if (!is_family(os, "alpine") || !alpine_release(os, k))
		return no_feed(os, k, "apk");
	k->scheme = "apk";
	k->name = p->source_name && p->source_name[0] ? p->source_name : p->name;
	k->version = p->version;
	return true;
}

/* RPM: AlmaLinux only (the one RHEL-family feed in our data), by binary
 * name and "[E:]V-R"; a modular package carries its module stream. */
static bool rpm_key(const struct package *p, const struct os_info *os, struct match_key *k)
{
	if (!is_family(os, "alma") || !major_release(os, "almalinux", k))
		return no_feed(os, k, "rpm");
	k->scheme = "rpm";
	k->name = p->name;
	k->version = p->version;
	k->stream = module_stream(p->modularity, k->sbuf, sizeof k->sbuf);
	return true;
}

/* Language packages: the feed ecosystem of the purl type, whatever the OS,
 * and the name as that ecosystem's feeds key it. */
static const struct {
	enum pkg_type type;
	const char *ecosystem;
} lang_ecosystems[] = {
	{ PKG_NPM, "npm" },	     { PKG_PYPI, "pypi" },	  { PKG_MAVEN, "maven" },
	{ PKG_GOLANG, "go" },	     { PKG_CARGO, "crates.io" },  { PKG_GEM, "rubygems" },
	{ PKG_COMPOSER, "packagist" }, { PKG_NUGET, "nuget" },
};

static bool lang_key(const struct package *p, struct match_key *k)
{
	const char *eco = NULL;
	for (size_t i = 0; i < sizeof lang_ecosystems / sizeof lang_ecosystems[0]; i++)
		if (lang_ecosystems[i].type == p->type)
			eco = lang_ecosystems[i].ecosystem;
	if (!eco) {
		k->why = "no advisory feed for this package type";
		return false;
	}
	if (match_normalize_name(eco, p->name, k->nbuf, sizeof k->nbuf) != BOSUN_OK) {
		snprintf(k->whybuf, sizeof k->whybuf, "%s package name too long: not matched", pkg_type_name(p->type));
		k->why = k->whybuf;
		return false;
	}
	snprintf(k->ecosystem, sizeof k->ecosystem, "%s", eco);
	k->scheme = match_scheme_for(eco);
	k->name = k->nbuf;
	k->version = p->version;
	return true;
}

bool match_key(const struct package *p, const struct os_info *os, struct match_key *k)
{
	memset(k->ecosystem, 0, sizeof k->ecosystem);
	k->scheme = k->name = k->version = k->stream = k->why = NULL;
	if (!p->name || !p->version || !p->version[0]) {
		k->why = "package without a version";
		return false;
	}
	switch (p->type) {
	case PKG_DEB: return deb_key(p, os, k);
	case PKG_APK: return apk_key(p, os, k);
	case PKG_RPM: return rpm_key(p, os, k);
	default: return lang_key(p, k);
	}
}

/* ---- ecosystems --------------------------------------------------------- */

static const struct {
	const char *prefix, *scheme;
} schemes[] = {
	{ "debian", "deb" },   { "ubuntu", "deb" },      { "alpine", "apk" },    { "almalinux", "rpm" },
	{ "rocky", "rpm" },    { "rhel", "rpm" },        { "centos", "rpm" },    { "fedora", "rpm" },
	{ "npm", "npm" },      { "pypi", "pypi" },       { "go", "golang" },     { "golang", "golang" },
	{ "crates.io", "cargo" }, { "cargo", "cargo" },  { "rubygems", "gem" },  { "gem", "gem" },
	{ "maven", "maven" },  { "nuget", "nuget" },     { "packagist", "composer" }, { "composer", "composer" },
};

const char *match_scheme_for(const char *ecosystem)
{
	if (!ecosystem)
		return NULL;
	size_t n = strcspn(ecosystem, ":");
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strlen(schemes[i].prefix) == n && strncasecmp(schemes[i].prefix, ecosystem, n) == 0)
			return schemes[i].scheme;
	return NULL;
}

static bool eco_is(const char *ecosystem, const char *name)
{
	return strcasecmp(ecosystem, name) == 0;
}

/* PEP 503: lower-case, every run of "-", "_" and "." becomes one "-". */
static int pep503(const char *name, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *c = name; *c; c++) {
		bool sep = *c == '-' || *c == '_' || *c == '.';
		if (sep && c != name && (c[-1] == '-' || c[-1] == '_' || c[-1] == '.'))
			continue;
		if (n + 1 >= cap)
			return BOSUN_ELIMIT;
		out[n++] = sep ? '-' : (char)tolower((unsigned char)*c);
	}
	out[n] = '\0';
	return BOSUN_OK;
}

/* Copies name, decoding the purl escapes a scoped npm name or a Maven
 * "group/artifact" may arrive with (%40 = '@', %2F = '/'). */
static int copy_decoded(const char *name, char *out, size_t cap, bool lower)
{
	size_t n = 0;
	for (const char *c = name; *c; c++) {
		char ch = *c;
		if (c[0] == '%' && c[1] == '4' && c[2] == '0') {
			ch = '@';
			c += 2;
		} else if (c[0] == '%' && c[1] == '2' && (c[2] == 'F' || c[2] == 'f')) {
			ch = '/';
			c += 2;
		}
		if (n + 1 >= cap)
			return BOSUN_ELIMIT;
		out[n++] = lower ? (char)tolower((unsigned char)ch) : ch;
	}
	out[n] = '\0';
	return BOSUN_OK;
}

int match_normalize_name(const char *ecosystem, const char *name, char *out, size_t cap)
{
	if (!cap)
		return BOSUN_ELIMIT;
	if (eco_is(ecosystem, "pypi"))
		return pep503(name, out, cap);
	if (eco_is(ecosystem, "maven")) {
		/* "group/artifact" (purl namespace and name) -> "group:artifact". */
		TRY(copy_decoded(name, out, cap, false));
		char *slash = strchr(out, ':') ? NULL : strrchr(out, '/');
		if (slash)
			*slash = ':';
		return BOSUN_OK;
	}
	/* Packagist names are lower-case "vendor/package" by Composer's rule;
	 * NuGet ids are case-insensitive and the database keys them lower-case
	 * (import_osv.c), so "Newtonsoft.Json" must find "newtonsoft.json".
	 * npm names are kept as written: the registry holds legacy mixed-case
	 * names ("JSONStream") that the feeds spell the same way; a scope arrives
	 * decoded ("@babel/core"). Go module paths, crates and gems are kept
	 * too: the feeds key them as published. */
	bool lower = eco_is(ecosystem, "packagist") || eco_is(ecosystem, "nuget");
	return copy_decoded(name, out, cap, lower);
}
