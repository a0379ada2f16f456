#include "cli/cli.h"
#include "util/version.h"

#include <stdio.h>

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("bosun %s\n", BOSUN_VERSION);
	return 0;
}
