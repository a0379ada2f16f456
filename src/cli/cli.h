/* Subcommands. Each lives in its own file and registers in cli.c's table. */
#ifndef BOSUN_CLI_CLI_H
#define BOSUN_CLI_CLI_H

#include <stdint.h>

int cli_main(int argc, char **argv);

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the command name; returns exit code */
};

int cmd_sbom(int argc, char **argv);
int cmd_image(int argc, char **argv);
int cmd_fs(int argc, char **argv);
int cmd_rootfs(int argc, char **argv);
int cmd_vercmp(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_db_update(int argc, char **argv); /* bosun db update (cmd_db_update.c) */
int cmd_version(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_k8s(int argc, char **argv);
int cmd_watch(int argc, char **argv);
/* `bosun k8s netpol ...` (argv[0] = "netpol"), called by cmd_k8s. */
int cmd_k8s_netpol(int argc, char **argv);

/* The vulnerability database path used without --db (cmd_image.c): the
 * hook where an embedded default database gets built on first use. */
#include <stddef.h>
#include "util/err.h"
int cmd_image_default_db(char *path, size_t n, struct berr *e);

/* "512M", "64G", "1000" -> bytes; -1 when malformed (cmd_sbom.c). */
int cli_parse_size(const char *s, uint64_t *out);

#endif
