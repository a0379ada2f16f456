/* Placeholder until the command lands (work in progress). */
#include "cli/cli.h"

#include <stdio.h>

int cmd_watch(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "bosun: error: 'watch' is not available in this build yet\n");
	return 2;
}
