/* Dockerfile rules; see docs/rules-docker.md for the catalogue.
 *
 * Rules about what ends up in the image (user, health check, packages,
 * caches, exposed ports) look only at the final stage and the stages it is
 * built FROM; rules about the build itself (secrets, base image tags, ADD,
 * remote scripts, apt-get prompts) look at every stage. */
#include "misconfig/dockerfile.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/chmod_mode.h"
#include "misconfig/dockerfile_parse.h"
#include "misconfig/rules.h"
#include "misconfig/run_facts.h"

struct checker {
	const char *path;
	struct dockerfile *df;
	struct finding_list *out;
	int rc;
};

static void emit(struct checker *c, enum dkr_rule rule, const struct df_instruction *ins, const char *match,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void emit(struct checker *c, enum dkr_rule rule, const struct df_instruction *ins, const char *match,
		 const char *fmt, ...)
{
	if (c->rc)
		return;
	char raw[1024], msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	dkr_clean_text(msg, sizeof msg, raw, strlen(raw));
	struct finding f;
	dkr_finding_init(&f, rule, "dockerfile");
	f.path = c->path;
	f.message = msg;
	f.match = match;
	if (ins) {
		f.line = ins->line;
		f.end_line = ins->end_line;
	}
	c->rc = finding_add(c->out, &f);
}

/* "stage \"build\"" / "stage 2", for messages about multi-stage files. */
static const char *stage_label(const struct dockerfile *df, int s, char *buf, size_t cap)
{
	if (s < 0)
		snprintf(buf, cap, "global scope");
	else if (df->stages[s].name)
		snprintf(buf, cap, "stage \"%.64s\"", df->stages[s].name);
	else
		snprintf(buf, cap, "stage %d", s);
	return buf;
}

/* ---- FROM ---- */

/* An image reference without a tag or digest, or with tag "latest". */
static bool unpinned(const char *ref, const char **why)
{
	if (strchr(ref, '@'))
		return false; /* pinned by digest */
	const char *slash = strrchr(ref, '/');
	const char *colon = strrchr(slash ? slash : ref, ':');
	if (!colon) {
		*why = "has no tag, so it means latest";
		return true;
	}
	if (strcmp(colon + 1, "latest") == 0) {
		*why = "uses the latest tag";
		return true;
	}
	return false;
}

static void check_from(struct checker *c, const struct df_stage *s, const struct df_instruction *ins)
{
	if (s->parent >= 0 || !s->resolved || strcasecmp(s->resolved, "scratch") == 0)
		return;
	const char *why;
	if (unpinned(s->resolved, &why)) {
		if (strcmp(s->resolved, s->image) != 0)
			emit(c, DKR_LATEST_TAG, ins, NULL, "base image %s (%s) %s", s->image, s->resolved, why);
		else
			emit(c, DKR_LATEST_TAG, ins, NULL, "base image %s %s", s->image, why);
	}
}

/* ---- ENV, ARG, LABEL ---- */

static bool var_name_char(char ch, bool first)
{
	return ch == '_' || isalpha((unsigned char)ch) || (!first && isdigit((unsigned char)ch));
}

/* ENV X=$Y, where Y is a build argument: the value given with --build-arg
 * is stored in the image config. Reported when Y or X looks like a secret.
 * References in single quotes or escaped are text, and ${Y:+word} takes
 * word, not Y's value. */
static void check_env_from_arg(struct checker *c, size_t at, const struct df_instruction *ins, const struct df_kv *kv)
{
	const char *w = kv->value;
	char esc = c->df->escape, q = 0;
	bool key_secret = dkr_secret_name(kv->key, strlen(kv->key));
	for (size_t i = 0; w[i]; i++) {
		char ch = w[i];
		if (q == '\'') {
			if (ch == '\'')
				q = 0;
			continue;
		}
		if (ch == esc && w[i + 1]) {
			i++;
			continue;
		}
		if (!q && (ch == '"' || ch == '\'')) {
			q = ch;
			continue;
		}
		if (q == '"' && ch == '"') {
			q = 0;
			continue;
		}
		if (ch != '$')
			continue;
		size_t s = i + 1;
		bool brace = w[s] == '{';
		s += brace;
		size_t e = s;
		while (w[e] && var_name_char(w[e], e == s))
			e++;
		if (e == s)
			continue;
		i = e - 1; /* go on after the name: a ${Y:-word} word may refer to more */
		if (brace && (w[e] == '+' || (w[e] == ':' && w[e + 1] == '+')))
			continue;
		size_t o = df_var_origin(c->df, at, w + s, e - s);
		if (o == SIZE_MAX || c->df->ins[o].cmd != DF_ARG || (!key_secret && !dkr_secret_name(w + s, e - s)))
			continue;
		emit(c, DKR_SECRET_VALUE, ins, NULL,
		     "ENV %s takes the value of build argument %.*s: whatever is passed at build time is stored in the image",
		     kv->key, (int)(e - s > 200 ? 200 : e - s), w + s);
		return;
	}
}

static void check_kv(struct checker *c, size_t at, const struct df_instruction *ins)
{
	for (size_t k = 0; k < ins->nkv; k++) {
		const struct df_kv *kv = &ins->kv[k];
		if (ins->cmd == DF_ENV && kv->value && strchr(kv->value, '$'))
			check_env_from_arg(c, at, ins, kv);
		if (!dkr_secret_name(kv->key, strlen(kv->key)))
			continue;
		if (!kv->value) { /* ARG without default */
			emit(c, DKR_SECRET_BUILD_ARG, ins, NULL,
			     "ARG %s looks like a secret; build arguments used by RUN are kept in the image history",
			     kv->key);
			continue;
		}
		if (strchr(kv->value, '$'))
			continue; /* a reference, not a literal */
		bool unknown;
		const char *v = df_expand(c->df, at, kv->value, &unknown, NULL);
		if (!v) {
			c->rc = BOSUN_ENOMEM;
			return;
		}
		if (!dkr_secret_literal(v, strlen(v)))
			continue;
		char masked[48];
		dkr_mask_secret(masked, sizeof masked, v, strlen(v));
		emit(c, DKR_SECRET_VALUE, ins, masked, "%s %s holds a literal secret value (%s)", df_cmd_name(ins->cmd),
		     kv->key, masked);
	}
}

/* ---- ADD ---- */

static bool is_remote(const char *src)
{
	return strncasecmp(src, "http://", 7) == 0 || strncasecmp(src, "https://", 8) == 0 ||
	       strncmp(src, "git@", 4) == 0 || strncasecmp(src, "git://", 6) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static bool is_archive(const char *src)
{
	static const char *const ext[] = { ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz",
					   ".tar.zst", ".tzst", ".gz", ".bz2", ".xz", NULL };
	for (const char *const *e = ext; *e; e++)
		if (ends_with(src, *e))
			return true;
	/* a variable may name an archive: do not guess */
	return strchr(src, '$') != NULL;
}

static void check_add(struct checker *c, const struct df_instruction *ins)
{
	if (ins->argc < 2)
		return;
	bool checksum = df_flag(ins, "checksum", 0, NULL) != NULL;
	bool local_plain = false;
	for (size_t k = 0; k + 1 < ins->argc; k++) {
		const char *src = ins->argv[k];
		if (!ins->json && strncmp(src, "<<", 2) == 0)
			continue; /* heredoc: inline content */
		if (is_remote(src)) {
			if (!checksum)
				emit(c, DKR_ADD_REMOTE, ins, NULL, "ADD downloads %s without verifying it", src);
		} else if (!is_archive(src)) {
			local_plain = true;
		}
	}
	if (local_plain)
		emit(c, DKR_ADD_LOCAL, ins, NULL, "ADD copies local files; COPY does the same without ADD's extra "
						   "behaviour (URL download, archive extraction)");
}

/* ---- RUN ---- */

/* Whether RUN mounts a cache (or tmpfs) at a path containing dir. */
static bool mounts_cache(const struct df_instruction *ins, const char *dir)
{
	for (size_t k = 0; k < ins->nflags; k++) {
		const char *m = ins->flags[k].value;
		if (strcmp(ins->flags[k].name, "mount") != 0 || !m)
			continue;
		if ((strstr(m, "type=cache") || strstr(m, "type=tmpfs")) && strstr(m, dir))
			return true;
	}
	return false;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* The shell script a RUN runs: shell form text, the -c script of an exec
 * form shell call, or an exec form joined; plus the heredoc bodies that a
 * shell reads ("RUN <<EOF", "RUN bash <<EOF"). */
static int run_script(const struct df_instruction *ins, struct buf *script)
{
	if (ins->json) {
		if (ins->argc >= 3 && sh_is_interpreter(base_name(ins->argv[0])) && strcmp(ins->argv[1], "-c") == 0)
			return buf_append_str(script, ins->argv[2]);
		for (size_t k = 0; k < ins->argc; k++) {
			TRY(buf_append_str(script, k ? " " : ""));
			TRY(buf_append_str(script, ins->argv[k]));
		}
		return BOSUN_OK;
	}
	TRY(buf_append_str(script, ins->args));
	if (!ins->nheredocs)
		return BOSUN_OK;
	const char *first = ins->argc ? ins->argv[0] : "";
	const char *base = base_name(first);
	bool shell_reads = strncmp(first, "<<", 2) == 0 || strcmp(base, "sh") == 0 || strcmp(base, "bash") == 0 ||
			   strcmp(base, "dash") == 0 || strcmp(base, "ash") == 0 || strcmp(base, "zsh") == 0;
	if (shell_reads)
		for (size_t k = 0; k < ins->nheredocs; k++) {
			TRY(buf_append_str(script, "\n"));
			TRY(buf_append_str(script, ins->heredocs[k].body));
		}
	return BOSUN_OK;
}

/* "the setuid bit", "the setgid bit", "the setuid and setgid bits" */
static const char *setid_bits(unsigned bits)
{
	if ((bits & CHMOD_SETUID) && (bits & CHMOD_SETGID))
		return "the setuid and setgid bits";
	return bits & CHMOD_SETUID ? "the setuid bit" : "the setgid bit";
}

/* "/a, /b and 3 more" */
static const char *path_list(const struct run_paths *p, char *buf, size_t cap)
{
	size_t o = 0, shown = p->n < RUN_FACTS_MAX_PATHS ? p->n : RUN_FACTS_MAX_PATHS;
	buf[0] = '\0';
	for (size_t k = 0; k < shown && o < cap; k++) {
		int w = snprintf(buf + o, cap - o, "%s%.120s", k ? ", " : "", p->path[k]);
		if (w < 0)
			break;
		o += (size_t)w;
	}
	if (p->n > shown && o < cap)
		snprintf(buf + o, cap - o, " and %zu more", p->n - shown);
	return buf;
}

static void check_chmod(struct checker *c, const struct df_instruction *ins, const struct run_facts *f)
{
	char paths[640];
	if (f->setuid.n)
		emit(c, DKR_SETUID, ins, NULL, "RUN chmod %.40s sets %s on %s", f->setuid.mode, setid_bits(f->setuid.bits),
		     path_list(&f->setuid, paths, sizeof paths));
	if (f->world_writable.n)
		emit(c, DKR_WORLD_WRITABLE, ins, NULL, "RUN chmod %.40s makes %s writable by everyone", f->world_writable.mode,
		     path_list(&f->world_writable, paths, sizeof paths));
}

/* COPY/ADD --chmod=MODE: the mode of what lands at the destination. */
static void check_copy_chmod(struct checker *c, const struct df_instruction *ins)
{
	const char *mode = df_flag(ins, "chmod", 0, NULL);
	unsigned set, clr;
	if (!mode || ins->argc < 2 || !chmod_mode_effect(mode, &set, &clr))
		return;
	const char *dest = ins->argv[ins->argc - 1];
	if (set & (CHMOD_SETUID | CHMOD_SETGID))
		emit(c, DKR_SETUID, ins, NULL, "%s --chmod=%.40s sets %s on %.200s", df_cmd_name(ins->cmd), mode,
		     setid_bits(set), dest);
	if ((set & CHMOD_OTHERS_WRITE) && !(chmod_scratch_path(dest) && !(clr & CHMOD_STICKY)))
		emit(c, DKR_WORLD_WRITABLE, ins, NULL, "%s --chmod=%.40s makes %.200s writable by everyone",
		     df_cmd_name(ins->cmd), mode, dest);
}

static bool pip_cache_off(struct checker *c, size_t at)
{
	bool unknown;
	const char *v = df_expand(c->df, at, "${PIP_NO_CACHE_DIR}", &unknown, NULL);
	if (!v || unknown || !*v)
		return false;
	return strcasecmp(v, "0") != 0 && strcasecmp(v, "false") != 0 && strcasecmp(v, "off") != 0 &&
	       strcasecmp(v, "no") != 0;
}

static void check_run(struct checker *c, size_t at, const struct df_instruction *ins, bool final_chain)
{
	struct buf script = { 0 };
	struct arena scratch = { 0 };
	struct run_facts f = { 0 };
	int rc = run_script(ins, &script);
	if (!rc)
		rc = run_facts_of_script(&scratch, script.data ? script.data : "", script.len, &f);
	if (rc) {
		c->rc = rc;
		goto out;
	}
	if (f.pipe_to_shell)
		emit(c, DKR_PIPE_TO_SHELL, ins, NULL, "RUN pipes a downloaded script into an interpreter (%s)",
		     f.pipe_to_shell);
	if ((f.apt_update && !f.apt_install && !f.upgrade) || (f.apk_update && !f.apk_add))
		emit(c, DKR_UPDATE_ALONE, ins, NULL, "RUN updates the package index without installing in the same step");
	if (f.apt_install_without_yes)
		emit(c, DKR_APT_NO_YES, ins, NULL, "apt-get install without -y waits for a confirmation the build cannot give");
	if (f.uses_sudo)
		emit(c, DKR_SUDO, ins, NULL, "RUN uses sudo");
	/* every stage: COPY --from keeps a file's mode */
	check_chmod(c, ins, &f);
	if (final_chain) {
		if (f.upgrade)
			emit(c, DKR_UPGRADE, ins, NULL, "RUN upgrades the installed packages (%s)", f.upgrade);
		if (f.apt_install_with_recommends)
			emit(c, DKR_APT_RECOMMENDS, ins, NULL, "apt-get install without --no-install-recommends");
		if (f.installs_sudo)
			emit(c, DKR_SUDO, ins, NULL, "RUN installs sudo");
		if (f.installs_ssh_server)
			emit(c, DKR_SSH_SERVER, ins, NULL, "RUN installs an SSH server (%s)", f.ssh_package);
		if (f.apt_install && !f.apt_lists_removed && !mounts_cache(ins, "/var/lib/apt"))
			emit(c, DKR_PKG_CACHE, ins, NULL,
			     "apt-get install without rm -rf /var/lib/apt/lists/* in the same RUN leaves the package lists in the image");
		if (f.apk_add_cached && !f.apk_cache_removed && !mounts_cache(ins, "/var/cache/apk"))
			emit(c, DKR_PKG_CACHE, ins, NULL, "apk add without --no-cache leaves the package index in the image");
		if (f.pip_install_cached && !f.pip_cache_removed && !mounts_cache(ins, ".cache") && !pip_cache_off(c, at))
			emit(c, DKR_PKG_CACHE, ins, NULL, "pip install without --no-cache-dir leaves pip's cache in the image");
		if (f.rpm_install && !f.rpm_cache_cleaned && !mounts_cache(ins, "/var/cache/"))
			emit(c, DKR_PKG_CACHE, ins, NULL, "yum/dnf install without a clean all in the same RUN leaves the cache in the image");
	}
out:
	buf_free(&script);
	arena_free(&scratch);
}

/* ---- EXPOSE ---- */

static bool port_word_has_22(const char *w)
{
	char *end;
	long lo = strtol(w, &end, 10), hi = lo;
	if (end == w)
		return false;
	if (*end == '-') {
		const char *h = end + 1;
		hi = strtol(h, &end, 10);
		if (end == h)
			return false;
	}
	if (*end && *end != '/')
		return false;
	if (*end == '/' && strcasecmp(end, "/tcp") != 0 && strcasecmp(end, "/udp") != 0 && strcasecmp(end, "/sctp") != 0)
		return false;
	return lo <= 22 && 22 <= hi;
}

static void check_expose(struct checker *c, size_t at, const struct df_instruction *ins)
{
	for (size_t k = 0; k < ins->argc; k++) {
		bool unknown;
		const char *w = df_expand(c->df, at, ins->argv[k], &unknown, NULL);
		if (!w) {
			c->rc = BOSUN_ENOMEM;
			return;
		}
		if (!unknown && port_word_has_22(w)) {
			emit(c, DKR_PORT_22, ins, NULL, "EXPOSE %s exposes the SSH port", w);
			return;
		}
	}
}

/* ---- the final image: USER, HEALTHCHECK ---- */

/* Last instruction of kind cmd in the final stage or, failing that, in the
 * stages it is built on; SIZE_MAX when none. */
static size_t last_in_chain(const struct dockerfile *df, enum df_cmd cmd, int *root_stage)
{
	int s = (int)df->nstages - 1;
	for (; s >= 0; s = df->stages[s].parent) {
		*root_stage = s;
		for (size_t j = df->stages[s].end; j-- > df->stages[s].from + 1;)
			if (df->ins[j].cmd == cmd)
				return j;
	}
	return SIZE_MAX;
}

static void check_user(struct checker *c)
{
	struct dockerfile *df = c->df;
	int root = (int)df->nstages - 1;
	size_t j = last_in_chain(df, DF_USER, &root);
	const struct df_stage *final = dockerfile_final_stage(df);
	if (j == SIZE_MAX) {
		const char *base = df->stages[root].resolved;
		if (base && strstr(base, "nonroot"))
			return; /* e.g. gcr.io/distroless/static:nonroot sets a user */
		emit(c, DKR_ROOT_USER, &df->ins[final->from], NULL,
		     "no USER instruction: the container runs as root unless the base image %s sets another user",
		     base ? base : df->stages[root].image);
		return;
	}
	const struct df_instruction *ins = &df->ins[j];
	if (ins->argc == 0)
		return;
	bool unknown;
	const char *u = df_expand(df, j, ins->args, &unknown, NULL);
	if (!u) {
		c->rc = BOSUN_ENOMEM;
		return;
	}
	if (unknown)
		return; /* decided at build time */
	size_t n = strcspn(u, ":");
	if ((n == 4 && strncmp(u, "root", 4) == 0) || (n == 1 && u[0] == '0'))
		emit(c, DKR_ROOT_USER, ins, NULL, "the last USER is %s: the container runs as root", u);
}

static void check_healthcheck(struct checker *c)
{
	struct dockerfile *df = c->df;
	int root;
	size_t j = last_in_chain(df, DF_HEALTHCHECK, &root);
	const struct df_stage *final = dockerfile_final_stage(df);
	if (j == SIZE_MAX)
		emit(c, DKR_NO_HEALTHCHECK, &df->ins[final->from], NULL, "the final stage has no HEALTHCHECK");
	else if (df->ins[j].argc && strcasecmp(df->ins[j].argv[0], "NONE") == 0)
		emit(c, DKR_NO_HEALTHCHECK, &df->ins[j], NULL, "HEALTHCHECK NONE disables the health check");
}

/* ---- driver ---- */

static void check_all(struct checker *c)
{
	struct dockerfile *df = c->df;
	unsigned *cmd_seen = calloc(df->nstages, sizeof *cmd_seen), *ep_seen = calloc(df->nstages, sizeof *ep_seen);
	if (!cmd_seen || !ep_seen) {
		c->rc = BOSUN_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < df->nins && !c->rc; i++) {
		const struct df_instruction *ins = &df->ins[i];
		bool final_chain = ins->stage >= 0 && dockerfile_stage_in_final(df, ins->stage);
		char label[96];
		switch (ins->cmd) {
		case DF_FROM:
			check_from(c, &df->stages[ins->stage], ins);
			break;
		case DF_ENV:
		case DF_ARG:
		case DF_LABEL:
			check_kv(c, i, ins);
			break;
		case DF_ADD:
			check_add(c, ins);
			check_copy_chmod(c, ins);
			break;
		case DF_COPY:
			check_copy_chmod(c, ins);
			break;
		case DF_RUN:
			check_run(c, i, ins, final_chain);
			break;
		case DF_EXPOSE:
			if (final_chain)
				check_expose(c, i, ins);
			break;
		case DF_MAINTAINER:
			emit(c, DKR_MAINTAINER, ins, NULL, "MAINTAINER is deprecated");
			break;
		case DF_CMD:
		case DF_ENTRYPOINT: {
			unsigned *seen = ins->cmd == DF_CMD ? cmd_seen : ep_seen;
			if (ins->stage >= 0 && seen[ins->stage]++)
				emit(c, DKR_MULTIPLE_CMD, ins, NULL, "%s repeated in %s: only the last one takes effect",
				     df_cmd_name(ins->cmd), stage_label(df, ins->stage, label, sizeof label));
			if (final_chain && !ins->json)
				emit(c, DKR_SHELL_FORM_CMD, ins, NULL, "%s in shell form runs under /bin/sh -c", df_cmd_name(ins->cmd));
			break;
		}
		default:
			break;
		}
	}
	if (!c->rc)
		check_user(c);
	if (!c->rc)
		check_healthcheck(c);
out:
	free(cmd_seen);
	free(ep_seen);
}

int dockerfile_check(const char *path, const char *data, size_t n, struct finding_list *out, struct berr *e)
{
	struct dockerfile df;
	int rc = dockerfile_parse(data, n, &df, e);
	if (rc) {
		dockerfile_free(&df);
		return berr_wrap(e, rc, "%s", path ? path : "Dockerfile");
	}
	/* findings go to a private list first, so a failure leaves out as it was */
	struct finding_list mine;
	finding_list_init(&mine);
	struct checker c = { .path = path, .df = &df, .out = &mine };
	check_all(&c);
	rc = c.rc;
	if (!rc)
		rc = finding_list_append(out, &mine);
	finding_list_free(&mine);
	dockerfile_free(&df);
	if (rc)
		return berr_set(e, rc, "%s: %s", path ? path : "Dockerfile", bosun_strerror(rc));
	return BOSUN_OK;
}

bool dockerfile_name_matches(const char *name)
{
	static const char *const bases[] = { "dockerfile", "containerfile", NULL };
	if (!name)
		return false;
	const char *slash = strrchr(name, '/');
	if (slash)
		name = slash + 1;
	/* BuildKit's per-Dockerfile ignore files and docs are not Dockerfiles */
	if (ends_with(name, ".dockerignore") || ends_with(name, ".md") || ends_with(name, ".txt"))
		return false;
	size_t n = strlen(name);
	for (const char *const *b = bases; *b; b++) {
		size_t m = strlen(*b);
		if (n == m && strcasecmp(name, *b) == 0)
			return true;                                             /* Dockerfile */
		if (n > m + 1 && strncasecmp(name, *b, m) == 0 && name[m] == '.')
			return true;                                             /* Dockerfile.prod */
		if (n > m + 1 && strcasecmp(name + n - m, *b) == 0 && name[n - m - 1] == '.')
			return true;                                             /* app.Dockerfile */
	}
	return false;
}
