/* bosun vercmp: compare two versions, or test one against a constraint, in a
 * given scheme, for people debugging why a package did or did not match.
 * With "-" for both arguments it answers one tab-separated case per stdin
 * line, so a whole table can be checked in one run. */
#include "cli/cli.h"
#include "version/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void vercmp_usage(FILE *out)
{
	fprintf(out,
		"usage: bosun vercmp SCHEME A B\n"
		"       bosun vercmp SCHEME --satisfies VERSION CONSTRAINT\n"
		"       bosun vercmp SCHEME [--satisfies] - -     (one case per stdin line)\n"
		"       bosun vercmp --list\n"
		"\n"
		"Prints <, = or > (A against B), or true or false (VERSION against CONSTRAINT).\n"
		"SCHEME is a purl type: deb, rpm, apk, npm, pypi, maven, golang, gem, cargo, nuget.\n"
		"CONSTRAINT is the ecosystem's own syntax (npm ranges, PEP 440 specifiers, gem\n"
		"requirements, Maven ranges); deb, rpm, apk and golang take comparators such as\n"
		"\">= 1.0, < 2.0 || > 3.0\" (\",\" is AND, \"||\" is OR; apk also \"~3.6\").\n"
		"\n"
		"With - -, each stdin line is A<TAB>B, or VERSION<TAB>CONSTRAINT[<TAB>FLAGS]\n"
		"where FLAGS is a comma-separated list of loose and includePrerelease; fields\n"
		"are taken verbatim. Each line gets one answer line, \"invalid\" when it cannot\n"
		"be parsed.\n"
		"\n"
		"options:\n"
		"  -s, --satisfies          test VERSION against CONSTRAINT\n"
		"      --loose              node-semver's loose parsing (with --satisfies)\n"
		"      --include-prerelease node-semver includePrerelease, PEP 440 prereleases\n"
		"      --list               print the schemes\n"
		"  -h, --help               this help\n"
		"\n"
		"exit codes: 0 answered (the stdin form always, even for \"invalid\" lines),\n"
		"2 usage error or a version or constraint that cannot be parsed, 5 I/O error\n");
}

struct vercmp_opts {
	const struct version_scheme *scheme;
	bool satisfies;
	unsigned flags;
};

/* One answer: "<", "=", ">", "true" or "false", or NULL when the case cannot
 * be parsed. */
static const char *answer(const struct vercmp_opts *o, const char *x, const char *y, unsigned flags)
{
	if (o->satisfies) {
		bool out;
		if (o->scheme->satisfies(x, y, flags, &out) != BOSUN_OK)
			return NULL;
		return out ? "true" : "false";
	}
	int cmp;
	if (o->scheme->compare(x, y, &cmp) != BOSUN_OK)
		return NULL;
	return cmp < 0 ? "<" : cmp > 0 ? ">" : "=";
}

/* "loose,includePrerelease" -> VERSION_* flags; false on an unknown word. */
static bool parse_flags(char *s, unsigned *flags)
{
	for (char *save = NULL, *w = strtok_r(s, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		if (!strcmp(w, "loose"))
			*flags |= VERSION_LOOSE;
		else if (!strcmp(w, "includePrerelease") || !strcmp(w, "include-prerelease") ||
			 !strcmp(w, "prereleases"))
			*flags |= VERSION_INCLUDE_PRERELEASE;
		else
			return false;
	}
	return true;
}

/* One stdin line (without its newline): its answer. */
static const char *batch_line(const struct vercmp_opts *o, char *line)
{
	char *x = line, *y = strchr(line, '\t');
	if (!y)
		return NULL;
	*y++ = '\0';
	char *extra = strchr(y, '\t');
	unsigned flags = o->flags;
	if (extra) {
		*extra++ = '\0';
		if (!o->satisfies || !parse_flags(extra, &flags))
			return NULL;
	}
	return answer(o, x, y, flags);
}

static int run_batch(const struct vercmp_opts *o)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		/* A NUL inside the line would silently cut a field short. */
		const char *a = strlen(line) == (size_t)n ? batch_line(o, line) : NULL;
		fputs(a ? a : "invalid", stdout);
		fputc('\n', stdout);
	}
	free(line);
	if (ferror(stdin)) {
		fprintf(stderr, "bosun: error: reading stdin failed\n");
		return 5;
	}
	return 0;
}

static int run_single(const struct vercmp_opts *o, const char *x, const char *y)
{
	const char *a = answer(o, x, y, o->flags);
	if (a) {
		puts(a);
		return 0;
	}
	puts("invalid");
	/* Name the culprit: a version compares with itself iff it parses. */
	int cmp;
	bool x_ok = o->scheme->compare(x, x, &cmp) == BOSUN_OK;
	const char *what = !x_ok ? "version" : o->satisfies ? "constraint" : "version";
	fprintf(stderr, "bosun: error: %s: cannot parse %s '%s'\n", o->scheme->name, what, !x_ok ? x : y);
	return 2;
}

static void list_schemes(void)
{
	for (size_t i = 0; version_schemes[i]; i++)
		printf("%s%s\n", version_schemes[i]->name, version_schemes[i]->satisfies ? "" : " (no constraints)");
}

int cmd_vercmp(int argc, char **argv)
{
	struct vercmp_opts o = { 0 };
	const char *pos[3];
	int npos = 0;
	bool options = true, list = false;
	/* Hand-rolled: versions such as "-1:1.0" or constraints such as "<1.0"
	 * must reach the scheme, so only exact option names are options. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (options && !strcmp(a, "--")) {
			options = false;
		} else if (options && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
			vercmp_usage(stdout);
			return 0;
		} else if (options && (!strcmp(a, "-s") || !strcmp(a, "--satisfies"))) {
			o.satisfies = true;
		} else if (options && !strcmp(a, "--loose")) {
			o.flags |= VERSION_LOOSE;
		} else if (options && !strcmp(a, "--include-prerelease")) {
			o.flags |= VERSION_INCLUDE_PRERELEASE;
		} else if (options && !strcmp(a, "--list")) {
			list = true;
		} else if (npos < 3) {
			pos[npos++] = a;
		} else {
			npos++;
		}
	}
	if (list && npos == 0) {
		list_schemes();
		return 0;
	}
	if (list || npos != 3) {
		vercmp_usage(stderr);
		return 2;
	}
	o.scheme = version_scheme_find(pos[0]);
	if (!o.scheme) {
		fprintf(stderr, "bosun: error: unknown version scheme '%s' (see bosun vercmp --list)\n", pos[0]);
		return 2;
	}
	if (o.flags && !o.satisfies) {
		fprintf(stderr, "bosun: error: --loose and --include-prerelease apply to --satisfies only\n");
		return 2;
	}
	if (o.satisfies && !o.scheme->satisfies) {
		fprintf(stderr, "bosun: error: the %s scheme has no constraint syntax\n", o.scheme->name);
		return 2;
	}
	int rc = !strcmp(pos[1], "-") && !strcmp(pos[2], "-") ? run_batch(&o) : run_single(&o, pos[1], pos[2]);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bosun: error: writing stdout failed\n");
		return 5;
	}
	return rc;
}
