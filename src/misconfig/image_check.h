/* Image checks: the rules of docs/rules-docker.md that can be decided from
 * a built image — its config (user, environment, labels, exposed ports,
 * health check), its history (the commands that built it), its packages
 * and its final file tree (setuid and world-writable files, caches). The
 * rule ids are the Dockerfile checks' ids for the same control. */
#ifndef BOSUN_MISCONFIG_IMAGE_CHECK_H
#define BOSUN_MISCONFIG_IMAGE_CHECK_H

#include "analyze/analyzer.h"
#include "finding/finding.h"
#include "sbom/artifact.h"
#include "util/err.h"

/* At most this many setuid or world-writable findings each; one more
 * finding then says how many were left out. */
#define IMAGE_CHECK_MAX_FILE_FINDINGS 500u

/* Checks an image after the scan: config + history (a->config_json, a->layers[i].created_by), packages
 * (a->pkgs), and the final file tree (view_each_entry from src/image/view.h gives every visible entry
 * with path, mode, size, layer). Findings: category "image", path NULL or the file path, location
 * "config.User" etc., layer where known. v may be NULL (no file tree: those rules are skipped); a
 * NULL a->config_json (a root filesystem) skips the config and history rules. A config that is not
 * valid JSON is BOSUN_EFORMAT. Findings are appended sorted, and only when every check ran. */
int image_config_check(const struct scan_view *v, const struct artifact *a, struct finding_list *out, struct berr *e);

#endif
