/* OS detection: os-release and the legacy release files, as pure parsers
 * over bytes (for tests and fuzzing) plus the rule that combines them.
 *
 * The analyzer (analyzer_os_release) collects the candidate files from the
 * image and hands them to os_detect(). Strings are allocated in ar. */
#ifndef BOSUN_ANALYZE_OS_RELEASE_H
#define BOSUN_ANALYZE_OS_RELEASE_H

#include <stdbool.h>
#include <stddef.h>

#include "sbom/artifact.h"
#include "util/buf.h"

/* Parses an os-release file (freedesktop os-release(5): KEY=VALUE lines,
 * shell-style quoting). Fills id (lowercased), version_id, version (the most
 * precise version the file states: "22.04.4" from VERSION="22.04.4 LTS" when
 * VERSION_ID is "22.04"), pretty_name (NAME when PRETTY_NAME is absent),
 * codename, id_like and family.
 *
 * out->found is true only for a distribution we recognise (by ID, or by an
 * ID_LIKE naming one) that states a version: an unknown ID or a missing
 * VERSION_ID is no OS, as trivy has it. Fields are filled even when found is
 * false, so that os_detect() can complete them from a legacy file.
 * Returns BOSUN_OK or BOSUN_ENOMEM; malformed lines are skipped. */
int os_release_parse(const char *data, size_t len, struct arena *ar, struct os_info *out);

/* Parses one legacy release file, chosen by the last component of path:
 * "alpine-release", "debian_version", "lsb-release", "SuSE-release", or any
 * other "*-release" in the "<Name> release <version> (<codename>)" style of
 * redhat-release, centos-release, rocky-release, almalinux-release,
 * fedora-release, oracle-release and system-release (the distribution comes
 * from the content, since redhat-release is often a link to another one).
 * Same contract as os_release_parse(). */
int os_legacy_parse(const char *path, const char *data, size_t len, struct arena *ar,
		    struct os_info *out);

/* The normalized family for an os-release ID ("rhel" -> "redhat",
 * "almalinux" -> "alma", "amzn" -> "amazon", "ol" -> "oracle",
 * "opensuse" -> "opensuse-leap", "sl-micro" -> "sle-micro", ...), or NULL
 * when the ID is not one we know. Static strings. */
const char *os_family_for_id(const char *id);

/* One candidate file as found in the image: path normalized (no leading
 * "/"), data not NUL-terminated. */
struct os_file {
	const char *path;
	const char *data;
	size_t len;
};

/* Paths os_detect() looks at, NULL-terminated, most preferred first. */
extern const char *const os_candidate_paths[];

/* Path of the base-files entry of a distroless status.d, used to tell the
 * Debian release when there is no other release file. */
#define OS_STATUS_D_BASE_FILES "var/lib/dpkg/status.d/base-files"

/* Decides the OS from the candidate files present (any order; paths as in
 * os_candidate_paths, plus OS_STATUS_D_BASE_FILES). os-release wins
 * (etc/ before usr/lib/), completed by the distribution's own legacy file
 * where that is more precise (Debian "12.7" from debian_version) or where
 * os-release has no VERSION_ID (Debian testing); without a usable
 * os-release the legacy files are tried, Debian's last because Ubuntu ships
 * one too. dpkg_status_d says var/lib/dpkg/status.d exists: with no
 * os-release that marks a distroless image.
 * On return out->found says whether an OS was recognised; when it is false
 * every field but distroless is cleared. Returns BOSUN_OK or BOSUN_ENOMEM. */
int os_detect(const struct os_file *files, size_t n, bool dpkg_status_d, struct arena *ar,
	      struct os_info *out);

#endif
