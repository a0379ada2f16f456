/* dpkg databases: var/lib/dpkg/status, the distroless var/lib/dpkg/status.d/
 * files, and the per-package file lists in var/lib/dpkg/info. The parsers
 * are pure (bytes in, packages out) for tests and fuzzing; the analyzer
 * (analyzer_dpkg) feeds them from the image. */
#ifndef BOSUN_ANALYZE_DPKG_H
#define BOSUN_ANALYZE_DPKG_H

#include <stdbool.h>
#include <stddef.h>

#include "sbom/artifact.h"
#include "util/buf.h"

/* Parses deb822 paragraphs (status or one status.d file) and appends one
 * PKG_DEB package per installed entry to a, with found_in as given.
 *
 * An entry counts when its Status has "installed" as third word
 * ("install ok installed", "hold ok installed"); "rc" config-files and
 * half-installed entries do not. An entry without Status counts: distroless
 * status.d files (status_d set) carry none; in the status file it is
 * damage and draws a warning.
 * Version is kept whole ("1:2.3-4") and its epoch also goes to .epoch.
 * "Source: glibc (2.36-9)" gives source_name glibc and source_version
 * 2.36-9; without the parenthesis source_version is the binary version;
 * source_name stays NULL when it equals the package name.
 * Entries without Package or a valid Version (dpkg_version_valid()) are skipped
 * with a warning (artifact_warn); the rest of the input is still read.
 * Returns BOSUN_OK, or BOSUN_ENOMEM. */
int dpkg_parse_status(const char *data, size_t len, const char *found_in, bool status_d,
		      struct artifact *a);

/* Parses a dpkg file list into an arena array of normalized paths
 * (relative, no leading "/", like scan_file paths):
 *  - md5sums == false: info/NAME.list, one absolute path per line, with
 *    directories; an entry followed by one inside it is a directory and is
 *    left out (the list is in archive order, parents first).
 *  - md5sums == true: info/NAME.md5sums or status.d/NAME.md5sums,
 *    "<md5>  <path>" lines.
 * *files is NULL and *n 0 for an empty list. Returns BOSUN_OK or BOSUN_ENOMEM. */
int dpkg_parse_file_list(const char *data, size_t len, bool md5sums, struct arena *ar,
			 char ***files, size_t *n);

/* Whether v is a Debian version dpkg accepts without complaint:
 * [epoch:]upstream[-revision], upstream starting with a digit, only the
 * characters deb-version(7) allows, at most 256 bytes. Surrounding blanks
 * are ignored. */
bool dpkg_version_valid(struct slice v);

/* Splits the epoch off a Debian version: "1:2.3-4" -> 1; -1 when there is
 * none or it is not a small decimal number. */
int dpkg_version_epoch(const char *version);

#endif
