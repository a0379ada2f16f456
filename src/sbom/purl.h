/* Package URLs (github.com/package-url/purl-spec, ECMA-427) for every package
 * type. The choices for deb, apk and rpm (namespaces, where the epoch goes,
 * what happens without a known OS) are documented in docs/formats.md. */
#ifndef BOSUN_SBOM_PURL_H
#define BOSUN_SBOM_PURL_H

#include <stddef.h>

#include "sbom/artifact.h"
#include "util/err.h"

/* pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12
 * pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64&distro=rhel-9.3&epoch=1
 * pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1
 *
 * The namespace is the distribution vendor derived from os->id ("rhel" ->
 * "redhat"). When the OS is unknown, or is known to use another package
 * format, the vendor is inferred from the package itself (an "ubuntu"
 * version, an rpm Vendor such as "Red Hat, Inc.") or else is the format's
 * home vendor (debian, alpine, redhat), and distro= is left out: the purl
 * spec requires a namespace for these types. deb versions keep their epoch
 * ("1:2.4.47-2", as in the spec's examples); rpm versions are
 * version-release with the epoch in epoch=.
 *
 * Language packages split their name into namespace and name as their type
 * definitions say (pkg:npm/%40babel/core@7.0.0, pkg:maven/org.example/lib@1.0,
 * pkg:golang/github.com/x/mod@v1.2.3, pkg:composer/vendor/pkg@1.0) and get
 * no distro=; PyPI names are lower-cased with '-' for '_'.
 * Returns NULL on ENOMEM. */
char *purl_for_package(struct arena *ar, const struct package *p, const struct os_info *os);

/* True when os identifies the distribution that p's package database
 * belongs to, i.e. when purl_for_package() adds distro= for it. */
bool purl_os_applies(const struct package *p, const struct os_info *os);

/* Percent-encodes s per purl rules into the arena: every octet except
 * A-Z a-z 0-9 . - _ ~ and : becomes %XX (upper-case hex). NULL on ENOMEM. */
char *purl_encode(struct arena *ar, const char *s);

struct purl_qualifier {
	const char *key;   /* lower-case ASCII: [a-z0-9._-] */
	const char *value; /* raw; NULL or "" drops the qualifier */
};

/* Builds a canonical purl from raw components: type lower-cased, namespace
 * (may be NULL; '/' separates segments) and name and version (may be NULL)
 * percent-encoded, qualifiers (at most 16) sorted by key with empty values
 * dropped. Case rules that depend on the type are the caller's. NULL on
 * ENOMEM or too many qualifiers. */
char *purl_build(struct arena *ar, const char *type, const char *ns, const char *name,
		 const char *version, const struct purl_qualifier *q, size_t nq);

/* ---- parsing (purl_parse.c) ---------------------------------------------------- */

#define PURL_MAX_LEN 4096      /* longer input is refused (BOSUN_ELIMIT) */
#define PURL_MAX_QUALIFIERS 32

/* A parsed purl; every string is percent-decoded and lives in the arena. */
struct purl {
	const char *type;      /* lower-cased */
	const char *ns;        /* segments joined by '/', NULL when absent */
	const char *name;
	const char *version;   /* NULL when absent */
	const char *subpath;   /* NULL when absent */
	struct purl_qualifier q[PURL_MAX_QUALIFIERS]; /* keys lower-cased, in input order */
	size_t nq;
};

/* Parses s per the purl spec (ECMA-427 "How to parse"), leniently where
 * producers are: "pkg://" and unencoded '+' or '@' in a namespace are
 * accepted, and '@' splits off a version only after the last '/'.
 * Refused (BOSUN_EFORMAT, with the reason in e): no "pkg:" scheme, an
 * invalid type, an empty name, a bad %XX escape or one that decodes to NUL
 * or '/' inside a segment, a qualifier key outside [a-z0-9.-_] or given
 * twice. BOSUN_ELIMIT beyond PURL_MAX_LEN bytes or PURL_MAX_QUALIFIERS. */
int purl_parse(struct arena *ar, const char *s, struct purl *out, struct berr *e);

/* The value of qualifier key, or NULL. */
const char *purl_qualifier(const struct purl *p, const char *key);

#endif
