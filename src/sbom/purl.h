/* Package URLs (github.com/package-url/purl-spec, ECMA-427) for every package
 * type. The choices for deb, apk and rpm (namespaces, where the epoch goes,
 * what happens without a known OS) are documented in docs/formats.md. */
#ifndef BOSUN_SBOM_PURL_H
#define BOSUN_SBOM_PURL_H

#include <stddef.h>

#include "sbom/artifact.h"

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
 * version-release with the epoch in epoch=. Returns NULL on ENOMEM. */
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

#endif
