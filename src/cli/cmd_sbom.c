/* bosun sbom TARGET / bosun rootfs DIR: inventory a target and write an
 * SBOM. bosun sbom FILE, when FILE is a CycloneDX or SPDX JSON document
 * (bosun's, Trivy's, Syft's, ...), reads it back instead and runs the
 * vulnerability pipeline of `bosun image` on it (vuln_pipeline.h). */
#include "cli/cli.h"
#include "cli/vuln_pipeline.h"
#include "sbom/read.h"
#include "sbom/writer.h"
#include "scan/scan.h"
#include "util/log.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void sbom_usage(FILE *out, const char *cmd)
{
	bool rootfs = strcmp(cmd, "rootfs") == 0;
	fprintf(out,
		"usage: bosun %s [OPTIONS] TARGET\n"
		"\n"
		"TARGET is a docker-archive tarball (docker save), an OCI layout directory or tar,\n"
		"or a directory holding a root filesystem; a prefix forces the kind:\n"
		"  docker-archive:PATH  oci-dir:PATH  oci-archive:PATH  rootfs:DIR  fs:DIR\n"
		"\n"
		"options:\n"
		"  -f, --format FMT       %s (default: table on a terminal, else cyclonedx)\n"
		"  -o, --output FILE      write the SBOM to FILE instead of stdout\n"
		"      --image REPO:TAG   which image of a multi-image archive or layout\n"
		"      --platform OS/ARCH[/VARIANT]  which manifest of an index (default: this host's)\n"
		"  -j, --jobs N           layers analysed in parallel (default: CPUs)\n"
		"      --max-image-size SIZE  total uncompressed bytes allowed (default 64G)\n"
		"      --max-file-size SIZE   one file's bytes allowed (default 16G)\n"
		"      --max-entries N        files allowed in the image (default 5000000)\n"
		"  -q, --quiet            no warnings or progress on stderr\n"
		"  -h, --help             this help\n",
		cmd, sbom_format_names());
	if (!rootfs) {
		fprintf(out,
			"\n"
			"usage: bosun sbom [OPTIONS] SBOM\n"
			"\n"
			"A CycloneDX (1.2-1.7) or SPDX 2.x JSON file, from bosun, Trivy, Syft or others (or\n"
			"any file given as cyclonedx:FILE or spdx:FILE), is read back instead: its packages are\n"
			"matched against the vulnerability database as `bosun image` does, with its options:\n"
			"\n");
		vuln_usage(out);
	}
	fprintf(out, "\nexit codes: 0 ok (or findings without --exit-code), N findings with --exit-code N,\n"
		     "2 usage, 3 unusable input, 4 limit exceeded, 5 I/O or internal error\n");
}

/* "512M", "64G", "1000" -> bytes. */
int cli_parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	unsigned shift = 0;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: return -1;
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

enum { OPT_IMAGE = 256, OPT_PLATFORM, OPT_MAX_IMAGE, OPT_MAX_FILE, OPT_MAX_ENTRIES };

struct sbom_args {
	struct scan_options scan;
	struct vuln_options vuln;  /* used when TARGET is an SBOM */
	const char *format, *output;
	const char *image_opt;     /* the first image-only option given, for messages */
	const char *target;
};

static int set_limit(int c, const char *arg, struct scan_options *opt)
{
	uint64_t v;
	if (cli_parse_size(arg, &v) || v == 0) {
		fprintf(stderr, "bosun: invalid size '%s'\n", arg);
		return 2;
	}
	if (c == OPT_MAX_IMAGE)
		opt->image.limits.max_image_bytes = v;
	else if (c == OPT_MAX_FILE)
		opt->image.limits.max_file_bytes = v;
	else
		opt->image.limits.max_entries = v;
	return 0;
}

/* Options for scanning an image; returns -1 to go on, else the exit code. */
static int image_option(int c, const char *cmd, struct sbom_args *a)
{
	switch (c) {
	case OPT_IMAGE: a->scan.image.image_ref = optarg; a->image_opt = "--image"; break;
	case OPT_PLATFORM: a->scan.image.platform = optarg; a->image_opt = "--platform"; break;
	case 'j':
		a->scan.jobs = atoi(optarg);
		a->image_opt = "--jobs";
		if (a->scan.jobs <= 0 || a->scan.jobs > 256) {
			fprintf(stderr, "bosun: --jobs must be between 1 and 256\n");
			return 2;
		}
		break;
	case OPT_MAX_IMAGE:
	case OPT_MAX_FILE:
	case OPT_MAX_ENTRIES:
		a->image_opt = c == OPT_MAX_IMAGE ? "--max-image-size" : c == OPT_MAX_FILE ? "--max-file-size"
											    : "--max-entries";
		return set_limit(c, optarg, &a->scan) ? 2 : -1;
	case 'q': log_set_quiet(true); break;
	case 'h': sbom_usage(stdout, cmd); return 0;
	default: sbom_usage(stderr, cmd); return 2;
	}
	return -1;
}

static int one_option(int c, const char *cmd, struct sbom_args *a)
{
	if (c == 'f' || c == 'o') {
		*(c == 'f' ? &a->format : &a->output) = optarg;
		return -1;
	}
	int rc = vuln_option(c, optarg, &a->vuln);
	if (rc >= 0)
		return rc ? rc : -1;
	return image_option(c, cmd, a);
}

static int parse_args(int argc, char **argv, struct sbom_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "platform", required_argument, NULL, OPT_PLATFORM },
		{ "jobs", required_argument, NULL, 'j' },
		{ "max-image-size", required_argument, NULL, OPT_MAX_IMAGE },
		{ "max-file-size", required_argument, NULL, OPT_MAX_FILE },
		{ "max-entries", required_argument, NULL, OPT_MAX_ENTRIES },
		VULN_LONGOPTS,
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
		sbom_usage(stderr, argv[0]);
		return 2;
	}
	a->target = argv[optind];
	return -1;
}

/* ---- writing an SBOM ------------------------------------------------------------ */

static int write_sbom(const struct sbom_args *args, const char *prefix)
{
	if (vuln_options_given(&args->vuln)) {
		fprintf(stderr, "bosun: --db, --severity, --ignore-*, --vex and --exit-code apply when TARGET is an SBOM "
				"to match (CycloneDX or SPDX JSON); use `bosun image` to scan an image\n");
		return 2;
	}
	enum sbom_format fmt;
	if (!args->format)
		fmt = (!args->output && isatty(STDOUT_FILENO)) ? SBOM_TABLE : SBOM_CYCLONEDX;
	else if (sbom_format_parse(args->format, &fmt)) {
		fprintf(stderr, "bosun: unknown format '%s' (one of: %s)\n", args->format, sbom_format_names());
		return 2;
	}
	char target[4096];
	snprintf(target, sizeof target, "%s%s", prefix, args->target);

	struct artifact a;
	artifact_init(&a);
	struct berr e = { 0 };
	int rc = scan_target(target, &args->scan, &a, &e);
	if (rc) {
		log_error("%s", e.msg[0] ? e.msg : bosun_strerror(rc));
		artifact_free(&a);
		return bosun_exit_code(rc);
	}
	FILE *out = stdout;
	if (args->output && !(out = fopen(args->output, "w"))) {
		log_error("cannot write %s: %s", args->output, strerror(errno));
		artifact_free(&a);
		return bosun_exit_code(BOSUN_EIO);
	}
	rc = sbom_write(&a, fmt, out, &e);
	if (out != stdout && fclose(out) != 0 && !rc)
		rc = berr_set(&e, BOSUN_EIO, "cannot write %s", args->output);
	if (rc)
		log_error("%s", e.msg[0] ? e.msg : bosun_strerror(rc));
	artifact_free(&a);
	return bosun_exit_code(rc);
}

/* ---- matching an SBOM ------------------------------------------------------------- */

struct sbom_input_ctx {
	const char *path;
	enum sbom_input kind;
};

static int read_inventory(void *ctx, struct artifact *a, struct berr *e)
{
	const struct sbom_input_ctx *in = ctx;
	return sbom_read_file(in->path, in->kind, a, e);
}

static int match_sbom(struct sbom_args *args, const char *path, enum sbom_input kind)
{
	if (args->image_opt) {
		fprintf(stderr, "bosun: %s applies to images, not to an SBOM (%s)\n", args->image_opt, args->target);
		return 2;
	}
	args->vuln.format = args->format;
	args->vuln.output = args->output;
	if (vuln_options_check(&args->vuln))
		return 2;
	struct sbom_input_ctx in = { path, kind };
	return vuln_pipeline_run(&args->vuln, read_inventory, &in);
}

static int run(int argc, char **argv, const char *prefix)
{
	struct sbom_args args;
	memset(&args, 0, sizeof args);
	scan_options_default(&args.scan);
	int code = parse_args(argc, argv, &args);
	if (code >= 0)
		return code;
	enum sbom_input kind;
	const char *path;
	if (!prefix[0] && sbom_read_detect(args.target, &kind, &path))
		return match_sbom(&args, path, kind);
	return write_sbom(&args, prefix);
}

int cmd_sbom(int argc, char **argv) { return run(argc, argv, ""); }

