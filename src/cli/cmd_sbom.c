/* TEMPORARY: replaced by the real command shortly. */
#include "cli/cli.h"
int cmd_sbom(int argc, char **argv) { (void)argc; (void)argv; return 5; }
int cmd_rootfs(int argc, char **argv) { (void)argc; (void)argv; return 5; }
