#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct cli_command commands[] = {
	{ "image", "scan an image (or rootfs:DIR, fs:DIR) for known vulnerabilities", cmd_image },
	{ "fs", "scan a directory for known vulnerabilities (same as image fs:DIR)", cmd_fs },
	{ "sbom", "write an SBOM of an image or directory, or match an SBOM file (CycloneDX, SPDX)", cmd_sbom },
	{ "rootfs", "scan a root filesystem for known vulnerabilities (same as image rootfs:DIR)", cmd_rootfs },
	{ "config", "check Dockerfiles, Kubernetes manifests and compose files for misconfigurations", cmd_config },
	{ "k8s", "analyse Kubernetes manifests as one cluster (k8s PATH, k8s netpol PATH)", cmd_k8s },
	{ "watch", "watch directories and report malware and secrets in files as they change", cmd_watch },
	{ "vercmp", "compare versions or test a constraint, as the matcher does", cmd_vercmp },
	{ "db", "build, update or describe the vulnerability database (db build, db update, db info)", cmd_db },
	{ "version", "print the version", cmd_version },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: bosun COMMAND [OPTIONS] [TARGET]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'bosun COMMAND --help' for a command's options.\n");
}

int cli_main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "bosun: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
