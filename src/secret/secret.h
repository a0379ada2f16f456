/* Secret detection: finds credentials (cloud keys, API tokens, private keys,
 * passwords in config files) in file contents and in an image's config.
 *
 * One engine is compiled once (built-in rules plus an optional Trivy-style
 * rule file) and then shared by any number of threads: every rule's keywords
 * and, where Hyperscan accepts it, its regex go into one Hyperscan database,
 * so a file is read in one pass; PCRE2 (JIT) only runs where a rule may
 * match, to pull out the secret part and to run rules Hyperscan cannot
 * compile. Findings never hold a full secret: `match` is masked.
 * docs/secrets.md describes the rules, the rule file and what is skipped. */
#ifndef BOSUN_SECRET_SECRET_H
#define BOSUN_SECRET_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding/finding.h"
#include "image/content_scan.h"
#include "util/err.h"
#include "vulndb/vulndb.h"

struct secret_engine;

struct secret_options {
	const char *config_path;  /* --secret-config, NULL for the built-in rules only */
	uint64_t max_file_bytes;  /* 0 = default 10 MiB */
	bool scan_binaries;       /* default false */
};

#define SECRET_DEFAULT_MAX_FILE_BYTES (10u * 1024 * 1024)
/* Hyperscan scans at most 4 GiB at once; larger limits are clamped to this. */
#define SECRET_MAX_FILE_BYTES_CAP ((uint64_t)2 << 30)
/* At most this many findings per buffer (a file of a million fake keys is
 * reported by its first ones). */
#define SECRET_MAX_FINDINGS_PER_BUFFER 1000

/* Compiles the built-in rules and, when o->config_path is set, the rule
 * file. BOSUN_EFORMAT for a bad rule file (the message names the file, the
 * rule id and the PCRE2 or Hyperscan message), BOSUN_ENOTFOUND when it does
 * not exist, BOSUN_EIO when it cannot be read, BOSUN_ELIMIT above 4 MiB,
 * BOSUN_ENOMEM. o may be NULL (defaults). */
int secret_engine_new(const struct secret_options *o, struct secret_engine **out, struct berr *e);
void secret_engine_free(struct secret_engine *eng);

/* Content-scanner hooks over the engine for the layer walk
 * (src/image/content_scan.h). The engine must outlive the scanner. */
void secret_content_scanner(struct secret_engine *eng, struct content_scanner *out);

/* One buffer (thread-safe). Findings: kind SECRET, rule_id, title, severity,
 * category, message, path, line, layer, match (masked), remediation,
 * reference where one exists. A buffer that is skipped (its path is on an
 * allow list, it looks binary, it is above the size limit) gives no
 * findings and BOSUN_OK. path may be NULL (then path-based rules and
 * allow-rules do not apply). */
int secret_scan_buffer(struct secret_engine *eng, const char *path, int layer, const unsigned char *data,
		       size_t n, struct finding_list *out, struct berr *e);

/* Env, Labels and history of an image config (JSON text): findings with
 * path NULL, layer -1 and location "config.Env[1]", "config.Labels[KEY]",
 * "history[4].created_by". BOSUN_EFORMAT when config_json is not JSON. */
int secret_scan_image_config(struct secret_engine *eng, const char *config_json, struct finding_list *out,
			     struct berr *e);

/* The rule catalogue (enabled rules, built-in and custom), for docs and
 * `--list-rules`-style output; i < secret_rule_count(). */
size_t secret_rule_count(const struct secret_engine *eng);
void secret_rule_info(const struct secret_engine *eng, size_t i, const char **id, const char **category,
		      const char **title, enum vuln_severity *sev);

/* True when the engine would skip a file at this path without reading it
 * (an allow-rule by path such as usr/share/doc/, *.md). Path rules see a
 * path without its leading "/", so host paths (/usr/share/doc/...) are
 * treated like image paths. */
bool secret_path_skipped(const struct secret_engine *eng, const char *path);

/* Masks a secret for display: the first and last 4 characters of a secret
 * of 16 or more, stars in between (at most 32, so a private key stays one
 * short line); a shorter secret is all stars. Characters outside printable
 * ASCII are shown as stars too. out gets a NUL-terminated string. */
void secret_mask(const char *s, size_t n, char *out, size_t outsz);

#endif
