/* bosun k8s netpol PATH...: which workloads NetworkPolicies isolate and
 * which flows they allow (src/k8s/netpol.h), as a table, JSON or DOT, with
 * one finding per unisolated workload through the report pipeline
 * (policy, SARIF, --exit-code).
 *
 * bosun k8s netpol --generate INTENT: NetworkPolicies from an intent,
 * verified with the same analysis before they are written.
 *
 * Output design (docs/netpol.md): the matrix is this command's own output;
 * the findings always go through vuln_pipeline_run so that --severity,
 * --ignorefile and --exit-code work as everywhere. -f table prints the
 * isolation summary and matrix, then the pipeline's findings table; -f json
 * is one document of our schema whose "findings" are the pipeline's JSON
 * misconfigurations; -f sarif is the pipeline's SARIF alone; -f dot is the
 * graph (the findings only gate). The pipeline writes to a temporary file
 * that is then copied or embedded. */
#include "cli/cli.h"
#include "cli/vuln_pipeline.h"
#include "k8s/k8s.h"
#include "k8s/netpol.h"
#include "util/json.h"
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INPUT_BYTES ((size_t)16 << 20) /* an intent, a report read back */

enum out_format { OUT_TABLE, OUT_JSON, OUT_SARIF, OUT_DOT };

struct netpol_args {
	struct vuln_options vuln;
	const char *format, *output, *generate;
	enum out_format fmt;
	char **paths;
	int npaths;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: bosun k8s netpol [OPTIONS] PATH...\n"
		"       bosun k8s netpol --generate INTENT.yaml [-o DIR|FILE]\n"
		"\n"
		"Analyses the NetworkPolicies of Kubernetes manifests (files, directories, - for\n"
		"stdin): which workloads are isolated for ingress and egress, and which flows\n"
		"between workloads (and \"external\") they allow. With --generate, writes the\n"
		"NetworkPolicies that allow exactly the flows an intent declares, verified by the\n"
		"same analysis (docs/netpol.md).\n"
		"\n"
		"  -f, --format FMT       table (summary, matrix, findings), json, dot (Graphviz)\n"
		"                         or sarif (the findings); default table\n"
		"  -o, --output PATH      write there instead of stdout (--generate: a file, or a\n"
		"                         directory that gets NAMESPACE-netpol.yaml per namespace)\n"
		"      --generate INTENT  generate policies from an intent file\n"
		"      --severity LIST    report only findings of these severities\n"
		"      --ignorefile FILE  rule ids to accept (.trivyignore or its YAML form)\n"
		"      --exit-code N      exit with N when a reported finding (an unisolated\n"
		"                         workload) remains\n"
		"  -q, --quiet            no warnings on stderr\n"
		"  -h, --help             this help\n"
		"\n"
		"exit codes: 0 ok, N with --exit-code N, 2 usage, 3 unusable input (and a\n"
		"--generate that does not verify), 4 limit exceeded, 5 I/O or internal error\n");
}

enum { OPT_GENERATE = 256 };

static int parse_args(int argc, char **argv, struct netpol_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		VULN_LONGOPTS,
		{ "generate", required_argument, NULL, OPT_GENERATE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': a->format = optarg; continue;
		case 'o': a->output = optarg; continue;
		case OPT_GENERATE: a->generate = optarg; continue;
		case 'q': log_set_quiet(true); continue;
		case 'h': usage(stdout); return 0;
		default: break;
		}
		int rc = vuln_option(c, optarg, &a->vuln);
		if (rc > 0)
			return rc;
		if (rc < 0) {
			usage(stderr);
			return 2;
		}
	}
	a->paths = argv + optind;
	a->npaths = argc - optind;
	if (a->generate) {
		if (a->npaths || a->format) {
			fprintf(stderr, "bosun: error: --generate takes an intent file only (no PATH, no --format)\n");
			return 2;
		}
		return -1;
	}
	if (!a->npaths) {
		usage(stderr);
		return 2;
	}
	static const struct {
		const char *name;
		enum out_format fmt;
		const char *report;
	} fmts[] = { { "table", OUT_TABLE, "table" },
		     { "json", OUT_JSON, "json" },
		     { "sarif", OUT_SARIF, "sarif" },
		     { "dot", OUT_DOT, "json" } };
	const char *f = a->format ? a->format : "table";
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++)
		if (!strcmp(f, fmts[i].name)) {
			a->fmt = fmts[i].fmt;
			a->vuln.format = fmts[i].report;
			a->vuln.skip_vulns = true;
			a->vuln.finding_kinds = 1u << FINDING_KIND_MISCONFIG;
			return vuln_options_check(&a->vuln) ? 2 : -1;
		}
	fprintf(stderr, "bosun: error: unknown format '%s' (one of: table, json, dot, sarif)\n", f);
	return 2;
}

/* ---- input ------------------------------------------------------------------------ */

static int read_all(FILE *f, const char *what, struct buf *b, struct berr *e)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + n > MAX_INPUT_BYTES)
			return berr_set(e, BOSUN_ELIMIT, "%s: larger than %zu MiB", what, MAX_INPUT_BYTES >> 20);
		if (buf_append(b, chunk, n) != BOSUN_OK)
			return berr_set(e, BOSUN_ENOMEM, "out of memory");
	}
	if (ferror(f))
		return berr_set(e, BOSUN_EIO, "cannot read %s: %s", what, strerror(errno));
	return BOSUN_OK;
}

/* Manifests through the shared loader (files, directories, "-"), whose
 * warnings (documents that are no Kubernetes objects...) are passed on. */
static int load_paths(struct netpol_model *m, char **paths, int n, struct berr *e)
{
	struct k8s_set *set = k8s_set_new();
	if (!set)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	int rc = BOSUN_OK;
	for (int i = 0; i < n && rc == BOSUN_OK; i++)
		rc = k8s_set_load_path(set, paths[i], e);
	for (size_t i = 0; i < k8s_set_warning_count(set); i++)
		log_warn("%s", k8s_set_warning(set, i));
	if (rc == BOSUN_OK)
		rc = netpol_model_add_set(m, set, e);
	k8s_set_free(set);
	return rc;
}

/* ---- the report pipeline ------------------------------------------------------------ */

struct run_ctx {
	struct netpol_args *a;
	struct netpol_model m;
	struct finding_list findings;
};

static int inventory(void *arg, struct artifact *a, struct berr *e)
{
	struct run_ctx *c = arg;
	a->target = arena_strdup(&a->arena, c->a->npaths == 1 ? c->a->paths[0] : "manifests");
	a->target_kind = arena_strdup(&a->arena, "kubernetes");
	a->name = arena_strdup(&a->arena, a->target);
	if (!a->target || !a->target_kind || !a->name)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	if (finding_list_append(&a->findings, &c->findings) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	return BOSUN_OK;
}

static int slurp(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return BOSUN_EIO;
	struct berr e = { 0 };
	int rc = read_all(f, path, b, &e);
	fclose(f);
	return rc;
}

/* Runs the pipeline into a temporary file, read back into report. Returns
 * the pipeline's exit code; *written tells whether a report came out
 * (else the pipeline failed and said why). */
static int run_pipeline(struct run_ctx *c, struct buf *report, bool *written)
{
	const char *tmpdir = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof tmpl, "%s/bosun-netpol-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		log_error("cannot create a temporary file in %s: %s", tmpdir && *tmpdir ? tmpdir : "/tmp", strerror(errno));
		return 5;
	}
	close(fd);
	struct vuln_options o = c->a->vuln;
	o.output = tmpl;
	int code = vuln_pipeline_run(&o, inventory, c);
	int rc = slurp(tmpl, report);
	unlink(tmpl);
	*written = rc == BOSUN_OK && report->len > 0;
	return code;
}

static int write_json(struct run_ctx *c, const struct buf *report, FILE *out, struct berr *e)
{
	json_t *doc;
	TRY(netpol_to_json(&c->m, &doc, e));
	json_t *rep = NULL;
	struct berr je = { 0 };
	json_t *items = NULL;
	if (json_parse_bounded(report->data, report->len, 64, "report", &rep, &je) == BOSUN_OK)
		items = json_object_get(rep, "misconfigurations");
	json_object_set_new(doc, "findings", json_is_array(items) ? json_incref(items) : json_array());
	json_decref(rep);
	int rc = json_dumpf(doc, out, JSON_INDENT(2)) ? berr_set(e, BOSUN_EIO, "write failed") : BOSUN_OK;
	fputc('\n', out);
	json_decref(doc);
	return rc;
}

static int run_analysis(struct netpol_args *a)
{
	struct run_ctx c = { .a = a };
	struct berr e = { 0 };
	netpol_model_init(&c.m);
	finding_list_init(&c.findings);
	struct buf report = { 0 };
	int code = 0;
	int rc = load_paths(&c.m, a->paths, a->npaths, &e);
	if (rc == BOSUN_OK)
		rc = netpol_analyze(&c.m, &e);
	if (rc == BOSUN_OK)
		rc = netpol_findings(&c.m, &c.findings, &e);
	if (rc != BOSUN_OK) {
		log_error("%s", e.msg[0] ? e.msg : bosun_strerror(rc));
		code = bosun_exit_code(rc);
		goto done;
	}
	for (size_t i = 0; i < c.m.nwarnings && a->fmt != OUT_TABLE; i++)
		log_warn("%s", c.m.warnings[i]);
	if (a->fmt == OUT_SARIF) {
		struct vuln_options o = a->vuln;
		o.output = a->output;
		code = vuln_pipeline_run(&o, inventory, &c);
		goto done;
	}
	bool written = false;
	code = run_pipeline(&c, &report, &written);
	if (!written)
		goto done; /* the pipeline said why */
	FILE *out = a->output ? fopen(a->output, "w") : stdout;
	if (!out) {
		log_error("cannot write %s: %s", a->output, strerror(errno));
		code = 5;
		goto done;
	}
	if (a->fmt == OUT_TABLE) {
		rc = netpol_write_table(&c.m, out, &e);
		if (rc == BOSUN_OK) {
			fputc('\n', out);
			fwrite(report.data, 1, report.len, out);
		}
	} else if (a->fmt == OUT_JSON) {
		rc = write_json(&c, &report, out, &e);
	} else {
		rc = netpol_write_dot(&c.m, out, &e);
	}
	if (out != stdout ? fclose(out) != 0 : fflush(out) != 0)
		rc = rc ? rc : berr_set(&e, BOSUN_EIO, "write failed");
	if (rc != BOSUN_OK) {
		log_error("%s: %s", a->output ? a->output : "stdout", e.msg);
		code = bosun_exit_code(rc);
	}
done:
	buf_free(&report);
	finding_list_free(&c.findings);
	netpol_model_free(&c.m);
	return code;
}

/* ---- --generate ------------------------------------------------------------------------ */

static int write_text(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "w");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		log_error("cannot write %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return 5;
	}
	return 0;
}

static int run_generate(const struct netpol_args *a)
{
	struct berr e = { 0 };
	struct buf in = { 0 }, all = { 0 }, report = { 0 };
	struct buf *per_ns = NULL;
	struct netpol_intent *intent = NULL;
	int code = 0;
	FILE *f = strcmp(a->generate, "-") ? fopen(a->generate, "rb") : stdin;
	int rc = f ? BOSUN_OK : berr_set(&e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "cannot open %s: %s",
					 a->generate, strerror(errno));
	if (f) {
		rc = read_all(f, a->generate, &in, &e);
		if (f != stdin)
			fclose(f);
	}
	if (rc == BOSUN_OK)
		rc = netpol_intent_parse(in.data ? in.data : "", in.len, a->generate, &intent, &e);
	size_t nns = rc == BOSUN_OK ? netpol_intent_namespace_count(intent) : 0;
	if (rc == BOSUN_OK && !(per_ns = calloc(nns, sizeof *per_ns)))
		rc = berr_set(&e, BOSUN_ENOMEM, "out of memory");
	for (size_t i = 0; i < nns && rc == BOSUN_OK; i++) {
		rc = netpol_intent_generate(intent, i, &per_ns[i], &e);
		if (rc == BOSUN_OK)
			rc = buf_append(&all, per_ns[i].data, per_ns[i].len);
	}
	bool ok = false;
	if (rc == BOSUN_OK)
		rc = netpol_intent_verify(intent, all.data, all.len, &ok, &report, &e);
	if (rc != BOSUN_OK) {
		log_error("%s", e.msg[0] ? e.msg : bosun_strerror(rc));
		code = bosun_exit_code(rc);
		goto done;
	}
	fputs(report.data, stderr);
	if (!ok) {
		log_error("the generated policies do not allow exactly the intent (see above); nothing written");
		code = 3;
		goto done;
	}
	struct stat st;
	if (!a->output) {
		fwrite(all.data, 1, all.len, stdout);
		code = fflush(stdout) ? 5 : 0;
	} else if (stat(a->output, &st) == 0 && S_ISDIR(st.st_mode)) {
		for (size_t i = 0; i < nns && !code; i++) {
			char *p = NULL;
			size_t dl = strlen(a->output);
			while (dl > 1 && a->output[dl - 1] == '/')
				dl--;
			if (asprintf(&p, "%.*s/%s-netpol.yaml", (int)dl, a->output, netpol_intent_namespace(intent, i)) < 0) {
				code = 5;
				break;
			}
			code = write_text(p, per_ns[i].data, per_ns[i].len);
			if (!code)
				fprintf(stderr, "wrote %s\n", p);
			free(p);
		}
	} else {
		code = write_text(a->output, all.data, all.len);
	}
done:
	for (size_t i = 0; per_ns && i < nns; i++)
		buf_free(&per_ns[i]);
	free(per_ns);
	buf_free(&in);
	buf_free(&all);
	buf_free(&report);
	netpol_intent_free(intent);
	return code;
}

int cmd_k8s_netpol(int argc, char **argv)
{
	struct netpol_args a;
	memset(&a, 0, sizeof a);
	int code = parse_args(argc, argv, &a);
	if (code >= 0)
		return code;
	return a.generate ? run_generate(&a) : run_analysis(&a);
}
