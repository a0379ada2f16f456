/* bosun image TARGET / bosun fs DIR: inventory a target, match it against
 * the advisory database, apply the policy (severity and status filters,
 * ignore file, VEX) and write a vulnerability report. With --exit-code N
 * the command fails with N when a reported finding remains: CI gating.
 * Everything after the inventory is the shared pipeline (vuln_pipeline.h),
 * which `bosun sbom FILE` runs too. */
#include "cli/cli.h"
#include "cli/scanners.h"
#include "cli/vuln_pipeline.h"
#include "scan/scan.h"
#include "util/log.h"
#include "vulndb/embedded.h"
#include "vulndb/path.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct image_args {
	struct scan_options scan;
	struct vuln_options vuln;
	struct scanner_options scanners;
	const char *prefix; /* "" or "fs:" */
	const char *target;
};

static void image_usage(FILE *out, const char *cmd)
{
	fprintf(out,
		"usage: bosun %s [OPTIONS] TARGET\n"
		"\n"
		"Scans TARGET for known vulnerabilities of its installed packages, secrets and\n"
		"malware in its files, and misconfigurations of the image (of a directory given\n"
		"as fs:DIR, or to `bosun fs`: also of its Dockerfiles, Kubernetes manifests and\n"
		"compose files), in one walk of its layers. TARGET is a docker-archive tarball,\n"
		"an OCI layout directory or tar, or a directory; a prefix forces the kind:\n"
		"   docker-archive:PATH  oci-dir:PATH  oci-archive:PATH  rootfs:DIR  fs:DIR\n"
		"(`bosun sbom FILE` matches a CycloneDX or SPDX SBOM the same way)\n"
		"\n",
		cmd);
	scanner_usage(out);
	vuln_usage(out);
	fprintf(out,
		"image:\n"
		"      --image REPO:TAG   which image of a multi-image archive or layout\n"
		"      --platform OS/ARCH[/VARIANT]  which manifest of an index (default: this host's)\n"
		"  -j, --jobs N           layers analysed in parallel (default: CPUs)\n"
		"      --max-image-size SIZE  total uncompressed bytes allowed (default 64G)\n"
		"      --max-file-size SIZE   one file's bytes allowed (default 16G)\n"
		"      --max-entries N        files allowed in the image (default 5000000)\n"
		"  -q, --quiet            no warnings or progress on stderr\n"
		"  -h, --help             this help\n"
		"\n"
		"exit codes: 0 ok (or findings without --exit-code), N findings with --exit-code N,\n"
		"2 usage, 3 unusable input or database, 4 limit exceeded, 5 I/O or internal error\n");
}

enum {
	OPT_IMAGE = 256,
	OPT_PLATFORM,
	OPT_MAX_IMAGE,
	OPT_MAX_FILE,
	OPT_MAX_ENTRIES,
};

static int set_limit(int opt, const char *arg, struct scan_options *s)
{
	uint64_t v;
	if (cli_parse_size(arg, &v) || v == 0) {
		fprintf(stderr, "bosun: invalid size '%s'\n", arg);
		return 2;
	}
	if (opt == OPT_MAX_IMAGE)
		s->image.limits.max_image_bytes = v;
	else if (opt == OPT_MAX_FILE)
		s->image.limits.max_file_bytes = v;
	else
		s->image.limits.max_entries = v;
	return 0;
}

static int parse_jobs(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 256) {
		fprintf(stderr, "bosun: --jobs must be between 1 and 256\n");
		return 2;
	}
	*out = (int)v;
	return 0;
}

/* One option; returns -1 to go on, else the exit code. */
static int one_option(int c, const char *cmd, struct image_args *a)
{
	int rc = vuln_option(c, optarg, &a->vuln);
	if (rc >= 0)
		return rc ? rc : -1;
	rc = scanner_option(c, optarg, &a->scanners);
	if (rc >= 0)
		return rc ? rc : -1;
	switch (c) {
	case OPT_IMAGE: a->scan.image.image_ref = optarg; break;
	case OPT_PLATFORM: a->scan.image.platform = optarg; break;
	case 'j': return parse_jobs(optarg, &a->scan.jobs) ? 2 : -1;
	case OPT_MAX_IMAGE:
	case OPT_MAX_FILE:
	case OPT_MAX_ENTRIES: return set_limit(c, optarg, &a->scan) ? 2 : -1;
	case 'q': log_set_quiet(true); break;
	case 'h': image_usage(stdout, cmd); return 0;
	default: image_usage(stderr, cmd); return 2;
	}
	return -1;
}

static int parse_args(int argc, char **argv, struct image_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		VULN_LONGOPTS,
		SCANNER_LONGOPTS,
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "platform", required_argument, NULL, OPT_PLATFORM },
		{ "jobs", required_argument, NULL, 'j' },
		{ "max-image-size", required_argument, NULL, OPT_MAX_IMAGE },
		{ "max-file-size", required_argument, NULL, OPT_MAX_FILE },
		{ "max-entries", required_argument, NULL, OPT_MAX_ENTRIES },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:j:qh", longopts, NULL)) != -1) {
		int rc = one_option(c, argv[0], a);
		if (rc >= 0)
			return rc;
	}
	if (optind != argc - 1) {
		image_usage(stderr, argv[0]);
		return 2;
	}
	a->target = argv[optind];
	if (vuln_options_check(&a->vuln) || scanner_options_check(&a->scanners))
		return 2;
	a->vuln.skip_vulns = !(a->scanners.selected & SCANNER_VULN);
	a->vuln.finding_kinds = scanner_finding_kinds(a->scanners.selected);
	return -1;
}

/* ---- the database ---------------------------------------------------------- */

/* The database used when --db is not given: the default cache path
 * (src/vulndb/path.h), built from the advisory snapshot embedded in bosun
 * when the file is missing (src/vulndb/embedded.h), so that `bosun image`
 * finds real vulnerabilities offline on a fresh machine. */
int cmd_image_default_db(char *path, size_t n, struct berr *e)
{
	TRY(vulndb_default_path(path, n, e));
	return vulndb_ensure_default(path, false, e);
}

/* ---- the run ----------------------------------------------------------------- */

static int scan_inventory(void *ctx, struct artifact *a, struct berr *e)
{
	struct image_args *args = ctx;
	char target[4096];
	snprintf(target, sizeof target, "%s%s", args->prefix, args->target);
	struct scanner_set set;
	int rc = scanner_set_build(&args->scanners, &set, &args->scan, e);
	if (!rc)
		rc = scan_target(target, &args->scan, a, e);
	scanner_set_free(&set);
	return rc;
}

static int run_image(int argc, char **argv, const char *prefix)
{
	struct image_args args;
	memset(&args, 0, sizeof args);
	scan_options_default(&args.scan);
	args.prefix = prefix;
	int code = parse_args(argc, argv, &args);
	if (code >= 0)
		return code;
	if ((code = rule_options_load(&args.scanners.rules)) >= 0)
		return code;
	code = vuln_pipeline_run(&args.vuln, scan_inventory, &args);
	rule_options_free(&args.scanners.rules);
	return code;
}

int cmd_image(int argc, char **argv) { return run_image(argc, argv, ""); }

int cmd_fs(int argc, char **argv) { return run_image(argc, argv, "fs:"); }

int cmd_rootfs(int argc, char **argv) { return run_image(argc, argv, "rootfs:"); }
