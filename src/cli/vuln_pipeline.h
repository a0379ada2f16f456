/* The vulnerability pipeline that `bosun image`, `bosun fs` and
 * `bosun sbom FILE` share: load the policy, open the database, take an
 * inventory (the caller's: a scanned target or an SBOM read back), match,
 * apply the policy, write the report and gate. Its options are parsed
 * here too, so that every command spells them the same way. */
#ifndef BOSUN_CLI_VULN_PIPELINE_H
#define BOSUN_CLI_VULN_PIPELINE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report/report.h"
#include "sbom/artifact.h"
#include "util/err.h"

#define VULN_MAX_VEX 16

struct vuln_options {
	const char *format, *output, *db, *severity, *statuses, *ignorefile;
	const char *vex[VULN_MAX_VEX];
	size_t nvex;
	bool ignore_unfixed;
	int exit_code;             /* 0: findings do not fail the command */
	/* No vulnerability scan: no database is opened and nothing matched;
	 * the report holds the inventory's other findings (a->findings) only
	 * (`--scanners` without vuln, `bosun config`, `bosun k8s`). */
	bool skip_vulns;
	/* Bit (1u << enum finding_kind) per kind whose scanner ran, so the
	 * report can say "no secrets found" rather than nothing. */
	unsigned finding_kinds;
	enum report_format fmt;    /* from format, by vuln_options_check() */
};

/* getopt_long values of the pipeline's long options (above any short
 * option and any command's own values). */
enum {
	VULN_OPT_DB = 512,
	VULN_OPT_SEVERITY,
	VULN_OPT_EXIT_CODE,
	VULN_OPT_IGNORE_UNFIXED,
	VULN_OPT_IGNORE_STATUS,
	VULN_OPT_IGNOREFILE,
	VULN_OPT_VEX,
};

/* The pipeline's entries of a command's struct option table (-f and -o
 * are the command's own, since `bosun sbom` gives them two meanings). */
#define VULN_LONGOPTS                                                                          \
	{ "db", required_argument, NULL, VULN_OPT_DB },                                        \
	{ "severity", required_argument, NULL, VULN_OPT_SEVERITY },                            \
	{ "exit-code", required_argument, NULL, VULN_OPT_EXIT_CODE },                          \
	{ "ignore-unfixed", no_argument, NULL, VULN_OPT_IGNORE_UNFIXED },                      \
	{ "ignore-status", required_argument, NULL, VULN_OPT_IGNORE_STATUS },                  \
	{ "ignorefile", required_argument, NULL, VULN_OPT_IGNOREFILE },                        \
	{ "vex", required_argument, NULL, VULN_OPT_VEX }

/* Takes one option: 0 when taken, 2 after printing why its value is bad,
 * -1 when c is not one of the pipeline's. 'f' and 'o' set the report
 * format and output. */
int vuln_option(int c, const char *arg, struct vuln_options *o);
/* True when any option of the pipeline (other than -f/-o) was given. */
bool vuln_options_given(const struct vuln_options *o);
/* Resolves format (default "table") into fmt; 2 with a message if unknown. */
int vuln_options_check(struct vuln_options *o);
/* The usage lines of the report and policy options. */
void vuln_usage(FILE *out);

/* Fills a (initialized by the pipeline) with the inventory to match. */
typedef int (*vuln_inventory_fn)(void *ctx, struct artifact *a, struct berr *e);

/* Runs the pipeline and returns the process exit code: the error's code,
 * o->exit_code when a reported finding remains, else 0. */
int vuln_pipeline_run(const struct vuln_options *o, vuln_inventory_fn inventory, void *ctx);

#endif
