/* Package URLs (github.com/package-url/purl-spec) for every package type. */
#ifndef BOSUN_SBOM_PURL_H
#define BOSUN_SBOM_PURL_H

#include "sbom/artifact.h"

/* pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12.5
 * Components are percent-encoded per the spec; qualifiers sorted by key;
 * epoch goes into the epoch= qualifier (deb and rpm), not the version.
 * Without a known OS, the namespace falls back to the package type's usual
 * vendor where one is implied (none for deb/rpm: the namespace is omitted
 * and so is distro=). Returns NULL on ENOMEM. */
char *purl_for_package(struct arena *ar, const struct package *p, const struct os_info *os);

/* Percent-encodes s per purl rules into the arena. */
char *purl_encode(struct arena *ar, const char *s);

#endif
