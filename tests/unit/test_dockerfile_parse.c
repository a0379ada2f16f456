/* Dockerfile parser: each grammar feature with the lines it must report,
 * variable expansion and stages, and hostile input (huge, binary, invalid
 * UTF-8, unterminated heredocs, a million continuation lines). */
#include "testutil.h"

#include <sys/resource.h>

#include "misconfig/dockerfile_parse.h"
#include "misconfig/shell.h"

static struct dockerfile df;

static int teardown(void **state)
{
	(void)state;
	dockerfile_free(&df);
	return 0;
}

static void parse_ok(const char *text)
{
	struct berr e = { 0 };
	int rc = dockerfile_parse(text, strlen(text), &df, &e);
	if (rc)
		fail_msg("parse failed: %s", e.msg);
}

static int parse_err(const char *text, size_t n, struct berr *e)
{
	dockerfile_free(&df); /* a document an earlier parse_ok left */
	memset(e, 0, sizeof *e);
	int rc = dockerfile_parse(text, n, &df, e);
	dockerfile_free(&df);
	return rc;
}

static void test_continuations_and_comments(void **state)
{
	(void)state;
	parse_ok("# a comment\n"
		 "\n"
		 "FROM debian:12 AS Base\n"            /* 3 */
		 "RUN apt-get update && \\\n"          /* 4 */
		 "    # comment inside the continuation\n"
		 "\n"
		 "    apt-get install -y curl \\  \n"  /* escape followed by blanks still continues */
		 "    && echo done\n"                   /* 8 */
		 "  run echo lower   \n");              /* 9: case-insensitive, leading blanks */
	assert_int_equal(df.nins, 3);
	assert_int_equal(df.ins[1].cmd, DF_RUN);
	assert_int_equal(df.ins[1].line, 4);
	assert_int_equal(df.ins[1].end_line, 8);
	assert_string_equal(df.ins[1].args, "apt-get update &&     apt-get install -y curl     && echo done");
	assert_false(df.ins[1].json);
	assert_int_equal(df.ins[2].cmd, DF_RUN);
	assert_string_equal(df.ins[2].keyword, "run");
	assert_int_equal(df.ins[2].line, 9);
	assert_string_equal(df.ins[2].args, "echo lower");
	assert_int_equal(df.nstages, 1);
	assert_string_equal(df.stages[0].name, "base"); /* stage names are lower-cased */
}

static void test_directives(void **state)
{
	(void)state;
	parse_ok("# syntax=docker/dockerfile:1.7\n"
		 "#  ESCAPE = `\n"
		 "# check=skip=all\n"
		 "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
		 "RUN dir c:\\ `\n"
		 "    && echo ok\n");
	assert_string_equal(df.syntax, "docker/dockerfile:1.7");
	assert_string_equal(df.check, "skip=all");
	assert_int_equal(df.escape, '`');
	assert_int_equal(df.nins, 2);
	assert_string_equal(df.ins[1].args, "dir c:\\     && echo ok");
	assert_int_equal(df.ins[1].end_line, 6);
	dockerfile_free(&df);

	/* after a comment, directives are ordinary comments */
	parse_ok("# hello\n# escape=`\nFROM x:1\nRUN a \\\n b\n");
	assert_int_equal(df.escape, '\\');
	assert_string_equal(df.ins[1].args, "a  b");
	dockerfile_free(&df);
	/* and after an instruction too */
	parse_ok("FROM x:1\n# syntax=foo\nRUN b\n");
	assert_null(df.syntax);
	dockerfile_free(&df);

	struct berr e;
	assert_int_equal(parse_err("# escape=$\nFROM x\n", 18, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "escape"));
}

static void test_heredocs(void **state)
{
	(void)state;
	parse_ok("FROM alpine:3.19\n"
		 "RUN <<EOF1 cat >/a && sh <<-'EOF2'\n" /* 2 */
		 "line $A\n"
		 "EOF1\n"
		 "\t\techo tab-stripped\n"
		 "\tEOF2\n"                              /* 6 */
		 "COPY <<\"END\" /etc/motd\n"             /* 7 */
		 "hello\n"
		 "  END\n"                               /* not the delimiter: leading blanks */
		 "END\n"                                 /* 10 */
		 "RUN [\"sh\", \"-c\", \"cat <<EOF\"]\n");  /* 11: JSON form has no heredocs */
	assert_int_equal(df.nins, 4);
	const struct df_instruction *run = &df.ins[1];
	assert_int_equal(run->line, 2);
	assert_int_equal(run->end_line, 6);
	assert_int_equal(run->nheredocs, 2);
	assert_string_equal(run->heredocs[0].name, "EOF1");
	assert_false(run->heredocs[0].quoted);
	assert_false(run->heredocs[0].chomp);
	assert_string_equal(run->heredocs[0].body, "line $A\n");
	assert_int_equal(run->heredocs[0].line, 3);
	assert_string_equal(run->heredocs[1].name, "EOF2");
	assert_true(run->heredocs[1].quoted);
	assert_true(run->heredocs[1].chomp);
	assert_string_equal(run->heredocs[1].body, "echo tab-stripped\n");
	const struct df_instruction *copy = &df.ins[2];
	assert_int_equal(copy->cmd, DF_COPY);
	assert_int_equal(copy->line, 7);
	assert_int_equal(copy->end_line, 10);
	assert_int_equal(copy->nheredocs, 1);
	assert_true(copy->heredocs[0].quoted);
	assert_string_equal(copy->heredocs[0].body, "hello\n  END\n");
	assert_true(df.ins[3].json);
	assert_int_equal(df.ins[3].nheredocs, 0);
	assert_int_equal(df.ins[3].line, 11);

	struct berr e;
	const char *bad = "FROM a:1\nRUN <<EOF\necho never ends\n";
	assert_int_equal(parse_err(bad, strlen(bad), &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "unterminated heredoc <<EOF"));
	assert_non_null(strstr(e.msg, "line 2"));
}

static void test_exec_and_shell_form(void **state)
{
	(void)state;
	parse_ok("FROM a:1\n"
		 "CMD [\"/bin/app\", \"--flag=\\\"x\\\"\"]\n"
		 "ENTRYPOINT ['single', 'quotes']\n"
		 "CMD [\"ok\", 1]\n"
		 "RUN [ \"a\" , \\\n"
		 "     \"b\" ]\n"
		 "SHELL [\"powershell\", \"-Command\"]\n"
		 "HEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://x\"]\n"
		 "HEALTHCHECK NONE\n");
	assert_true(df.ins[1].json);
	assert_int_equal(df.ins[1].argc, 2);
	assert_string_equal(df.ins[1].argv[1], "--flag=\"x\"");
	assert_false(df.ins[2].json); /* not JSON: shell form */
	assert_false(df.ins[3].json); /* not an array of strings */
	assert_true(df.ins[4].json); /* JSON split over a continuation */
	assert_int_equal(df.ins[4].argc, 2);
	assert_true(df.ins[5].json);
	assert_true(df.ins[6].json);
	assert_string_equal(df.ins[6].argv[0], "curl");
	assert_string_equal(df_flag(&df.ins[6], "interval", 0, NULL), "5s");
	assert_false(df.ins[7].json);
	assert_string_equal(df.ins[7].argv[0], "NONE");
}

static void test_flags(void **state)
{
	(void)state;
	parse_ok("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
		 "RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=secret,id=npm --network=none go build\n"
		 "COPY --from=build --chown=app:app --link /out /app\n"
		 "RUN --privileged -- --not-a-flag\n");
	assert_string_equal(df.stages[0].platform, "$BUILDPLATFORM");
	assert_int_equal(df.ins[1].nflags, 3);
	bool present;
	assert_string_equal(df_flag(&df.ins[1], "mount", 1, &present), "type=secret,id=npm");
	assert_true(present);
	assert_null(df_flag(&df.ins[1], "mount", 2, &present));
	assert_false(present);
	assert_string_equal(df.ins[1].args, "go build");
	assert_null(df_flag(&df.ins[2], "link", 0, &present));
	assert_true(present); /* bare flag */
	assert_string_equal(df_flag(&df.ins[2], "from", 0, NULL), "build");
	assert_string_equal(df.ins[2].argv[0], "/out");
	assert_string_equal(df.ins[3].args, "--not-a-flag");
}

static void test_env_arg_label(void **state)
{
	(void)state;
	parse_ok("ARG BASE=debian\n"
		 "FROM ${BASE}:12\n"
		 "ENV A=1 B=\"two words\" C='$A'\n"
		 "ENV LEGACY value with  spaces\n"
		 "LABEL \"com.example.key\"=\"v\" other=x\n"
		 "ARG X Y=2\n");
	assert_string_equal(df.stages[0].resolved, "debian:12");
	const struct df_instruction *env = &df.ins[2];
	assert_int_equal(env->nkv, 3);
	assert_string_equal(env->kv[1].key, "B");
	assert_string_equal(env->kv[1].value, "\"two words\"");
	assert_string_equal(df.ins[3].kv[0].key, "LEGACY");
	assert_string_equal(df.ins[3].kv[0].value, "value with  spaces");
	assert_string_equal(df.ins[4].kv[0].key, "com.example.key");
	assert_int_equal(df.ins[5].nkv, 2);
	assert_null(df.ins[5].kv[0].value);
	assert_string_equal(df.ins[5].kv[1].value, "2");

	struct berr e;
	assert_int_equal(parse_err("FROM a\nENV NOVALUE\n", 19, &e), BOSUN_EFORMAT);
	assert_int_equal(parse_err("FROM a\nENV A=1 B\n", 17, &e), BOSUN_EFORMAT);
}

static void test_stages_and_expansion(void **state)
{
	(void)state;
	parse_ok("ARG TAG=3.19\n"                          /* 0 */
		 "ARG NODEF\n"                               /* 1 */
		 "FROM alpine:${TAG} AS base\n"              /* 2 */
		 "ENV HOME_DIR=/home/app USERNAME=app\n"     /* 3 */
		 "ARG TAG\n"                                 /* 4: imports the global default */
		 "FROM base AS child\n"                      /* 5 */
		 "ENV WHO=${USERNAME}\n"                     /* 6: ENV inherited from base */
		 "FROM ${NODEF}:1 AS unknown\n"              /* 7 */
		 "FROM CHILD\n"                              /* 8: stage names are case-insensitive */
		 "USER $WHO\n");                             /* 9 */
	assert_int_equal(df.nstages, 4);
	assert_string_equal(df.stages[0].resolved, "alpine:3.19");
	assert_int_equal(df.stages[0].parent, -1);
	assert_int_equal(df.stages[1].parent, 0);
	assert_null(df.stages[2].resolved);
	assert_int_equal(df.stages[3].parent, 1);
	assert_true(dockerfile_stage_in_final(&df, 0));
	assert_true(dockerfile_stage_in_final(&df, 1));
	assert_false(dockerfile_stage_in_final(&df, 2));
	assert_int_equal(df.stages[0].from, 2);
	assert_int_equal(df.stages[0].end, 5);

	bool unknown, ref;
	assert_string_equal(df_expand(&df, 9, "$WHO:${HOME_DIR:-/x}", &unknown, &ref), "app:/home/app");
	assert_false(unknown);
	assert_true(ref);
	/* ARGs do not cross into a child stage: TAG is unknown in "child" */
	df_expand(&df, 6, "$TAG", &unknown, &ref);
	assert_true(unknown);
	/* but inside "base", ARG TAG imported the global default */
	assert_string_equal(df_expand(&df, 5, "${TAG}", &unknown, &ref), "3.19");
	assert_false(unknown);
	assert_string_equal(df_expand(&df, 9, "${UNSET:-fallback}/${UNSET:+alt}x", &unknown, &ref), "fallback/x");
	assert_true(unknown); /* ${UNSET:+alt} cannot be decided */
	assert_string_equal(df_expand(&df, 9, "'$WHO' \"$WHO\" \\$WHO", &unknown, &ref), "$WHO app $WHO");
	assert_false(unknown);
	df_expand(&df, 9, "${WHO#prefix}", &unknown, &ref);
	assert_true(unknown);
}

static void test_structure_errors(void **state)
{
	(void)state;
	struct berr e;
	assert_int_equal(parse_err("", 0, &e), BOSUN_EFORMAT);
	assert_int_equal(parse_err("# only a comment\n\n", 18, &e), BOSUN_EFORMAT);
	assert_int_equal(parse_err("RUN echo\nFROM x\n", 16, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "before the first FROM"));
	assert_int_equal(parse_err("ARG A=1\n", 8, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "no FROM"));
	assert_int_equal(parse_err("FROM a b c d\n", 13, &e), BOSUN_EFORMAT);
	assert_int_equal(parse_err("FROM\n", 5, &e), BOSUN_EFORMAT);
}

static void test_hostile_binary_and_utf8(void **state)
{
	(void)state;
	struct berr e;
	const char bin[] = "FROM a\nRUN x\0\x01\x02garbage";
	assert_int_equal(parse_err(bin, sizeof bin - 1, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "line 2"));
	assert_non_null(strstr(e.msg, "NUL"));
	/* random high bytes: an unknown instruction, reported with clean text */
	const char junk[] = "\xff\xfe\x80\xc3 FROM\n";
	assert_int_equal(parse_err(junk, sizeof junk - 1, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "unknown instruction \"????\""));
	/* invalid UTF-8 inside arguments is kept as bytes; a BOM is skipped */
	parse_ok("\xEF\xBB\xBF" "FROM a:1\nRUN echo \xff\xfe\n");
	assert_int_equal(df.nins, 2);
	assert_int_equal(df.ins[0].line, 1);
}

static void test_hostile_sizes(void **state)
{
	(void)state;
	struct berr e;
	/* 100k continuation lines: one instruction with the right lines */
	size_t n = 1000000;
	char *big = malloc(16 + n * 4);
	assert_non_null(big);
	size_t k = (size_t)sprintf(big, "FROM a\nRUN ");
	for (size_t i = 0; i < n / 10; i++) {
		memcpy(big + k, "x \\\n", 4);
		k += 4;
	}
	k += (size_t)sprintf(big + k, "y\n");
	assert_int_equal(dockerfile_parse(big, k, &df, &e), BOSUN_OK);
	assert_int_equal(df.nins, 2);
	assert_int_equal(df.ins[1].line, 2);
	assert_int_equal(df.ins[1].end_line, n / 10 + 2);
	dockerfile_free(&df);
	/* a million: past the instruction length limit, refused in linear time */
	k = (size_t)sprintf(big, "FROM a\nRUN ");
	for (size_t i = 0; i < n; i++) {
		memcpy(big + k, "x \\\n", 4);
		k += 4;
	}
	assert_int_equal(parse_err(big, k, &e), BOSUN_ELIMIT);
	assert_non_null(strstr(e.msg, "line 2: instruction longer than"));
	/* one huge line, no continuations: the same limit */
	char *huge = malloc(DOCKERFILE_MAX_BYTES + 2);
	assert_non_null(huge);
	k = (size_t)sprintf(huge, "FROM a\nRUN ");
	memset(huge + k, 'q', DOCKERFILE_MAX_LOGICAL_LINE + 1);
	k += DOCKERFILE_MAX_LOGICAL_LINE + 1;
	huge[k++] = '\n';
	assert_int_equal(parse_err(huge, k, &e), BOSUN_ELIMIT);
	/* a large file of normal lines is fine */
	k = (size_t)sprintf(huge, "FROM a\n");
	while (k + 200 < DOCKERFILE_MAX_BYTES) { /* about 84000 instructions */
		memcpy(huge + k, "RUN echo ", 9);
		memset(huge + k + 9, 'w', 90);
		huge[k + 99] = '\n';
		k += 100;
	}
	assert_int_equal(parse_err(huge, k, &e), BOSUN_OK);
	/* too big a file */
	memset(huge, 'a', DOCKERFILE_MAX_BYTES + 1);
	assert_int_equal(parse_err(huge, (size_t)DOCKERFILE_MAX_BYTES + 1, &e), BOSUN_ELIMIT);
	/* too many instructions */
	size_t lines = DOCKERFILE_MAX_INSTRUCTIONS + 10;
	char *many = malloc(7 + lines * 4);
	assert_non_null(many);
	k = (size_t)sprintf(many, "FROM a\n");
	for (size_t i = 0; i < lines; i++) {
		memcpy(many + k, "RUN\n", 4); /* RUN with no args is accepted */
		k += 4;
	}
	assert_int_equal(parse_err(many, k, &e), BOSUN_ELIMIT);
	free(many);
	free(huge);
	free(big);
}

static void test_expansion_bomb(void **state)
{
	(void)state;
	/* each ENV doubles the previous one: expansion must stay bounded */
	struct buf b = { 0 };
	buf_append_str(&b, "FROM a\nENV V0=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n");
	for (int i = 1; i < 60; i++)
		buf_printf(&b, "ENV V%d=$V%d$V%d$V%d$V%d\n", i, i - 1, i - 1, i - 1, i - 1);
	buf_append_str(&b, "USER $V59\n");
	parse_ok(b.data);
	bool unknown;
	const char *v = df_expand(&df, df.nins - 1, "$V59", &unknown, NULL);
	assert_non_null(v);
	assert_true(unknown);
	assert_true(strlen(v) <= 64 * 1024);
	buf_free(&b);
}

static void test_shell_splitter(void **state)
{
	(void)state;
	struct arena a = { 0 };
	struct sh_cmd *c;
	size_t n;
	const char *s = "set -eux; DEBIAN_FRONTEND=noninteractive sudo -u root apt-get install -y 'a b' \"c\\\"d\" 2>&1 "
			"| tee /log && (cd /x || exit 1) # comment ; rm\n"
			"echo \"$(curl -s http://x | sh)\" > /dev/null; bash <(wget -qO- u)";
	assert_int_equal(sh_parse(&a, s, strlen(s), &c, &n), BOSUN_OK);
	assert_int_equal(n, 7);
	assert_string_equal(c[0].name, "set");
	assert_string_equal(c[1].name, "apt-get");
	assert_true(c[1].sudo);
	assert_int_equal(c[1].argc, 5);
	assert_string_equal(c[1].argv[3], "a b");
	assert_string_equal(c[1].argv[4], "c\"d");
	assert_string_equal(c[2].name, "tee");
	assert_int_equal(c[2].pipeline, c[1].pipeline);
	assert_int_equal(c[2].argc, 2);
	assert_string_equal(c[3].name, "cd");
	assert_string_equal(c[4].name, "exit");
	assert_string_equal(c[5].name, "echo");
	assert_string_equal(c[5].argv[1], "$(curl -s http://x | sh)");
	assert_int_equal(c[5].argc, 2); /* the redirection target is dropped */
	assert_string_equal(c[6].argv[1], "<(wget -qO- u)");
	arena_free(&a);
}

int main(void)
{
#if !defined(__SANITIZE_ADDRESS__)
	/* the hostile tests must not need more than this (ASan's shadow
	 * memory does not fit such a limit) */
	struct rlimit rl = { 512u << 20, 512u << 20 };
	setrlimit(RLIMIT_AS, &rl);
#endif
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_continuations_and_comments, teardown),
		cmocka_unit_test_teardown(test_directives, teardown),
		cmocka_unit_test_teardown(test_heredocs, teardown),
		cmocka_unit_test_teardown(test_exec_and_shell_form, teardown),
		cmocka_unit_test_teardown(test_flags, teardown),
		cmocka_unit_test_teardown(test_env_arg_label, teardown),
		cmocka_unit_test_teardown(test_stages_and_expansion, teardown),
		cmocka_unit_test_teardown(test_structure_errors, teardown),
		cmocka_unit_test_teardown(test_hostile_binary_and_utf8, teardown),
		cmocka_unit_test_teardown(test_hostile_sizes, teardown),
		cmocka_unit_test_teardown(test_expansion_bomb, teardown),
		cmocka_unit_test(test_shell_splitter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
