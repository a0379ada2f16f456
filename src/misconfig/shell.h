/* Just enough of POSIX shell syntax to see which commands a RUN line (or an
 * image history entry) runs: simple commands split at ; && || & | and
 * newlines, quotes and escapes removed, comments and redirections dropped,
 * $(...) / `...` / <(...) kept whole inside their word. Not a shell: no
 * expansion, no control flow; compound commands are read as the simple
 * commands they contain. */
#ifndef BOSUN_MISCONFIG_SHELL_H
#define BOSUN_MISCONFIG_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

struct sh_cmd {
	/* The words after leading VAR=value assignments, reserved words (if,
	 * then, do, !, {) and wrappers (sudo, env, nohup, exec, command, time). */
	const char **argv;
	size_t argc;
	const char *name;     /* basename of argv[0] ("apt-get" for /usr/bin/apt-get) */
	unsigned pipeline;    /* commands joined by | share the number */
	bool sudo;            /* run through sudo */
};

#define SH_MAX_COMMANDS 4096u

/* Splits script into commands (at most SH_MAX_COMMANDS; the rest are
 * ignored). Everything lives in a. BOSUN_OK or BOSUN_ENOMEM. */
int sh_parse(struct arena *a, const char *script, size_t n, struct sh_cmd **out, size_t *count);

/* Whether name is a shell or script interpreter (sh, bash, dash, zsh, ash,
 * ksh, python*, perl, ruby, node). */
bool sh_is_interpreter(const char *name);

#endif
