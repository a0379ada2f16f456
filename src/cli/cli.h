/* Subcommands. Each lives in its own file and registers in cli.c's table. */
#ifndef BOSUN_CLI_CLI_H
#define BOSUN_CLI_CLI_H

int cli_main(int argc, char **argv);

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the command name; returns exit code */
};

int cmd_sbom(int argc, char **argv);
int cmd_rootfs(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif
