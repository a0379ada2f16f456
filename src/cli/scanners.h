/* `--scanners`: which scanners a scan of an image or tree runs, and the
 * engines behind them. Every scanner shares the single layer walk: the
 * content scanners (secret, malware) see each file as the walk reads it,
 * the config checks run on the merged result; vulnerabilities are matched
 * afterwards from the inventory. The config scanner of a project tree
 * (fs:DIR) also checks the tree's Dockerfiles, Kubernetes manifests and
 * compose files, as `bosun config DIR` does (src/misconfig/config_files.h),
 * in a walk of its own. */
#ifndef BOSUN_CLI_SCANNERS_H
#define BOSUN_CLI_SCANNERS_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/rule_options.h"
#include "scan/scan.h"
#include "util/err.h"

enum {
	SCANNER_VULN = 1u << 0,
	SCANNER_SECRET = 1u << 1,
	SCANNER_MALWARE = 1u << 2,
	SCANNER_CONFIG = 1u << 3,
	/* Everything that needs no input beyond the target. */
	SCANNER_DEFAULT = SCANNER_VULN | SCANNER_SECRET | SCANNER_MALWARE | SCANNER_CONFIG,
};

#define SCANNER_MAX_PATHS 16

struct scanner_options {
	const char *list;               /* --scanners, NULL = default */
	unsigned selected;              /* from list, by scanner_options_check() */
	const char *secret_config;      /* --secret-config */
	const char *yara[SCANNER_MAX_PATHS];
	size_t nyara;                   /* --yara-rules */
	const char *sigs[SCANNER_MAX_PATHS];
	size_t nsigs;                   /* --malware-signatures */
	/* --profile, --policy of the config scanner; the caller loads the
	 * policy (rule_options_load) and frees it (rule_options_free). */
	struct rule_options rules;
};

enum {
	SCANNER_OPT_SCANNERS = 600,
	SCANNER_OPT_SECRET_CONFIG,
	SCANNER_OPT_YARA,
	SCANNER_OPT_SIGS,
};

#define SCANNER_LONGOPTS                                                                       \
	{ "scanners", required_argument, NULL, SCANNER_OPT_SCANNERS },                         \
	{ "secret-config", required_argument, NULL, SCANNER_OPT_SECRET_CONFIG },               \
	{ "yara-rules", required_argument, NULL, SCANNER_OPT_YARA },                           \
	{ "malware-signatures", required_argument, NULL, SCANNER_OPT_SIGS },                   \
	RULE_LONGOPTS

/* 0 when taken, 2 after printing why the value is bad, -1 when c is not ours. */
int scanner_option(int c, const char *arg, struct scanner_options *o);
/* Resolves the list; 2 with a message when it is bad or contradicts the other options. */
int scanner_options_check(struct scanner_options *o);
void scanner_usage(FILE *out);
/* Bit (1u << enum finding_kind) per kind of finding the selection looks for. */
unsigned scanner_finding_kinds(unsigned selected);

/* The engines of one scan. */
struct scanner_set {
	unsigned selected;
	const struct rule_options *rules; /* the options', for the config checks */
	size_t max_config_entries;        /* the scan's --max-entries, for the project walk */
	struct secret_engine *secret;
	struct malware_engine *malware;
	struct content_scanner content[2];
};

/* Builds the engines the selection needs (compiling rules: errors name the
 * rule file) and points the scan options at them. */
int scanner_set_build(const struct scanner_options *o, struct scanner_set *s, struct scan_options *so,
		      struct berr *e);
void scanner_set_free(struct scanner_set *s);

#endif
