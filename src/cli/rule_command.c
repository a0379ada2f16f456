#include "cli/rule_command.h"

#include <getopt.h>
#include <string.h>

#include "util/log.h"

static void usage(const struct rule_command *c, FILE *out)
{
	c->describe(out);
	fprintf(out, "\n%s:\n", c->name);
	rule_usage(out);
	fprintf(out,
		"  -q, --quiet            no warnings on stderr\n"
		"  -h, --help             this help\n"
		"\n");
	vuln_usage(out);
	fprintf(out, "\nexit codes: 0 ok (or findings without --exit-code), N findings with --exit-code N,\n"
		     "2 usage, 3 unusable input, 4 limit exceeded, 5 I/O or internal error\n");
}

/* -1 to go on, else the exit code. */
static int parse_args(struct rule_command *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		VULN_LONGOPTS,
		RULE_LONGOPTS,
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:o:qh", longopts, NULL)) != -1) {
		int rc = vuln_option(opt, optarg, &c->vuln);
		if (rc < 0)
			rc = rule_option(opt, optarg, &c->rules);
		if (rc > 0)
			return rc;
		if (rc == 0)
			continue;
		switch (opt) {
		case 'q': log_set_quiet(true); break;
		case 'h': usage(c, stdout); return 0;
		default: usage(c, stderr); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "bosun: error: %s needs at least one PATH (a file, a directory or -)\n", c->name);
		usage(c, stderr);
		return 2;
	}
	c->paths = argv + optind;
	c->npaths = argc - optind;
	return vuln_options_check(&c->vuln) ? 2 : -1;
}

static int inventory(void *ctx, struct artifact *a, struct berr *e)
{
	const struct rule_command *c = ctx;
	a->target_kind = arena_strdup(&a->arena, c->target_kind);
	a->target = arena_strdup(&a->arena, c->paths[0]);
	a->name = c->npaths == 1 ? arena_strdup(&a->arena, c->paths[0])
				 : arena_printf(&a->arena, "%s and %d more", c->paths[0], c->npaths - 1);
	if (!a->target_kind || !a->target || !a->name)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	TRY(c->check(c, a, e));
	TRY(rule_options_apply(&c->rules, a, e));
	finding_list_sort(&a->findings);
	return BOSUN_OK;
}

int rule_command_run(struct rule_command *c, int argc, char **argv)
{
	memset(&c->vuln, 0, sizeof c->vuln);
	memset(&c->rules, 0, sizeof c->rules);
	c->vuln.skip_vulns = true;
	c->vuln.finding_kinds = 1u << FINDING_KIND_MISCONFIG;
	int code = parse_args(c, argc, argv);
	if (code >= 0)
		return code;
	if ((code = rule_options_load(&c->rules)) >= 0)
		return code;
	code = vuln_pipeline_run(&c->vuln, inventory, c);
	rule_options_free(&c->rules);
	return code;
}
