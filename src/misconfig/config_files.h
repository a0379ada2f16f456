/* The configuration files of a project: finds the Dockerfiles, Kubernetes
 * manifests and docker-compose files among files and directory trees and
 * runs their checkers (src/misconfig/dockerfile.h, src/k8s/k8s.h,
 * src/compose/compose.h). `bosun config PATH...` is this module plus a
 * report; `bosun fs DIR` runs it on DIR next to its other scanners.
 *
 * Directories are walked recursively in name order, without following
 * symbolic links, skipping .git, .hg, .svn, node_modules and vendor.
 * Classification: a Dockerfile by its name, a compose file by its name or
 * content, a Kubernetes manifest by content; other YAML and every other
 * file are ignored. All manifests of one call form ONE Kubernetes set,
 * checked once, so cross-file context (a ServiceAccount in one file, the
 * workload in another) works as in `bosun k8s`.
 *
 * A path given by the caller that cannot be checked (malformed, over a
 * limit) is an error; a file found while walking a directory is a warning
 * and the walk goes on, so one broken fixture does not hide the rest of
 * the tree. */
#ifndef BOSUN_MISCONFIG_CONFIG_FILES_H
#define BOSUN_MISCONFIG_CONFIG_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "finding/finding.h"
#include "k8s/k8s.h"
#include "util/err.h"

#define CONFIG_MAX_FILE_BYTES ((size_t)16 << 20) /* one file or stdin */
#define CONFIG_MAX_ENTRIES 200000                /* default: directory entries visited in one call */
#define CONFIG_MAX_DEPTH 32                      /* directory nesting */

enum config_kind { CONFIG_KIND_NONE, CONFIG_KIND_DOCKERFILE, CONFIG_KIND_K8S, CONFIG_KIND_COMPOSE };

struct config_check_options {
	/* Pod Security profile and rule policy of the Kubernetes checks. The
	 * policy is not applied to the other findings here: the caller applies
	 * it once to everything it reports (rule_policy_apply). */
	struct k8s_check_options k8s;
	/* Paths of the files found in a directory walk relative to that
	 * directory ("k8s/deploy.yaml", as `bosun fs DIR` names every file)
	 * instead of the directory joined with them. Files and stdin given
	 * directly keep their path. */
	bool relative;
	/* Directory entries visited in one call before BOSUN_ELIMIT;
	 * 0 = CONFIG_MAX_ENTRIES. */
	size_t max_entries;
	/* Called with each warning (one line, without "warning:"), in order;
	 * NULL drops them. */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

struct config_check_stats {
	size_t dockerfiles, manifests, compose_files; /* files checked, of each kind */
	size_t entries;                               /* directory entries visited */
};

/* Checks every path ("-" is stdin): a file is
 * checked whatever its name (content sniffing decides), a directory is
 * walked. Findings (kind MISCONFIG, categories "dockerfile", "kubernetes",
 * "compose") are appended to out, unsorted. stats may be NULL. Errors:
 * BOSUN_ENOTFOUND / BOSUN_EIO for a path that cannot be opened, the
 * checkers' BOSUN_EFORMAT / BOSUN_ELIMIT for a file given directly,
 * BOSUN_ELIMIT past max_entries, BOSUN_ENOMEM. Findings appended before an
 * error stay in out. */
int config_check_paths(const char *const *paths, size_t n, const struct config_check_options *o,
		       struct finding_list *out, struct config_check_stats *stats, struct berr *e);

/* What a file is, from its path and contents. "-" (stdin) and files named
 * by the user (named = true) are sniffed by content whatever their name;
 * files found in a walk only when named *.yaml, *.yml or *.json. */
enum config_kind config_file_kind(const char *path, const char *data, size_t n, bool named);

/* Whether a file met in a walk is worth reading: a Dockerfile or compose
 * name, or a YAML/JSON extension. */
bool config_candidate_name(const char *basename);

#endif
