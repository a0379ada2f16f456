/* The artifact: one in-memory model of everything a scan found in a target.
 * Every writer (CycloneDX, SPDX, JSON, table) reads only this. Strings live in
 * the artifact's arena and die with it. */
#ifndef BOSUN_SBOM_ARTIFACT_H
#define BOSUN_SBOM_ARTIFACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding/finding.h"
#include "util/buf.h"

/* Package ecosystems; the purl type is the canonical name. The first three
 * are the OS package formats the analyzers read; the language ecosystems
 * come from SBOMs read back (src/sbom/read.h). */
enum pkg_type {
	PKG_DEB,
	PKG_APK,
	PKG_RPM,
	PKG_NPM,
	PKG_PYPI,
	PKG_MAVEN,
	PKG_GOLANG,
	PKG_CARGO,
	PKG_GEM,
	PKG_COMPOSER,
	PKG_NUGET,
	PKG_TYPE_COUNT
};

const char *pkg_type_name(enum pkg_type t); /* purl type: "deb", "apk", "rpm", "npm", ... */
/* The type whose purl type is name (lower-case, as purls spell it); false
 * for a purl type bosun does not model. */
bool pkg_type_from_purl(const char *name, enum pkg_type *out);
/* deb, apk, rpm: installed by an OS package manager, matched per distro. */
bool pkg_type_is_os(enum pkg_type t);

struct package {
	enum pkg_type type;
	/* As the ecosystem spells it: language packages carry their namespace
	 * (npm "@babel/core", Maven "group:artifact", Go module path
	 * "github.com/x/y", Composer "vendor/package"). */
	char *name;
	/* Full native version as the package manager prints it:
	 * deb "[epoch:]upstream[-revision]", apk "1.2.3-r0", rpm "[epoch:]version-release",
	 * language packages as published ("1.2.3", "v0.7.0"). */
	char *version;
	int epoch;            /* -1 when the version has none */
	char *arch;           /* NULL when unknown */
	char *source_name;    /* dpkg Source:, rpm SOURCERPM name, apk origin; NULL if same/unknown */
	char *source_version; /* dpkg Source: (version) or the binary version; rpm SRPM version-release */
	char *license;        /* as the metadata states it, NULL if none */
	char *maintainer;     /* dpkg Maintainer, apk m:, rpm PACKAGER */
	char *vendor;         /* rpm VENDOR */
	char *modularity;     /* rpm MODULARITYLABEL */
	char *commit;         /* apk c: (aports commit) */
	char *found_in;       /* path of the database it came from ("var/lib/dpkg/status");
	                       * inside archives "outer.jar!/BOOT-INF/lib/x.jar" */
	char *owner;          /* OS package whose file list names found_in ("python3-yaml"), NULL if none */
	char *relationship;   /* "root" (the project/main module), "direct", "indirect", or NULL when unknown */
	bool dev;             /* a development-only dependency (lockfile dev/optional flags) */
	int layer;            /* index into artifact.layers that introduced it; -1 unknown */
	char **files;         /* installed files (dpkg info/NAME.list, apk R:, rpm BASENAMES), may be NULL */
	size_t nfiles;
	char *purl;           /* filled by artifact_finish() */
};

struct os_info {
	bool found;
	char *id;          /* os-release ID, lowercase: "debian", "alpine", "rhel", ... */
	char *version_id;  /* "12", "3.19.1" */
	char *version;     /* most precise version known ("12.7" from debian_version) */
	char *pretty_name;
	char *codename;
	char *id_like;
	char *family;      /* normalized family used for purl distro= and matching */
	char *source;      /* file it was read from */
	bool distroless;   /* dpkg status.d without an os-release */
};

struct layer_info {
	char *digest;      /* blob digest as stored (compressed); NULL for rootfs */
	char *diff_id;     /* sha256 of the uncompressed tar */
	char *media_type;
	uint64_t size;     /* blob size */
	char *created_by;  /* from history, if any */
	uint64_t entries;  /* tar entries seen */
	uint64_t whiteouts;
};

struct artifact {
	struct arena arena;
	char *target;       /* what the user asked for */
	char *target_kind;  /* "docker-archive", "oci-dir", "oci-archive", "rootfs", "fs" */
	char *name;         /* repo:tag or directory name */
	char *image_id;     /* config digest */
	char *manifest_digest;
	char *architecture, *os_name, *variant, *created;
	char **repo_tags;
	size_t nrepo_tags;
	char *config_json;  /* the raw image config, for later analysis; NULL for rootfs */
	struct layer_info *layers;
	size_t nlayers;
	struct os_info os;
	struct package *pkgs;
	size_t npkgs, cap_pkgs;
	char **warnings;
	size_t nwarnings, cap_warnings;
	bool silent;        /* record warnings without printing them (scratch artifacts) */
	/* Secrets, malware and misconfigurations the scanners found (sorted by
	 * artifact_finish); empty when only packages were asked for. */
	struct finding_list findings;
};

void artifact_init(struct artifact *a);
void artifact_free(struct artifact *a);

/* Returns a zeroed package with epoch = -1 and layer = -1, or NULL on ENOMEM.
 * The pointer is valid until the next artifact_add_package(). */
struct package *artifact_add_package(struct artifact *a);

/* Appends a deep copy of p (strings copied into a's arena). NULL on ENOMEM. */
struct package *artifact_copy_package(struct artifact *a, const struct package *p);

/* Records a warning in the artifact and prints it on stderr. */
void artifact_warn(struct artifact *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sorts packages (type, name, version, arch), drops exact duplicates and
 * computes purls. Call once, after all analyzers ran. */
int artifact_finish(struct artifact *a);

#endif
