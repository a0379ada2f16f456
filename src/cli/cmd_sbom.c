/* bosun sbom TARGET / bosun rootfs DIR: inventory a target and write an SBOM. */
#include "cli/cli.h"
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
		"  -h, --help             this help\n"
		"\n"
		"exit codes: 0 ok, 2 usage, 3 unusable input, 4 limit exceeded, 5 I/O or internal error\n",
		cmd, sbom_format_names());
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

static int run(int argc, char **argv, const char *prefix)
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
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scan_options opt;
	scan_options_default(&opt);
	const char *format = NULL, *output = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:j:qh", longopts, NULL)) != -1) {
		uint64_t v;
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case OPT_IMAGE: opt.image.image_ref = optarg; break;
		case OPT_PLATFORM: opt.image.platform = optarg; break;
		case 'j':
			opt.jobs = atoi(optarg);
			if (opt.jobs <= 0 || opt.jobs > 256) {
				fprintf(stderr, "bosun: --jobs must be between 1 and 256\n");
				return 2;
			}
			break;
		case OPT_MAX_IMAGE:
		case OPT_MAX_FILE:
		case OPT_MAX_ENTRIES:
			if (cli_parse_size(optarg, &v) || v == 0) {
				fprintf(stderr, "bosun: invalid size '%s'\n", optarg);
				return 2;
			}
			if (c == OPT_MAX_IMAGE)
				opt.image.limits.max_image_bytes = v;
			else if (c == OPT_MAX_FILE)
				opt.image.limits.max_file_bytes = v;
			else
				opt.image.limits.max_entries = v;
			break;
		case 'q': log_set_quiet(true); break;
		case 'h': sbom_usage(stdout, argv[0]); return 0;
		default: sbom_usage(stderr, argv[0]); return 2;
		}
	}
	if (optind != argc - 1) {
		sbom_usage(stderr, argv[0]);
		return 2;
	}
	enum sbom_format fmt;
	if (!format)
		fmt = (!output && isatty(STDOUT_FILENO)) ? SBOM_TABLE : SBOM_CYCLONEDX;
	else if (sbom_format_parse(format, &fmt)) {
		fprintf(stderr, "bosun: unknown format '%s' (one of: %s)\n", format, sbom_format_names());
		return 2;
	}
	char target[4096];
	snprintf(target, sizeof target, "%s%s", prefix, argv[optind]);

	struct artifact a;
	artifact_init(&a);
	struct berr e = { 0 };
	int rc = scan_target(target, &opt, &a, &e);
	if (rc) {
		log_error("%s", e.msg[0] ? e.msg : bosun_strerror(rc));
		artifact_free(&a);
		return bosun_exit_code(rc);
	}
	FILE *out = stdout;
	if (output && !(out = fopen(output, "w"))) {
		log_error("cannot write %s: %s", output, strerror(errno));
		artifact_free(&a);
		return bosun_exit_code(BOSUN_EIO);
	}
	rc = sbom_write(&a, fmt, out, &e);
	if (out != stdout && fclose(out) != 0 && !rc)
		rc = berr_set(&e, BOSUN_EIO, "cannot write %s", output);
	if (rc)
		log_error("%s", e.msg[0] ? e.msg : bosun_strerror(rc));
	artifact_free(&a);
	return bosun_exit_code(rc);
}

int cmd_sbom(int argc, char **argv) { return run(argc, argv, ""); }

int cmd_rootfs(int argc, char **argv) { return run(argc, argv, "rootfs:"); }
