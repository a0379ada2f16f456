/* Dockerfile parser, after the Dockerfile reference and BuildKit's parser:
 * parser directives (# syntax=, # escape=, # check=, only at the top), line
 * continuations with the escape character (comment and empty lines inside a
 * continuation are dropped), heredocs for RUN/COPY/ADD (<<EOF, <<-EOF,
 * quoted delimiters, several per line), exec (JSON) form vs shell form (a
 * JSON array that does not parse is shell form), flags (--mount, --from,
 * --chown, --platform, ...), case-insensitive instructions and multi-stage
 * builds (FROM ... AS name; FROM naming an earlier stage; ARG defaults
 * before the first FROM resolve FROM references).
 *
 * Everything lives in the dockerfile's arena. Every instruction keeps the
 * lines it spans (first line through the last heredoc line). */
#ifndef BOSUN_MISCONFIG_DOCKERFILE_PARSE_H
#define BOSUN_MISCONFIG_DOCKERFILE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/* Limits: a Dockerfile is a small text file; anything beyond these is
 * refused with BOSUN_ELIMIT rather than parsed at any cost. */
#define DOCKERFILE_MAX_BYTES (8u << 20)        /* whole file */
#define DOCKERFILE_MAX_LOGICAL_LINE (1u << 20) /* one instruction after joining continuations */
#define DOCKERFILE_MAX_INSTRUCTIONS 100000u
#define DOCKERFILE_MAX_HEREDOCS 64u            /* per instruction */

enum df_cmd {
	DF_ADD,
	DF_ARG,
	DF_CMD,
	DF_COPY,
	DF_ENTRYPOINT,
	DF_ENV,
	DF_EXPOSE,
	DF_FROM,
	DF_HEALTHCHECK,
	DF_LABEL,
	DF_MAINTAINER,
	DF_ONBUILD,
	DF_RUN,
	DF_SHELL,
	DF_STOPSIGNAL,
	DF_USER,
	DF_VOLUME,
	DF_WORKDIR,
	DF_CMD_COUNT
};

const char *df_cmd_name(enum df_cmd c); /* "RUN" */

/* --name=value; value NULL for a bare --name. Quotes removed. */
struct df_flag {
	const char *name, *value;
};

struct df_heredoc {
	const char *name;  /* delimiter, unquoted */
	const char *body;  /* lines between, each ending in "\n"; leading tabs removed for <<- */
	bool chomp;        /* <<-EOF */
	bool quoted;       /* <<"EOF" / <<'EOF': no variable expansion in the body */
	unsigned line;     /* first body line */
};

/* ENV/LABEL key=value pairs and ARG name[=default]. value as written
 * (quotes and $references kept; see df_expand), NULL for an ARG without
 * default. */
struct df_kv {
	const char *key, *value;
};

struct df_instruction {
	enum df_cmd cmd;
	const char *keyword;  /* as written ("run") */
	unsigned line, end_line;
	int stage;            /* index into stages; -1 for ARGs before the first FROM */
	/* The arguments after the flags: continuations joined, comment lines
	 * inside them dropped, leading/trailing blanks trimmed. */
	const char *args;
	struct df_flag *flags;
	size_t nflags;
	/* RUN/CMD/ENTRYPOINT/COPY/ADD/VOLUME/SHELL and HEALTHCHECK CMD: true when
	 * written as a JSON array; argv holds its strings. For every other
	 * form, argv holds the whitespace-separated words of args. */
	bool json;
	const char **argv;
	size_t argc;
	struct df_kv *kv;     /* ENV, LABEL, ARG */
	size_t nkv;
	struct df_heredoc *heredocs;
	size_t nheredocs;
};

struct df_stage {
	size_t from;            /* index of the FROM instruction */
	size_t end;             /* one past the stage's last instruction */
	const char *image;      /* as written */
	/* After substituting the ARGs declared before the first FROM; NULL when
	 * it names an ARG without a default (decided only at build time). */
	const char *resolved;
	const char *name;       /* AS name, lower-cased; NULL when none */
	const char *platform;   /* --platform, NULL when none */
	int parent;             /* earlier stage this FROM builds on, -1 for an image */
};

struct dockerfile {
	struct arena arena;
	char escape;            /* '\\' or '`' */
	const char *syntax;     /* # syntax= directive, NULL when none */
	const char *check;      /* # check= directive, NULL when none */
	struct df_instruction *ins;
	size_t nins, cap_ins;
	struct df_stage *stages;
	size_t nstages, cap_stages;
	unsigned expand_budget; /* work df_expand may still do (bounds hostile files) */
};

/* Parses data. On error (BOSUN_EFORMAT: binary data, an unknown
 * instruction, an unterminated heredoc, an instruction before the first
 * FROM, no FROM; BOSUN_ELIMIT: the limits above) e says which line; df
 * must still be freed. */
int dockerfile_parse(const char *data, size_t n, struct dockerfile *df, struct berr *e);
void dockerfile_free(struct dockerfile *df);

/* The stage the image is built from (the last one), or NULL. */
const struct df_stage *dockerfile_final_stage(const struct dockerfile *df);
/* Whether stage s is the final stage or one it is built on (FROM chain). */
bool dockerfile_stage_in_final(const struct dockerfile *df, int s);

/* Expands $NAME, ${NAME}, ${NAME:-word} and ${NAME:+word} in word as the
 * builder would at instruction `at` (its stage's ARG and ENV values, ENV
 * inherited from the stage it builds on, ARG defaults before the first
 * FROM for FROM lines), and removes quotes. *unknown is set when a
 * referenced variable has no value known before the build (an ARG without
 * default, an unset name); *has_ref when word referenced any variable.
 * Result in df's arena; NULL on ENOMEM. */
const char *df_expand(struct dockerfile *df, size_t at, const char *word, bool *unknown, bool *has_ref);

/* The instruction that gives variable name its value at instruction `at`
 * (an instruction of a stage): an ENV of the stage or of a stage it builds
 * on, which always wins over an ARG of the same name, or else the stage's
 * ARG (whose value --build-arg may set). SIZE_MAX when none, and for FROM
 * lines and instructions before the first FROM. */
size_t df_var_origin(struct dockerfile *df, size_t at, const char *name, size_t nlen);

/* Value of flag name ("mount") of instruction i, the n-th such flag
 * (0-based); NULL when absent. *present tells a bare --name apart. */
const char *df_flag(const struct df_instruction *i, const char *name, size_t nth, bool *present);

#endif
