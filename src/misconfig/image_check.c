/* Image rules; see image_check.h and docs/rules-docker.md. */
#include "misconfig/image_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "image/view.h"
#include "misconfig/rules.h"
#include "misconfig/run_facts.h"
#include "util/json.h"
#include "util/strmap.h"

struct ictx {
	struct finding_list *out;
	int rc;
};

static void emit(struct ictx *c, enum dkr_rule rule, const char *path, const char *location, int layer,
		 const char *match, enum vuln_severity sev, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* sev SEV_UNKNOWN: the rule's own severity. */
static void emit(struct ictx *c, enum dkr_rule rule, const char *path, const char *location, int layer,
		 const char *match, enum vuln_severity sev, const char *fmt, ...)
{
	if (c->rc)
		return;
	char raw[1024], msg[1024], loc[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	dkr_clean_text(msg, sizeof msg, raw, strlen(raw));
	struct finding f;
	dkr_finding_init(&f, rule, "image");
	if (sev != SEV_UNKNOWN)
		f.severity = sev;
	f.path = path;
	if (location) {
		dkr_clean_text(loc, sizeof loc, location, strlen(location));
		f.location = loc;
	}
	f.layer = layer;
	f.match = match;
	f.message = msg;
	c->rc = finding_add(c->out, &f);
}

/* ---- config ---- */

static void check_user(struct ictx *c, const json_t *cfg)
{
	const char *u = json_str(cfg, "User");
	if (!u || !*u) {
		emit(c, DKR_ROOT_USER, NULL, "config.User", -1, NULL, SEV_UNKNOWN,
		     "config.User is not set: the container runs as root");
		return;
	}
	size_t n = strcspn(u, ":");
	if ((n == 4 && strncmp(u, "root", 4) == 0) || (n == 1 && u[0] == '0'))
		emit(c, DKR_ROOT_USER, NULL, "config.User", -1, NULL, SEV_UNKNOWN,
		     "config.User is %s: the container runs as root", u);
}

static void secret_pair(struct ictx *c, const char *key, size_t klen, const char *value, const char *location,
			const char *what)
{
	if (!dkr_secret_name(key, klen) || !dkr_secret_literal(value, strlen(value)))
		return;
	char masked[48];
	dkr_mask_secret(masked, sizeof masked, value, strlen(value));
	emit(c, DKR_SECRET_VALUE, NULL, location, -1, masked, SEV_UNKNOWN, "%s %.*s holds a literal secret value (%s)",
	     what, (int)(klen > 200 ? 200 : klen), key, masked);
}

static void check_env(struct ictx *c, const json_t *cfg)
{
	const json_t *env = json_object_get(cfg, "Env");
	size_t i;
	const json_t *item;
	json_array_foreach(env, i, item) {
		const char *kv = json_string_value(item);
		const char *eq = kv ? strchr(kv, '=') : NULL;
		if (!eq)
			continue;
		char loc[48];
		snprintf(loc, sizeof loc, "config.Env[%zu]", i);
		secret_pair(c, kv, (size_t)(eq - kv), eq + 1, loc, "Env");
	}
}

static bool unpinned(const char *ref)
{
	if (strchr(ref, '@'))
		return false;
	const char *slash = strrchr(ref, '/');
	const char *colon = strrchr(slash ? slash : ref, ':');
	return !colon || strcmp(colon + 1, "latest") == 0;
}

static void check_labels(struct ictx *c, const json_t *cfg)
{
	const json_t *labels = json_object_get(cfg, "Labels");
	const char *key;
	const json_t *val;
	json_object_foreach((json_t *)labels, key, val) {
		const char *v = json_string_value(val);
		if (!v)
			continue;
		char loc[300];
		snprintf(loc, sizeof loc, "config.Labels[%.200s]", key);
		secret_pair(c, key, strlen(key), v, loc, "label");
		/* the OCI annotation some builders copy into the labels is the
		 * only record of the base image an image keeps */
		if (strcmp(key, "org.opencontainers.image.base.name") == 0 && *v && unpinned(v))
			emit(c, DKR_LATEST_TAG, NULL, loc, -1, NULL, SEV_UNKNOWN,
			     "the image was built on %s, which has no pinned tag", v);
	}
}

static void check_healthcheck(struct ictx *c, const json_t *cfg)
{
	const json_t *hc = json_object_get(cfg, "Healthcheck");
	const json_t *test = json_object_get(hc, "Test");
	const char *first = json_string_value(json_array_get(test, 0));
	if (!hc || !first)
		emit(c, DKR_NO_HEALTHCHECK, NULL, "config.Healthcheck", -1, NULL, SEV_UNKNOWN, "the image has no HEALTHCHECK");
	else if (strcasecmp(first, "NONE") == 0)
		emit(c, DKR_NO_HEALTHCHECK, NULL, "config.Healthcheck", -1, NULL, SEV_UNKNOWN,
		     "the image's HEALTHCHECK is NONE (disabled)");
}

static void check_ports(struct ictx *c, const json_t *cfg)
{
	const json_t *ports = json_object_get(cfg, "ExposedPorts");
	const char *key;
	const json_t *val;
	json_object_foreach((json_t *)ports, key, val) {
		if (strcmp(key, "22") == 0 || strncmp(key, "22/", 3) == 0) {
			emit(c, DKR_PORT_22, NULL, "config.ExposedPorts", -1, NULL, SEV_UNKNOWN, "the image exposes %s (SSH)", key);
			return;
		}
	}
}

/* ---- history ---- */

/* Words "k=v" of a BuildKit "|N k=v ..." prefix: build arguments RUN saw. */
static const char *build_args(struct ictx *c, const char *s, const char *loc, int layer)
{
	char *end;
	long n = strtol(s + 1, &end, 10);
	if (end == s + 1 || n <= 0 || *end != ' ')
		return s;
	s = end + 1;
	for (long k = 0; k < n && *s; k++) {
		size_t len = strcspn(s, " ");
		const char *eq = memchr(s, '=', len);
		if (eq && dkr_secret_name(s, (size_t)(eq - s)) && dkr_secret_literal(eq + 1, len - (size_t)(eq - s) - 1)) {
			char masked[48];
			dkr_mask_secret(masked, sizeof masked, eq + 1, len - (size_t)(eq - s) - 1);
			emit(c, DKR_SECRET_BUILD_ARG, NULL, loc, layer, masked, SEV_UNKNOWN,
			     "build argument %.*s is recorded in the image history (%s)", (int)(eq - s > 200 ? 200 : eq - s),
			     s, masked);
		}
		s += len;
		while (*s == ' ')
			s++;
	}
	return s;
}

static bool starts_with(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* The shell command of a history entry, or NULL for metadata steps.
 * Classic builder: "/bin/sh -c #(nop)  USER app" (metadata) and "/bin/sh
 * -c apt-get ..." (RUN); BuildKit: "RUN /bin/sh -c apt-get ... # buildkit",
 * "RUN |2 A=1 B=2 /bin/sh -c ...", "USER app", "EXPOSE map[22/tcp:{}]".
 * Other builders write free text, read as a command. */
static const char *history_command(struct ictx *c, const char *s, const char *loc, int layer, size_t *len)
{
	static const char *const meta[] = { "ADD ",	    "ARG ",	"CMD ",	  "COPY ",    "ENTRYPOINT ", "ENV ",
					    "EXPOSE ",	    "HEALTHCHECK ", "LABEL ", "MAINTAINER ", "ONBUILD ", "SHELL ",
					    "STOPSIGNAL ", "USER ",	"VOLUME ", "WORKDIR ", NULL };
	if (starts_with(s, "RUN ")) {
		s += 4;
		if (*s == '|')
			s = build_args(c, s, loc, layer);
	} else {
		for (const char *const *m = meta; *m; m++)
			if (starts_with(s, *m))
				return NULL;
	}
	if (starts_with(s, "/bin/sh -c "))
		s += 11;
	if (starts_with(s, "#(nop)"))
		return NULL;
	*len = strlen(s);
	if (*len >= 11 && strcmp(s + *len - 11, " # buildkit") == 0)
		*len -= 11;
	return s;
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

/* chmod in a build step. The file tree check reports the files that still
 * have the mode; this names the step that gave it (and also covers images
 * scanned without their file tree). */
static void check_history_chmod(struct ictx *c, const struct run_facts *f, const char *loc, int layer)
{
	char paths[640];
	if (f->setuid.n) {
		unsigned b = f->setuid.bits;
		emit(c, DKR_SETUID, NULL, loc, layer, NULL, SEV_UNKNOWN, "the image was built with chmod %.40s, which sets %s on %s",
		     f->setuid.mode,
		     (b & CHMOD_SETUID) && (b & CHMOD_SETGID) ? "the setuid and setgid bits"
		     : b & CHMOD_SETUID			      ? "the setuid bit"
							      : "the setgid bit",
		     path_list(&f->setuid, paths, sizeof paths));
	}
	if (f->world_writable.n)
		emit(c, DKR_WORLD_WRITABLE, NULL, loc, layer, NULL, SEV_UNKNOWN,
		     "the image was built with chmod %.40s, which makes %s writable by everyone", f->world_writable.mode,
		     path_list(&f->world_writable, paths, sizeof paths));
}

static void check_history(struct ictx *c, const json_t *root)
{
	const json_t *hist = json_object_get(root, "history");
	size_t i;
	const json_t *h;
	int layer = 0;
	json_array_foreach(hist, i, h) {
		bool empty = json_is_true(json_object_get(h, "empty_layer"));
		int this_layer = empty ? -1 : layer++;
		const char *by = json_str(h, "created_by");
		if (!by)
			continue;
		char loc[48];
		snprintf(loc, sizeof loc, "history[%zu].created_by", i);
		size_t len;
		const char *cmd = history_command(c, by, loc, this_layer, &len);
		if (!cmd || c->rc)
			continue;
		struct arena scratch = { 0 };
		struct run_facts f = { 0 };
		c->rc = run_facts_of_script(&scratch, cmd, len, &f);
		if (f.upgrade)
			emit(c, DKR_UPGRADE, NULL, loc, this_layer, NULL, SEV_UNKNOWN,
			     "the image was built with a package upgrade (%s)", f.upgrade);
		if (f.pipe_to_shell)
			emit(c, DKR_PIPE_TO_SHELL, NULL, loc, this_layer, NULL, SEV_UNKNOWN,
			     "the image was built by piping a downloaded script into an interpreter (%s)", f.pipe_to_shell);
		check_history_chmod(c, &f, loc, this_layer);
		arena_free(&scratch); /* after the messages: the chmod paths live in it */
	}
}

/* ---- packages ---- */

static bool is_ssh_server(const char *name)
{
	return strcmp(name, "openssh-server") == 0 || strcmp(name, "dropbear") == 0 ||
	       strcmp(name, "openssh-server-pam") == 0 || strncmp(name, "dropbear-", 9) == 0;
}

static void check_packages(struct ictx *c, const struct artifact *a, bool *sudo, bool *ssh)
{
	for (size_t i = 0; i < a->npkgs; i++) {
		const struct package *p = &a->pkgs[i];
		if (!pkg_type_is_os(p->type))
			continue;
		char loc[300];
		snprintf(loc, sizeof loc, "package %.200s", p->name);
		if (strcmp(p->name, "sudo") == 0 || strcmp(p->name, "sudo-ldap") == 0) {
			*sudo = true;
			emit(c, DKR_SUDO, p->found_in, loc, p->layer, NULL, SEV_UNKNOWN, "package %s %s is installed", p->name,
			     p->version);
		}
		if (is_ssh_server(p->name)) {
			*ssh = true;
			emit(c, DKR_SSH_SERVER, p->found_in, loc, p->layer, NULL, SEV_UNKNOWN, "package %s %s is installed",
			     p->name, p->version);
		}
	}
}

/* ---- file tree ---- */

enum cache_kind { CACHE_APT_LISTS, CACHE_APT_DEBS, CACHE_APK, CACHE_YUM, CACHE_DNF, CACHE_PIP, CACHE_COUNT };

static const struct {
	const char *dir, *suffix, *what;
} caches[CACHE_COUNT] = {
	[CACHE_APT_LISTS] = { "var/lib/apt/lists/", NULL, "apt package lists" },
	[CACHE_APT_DEBS] = { "var/cache/apt/archives/", ".deb", "downloaded .deb packages" },
	[CACHE_APK] = { "var/cache/apk/", NULL, "apk package index cache" },
	[CACHE_YUM] = { "var/cache/yum/", NULL, "yum cache" },
	[CACHE_DNF] = { "var/cache/dnf/", NULL, "dnf cache" },
	[CACHE_PIP] = { "root/.cache/pip/", NULL, "pip cache" },
};

struct file_hit {
	const char *path; /* the view's */
	uint32_t mode;
	int layer;
};

struct tree {
	struct ictx *c;
	const struct strmap *owners;
	struct file_hit *suid, *ww;
	size_t nsuid, nww, cap_suid, cap_ww;
	uint64_t cache_files[CACHE_COUNT], cache_bytes[CACHE_COUNT];
	int cache_layer[CACHE_COUNT];
	const struct scan_file *sudo_file, *sshd_file;
};

static int push(struct file_hit **v, size_t *n, size_t *cap, const struct scan_file *f)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct file_hit *nv = realloc(*v, nc * sizeof *nv);
		if (!nv)
			return BOSUN_ENOMEM;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = (struct file_hit){ f->path, f->mode, f->layer };
	return BOSUN_OK;
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int visit(const struct scan_file *f, void *ctx)
{
	struct tree *t = ctx;
	uint32_t type = f->mode & S_IFMT;
	if (type == S_IFLNK || f->deleted)
		return BOSUN_OK;
	if (type == S_IFREG) {
		if ((f->mode & (S_ISUID | S_ISGID)) && t->nsuid <= IMAGE_CHECK_MAX_FILE_FINDINGS * 4)
			TRY(push(&t->suid, &t->nsuid, &t->cap_suid, f));
		for (int k = 0; k < CACHE_COUNT; k++) {
			size_t dl = strlen(caches[k].dir);
			if (strncmp(f->path, caches[k].dir, dl) != 0)
				continue;
			const char *rest = f->path + dl;
			if (k == CACHE_APT_LISTS && (strcmp(rest, "lock") == 0 || strncmp(rest, "partial/", 8) == 0 ||
						     strncmp(rest, "auxfiles/", 9) == 0))
				continue;
			size_t rl = strlen(rest), sl = caches[k].suffix ? strlen(caches[k].suffix) : 0;
			if (sl && (rl < sl || strcmp(rest + rl - sl, caches[k].suffix) != 0))
				continue;
			t->cache_files[k]++;
			t->cache_bytes[k] += f->size;
			if (f->layer > t->cache_layer[k])
				t->cache_layer[k] = f->layer;
		}
		if (strcmp(f->path, "usr/bin/sudo") == 0 || strcmp(f->path, "bin/sudo") == 0)
			t->sudo_file = f;
		if (strcmp(f->path, "usr/sbin/sshd") == 0 || strcmp(f->path, "usr/sbin/dropbear") == 0 ||
		    strcmp(f->path, "sbin/sshd") == 0)
			t->sshd_file = f;
	}
	if ((type == S_IFREG || type == S_IFDIR) && (f->mode & S_IWOTH)) {
		bool sticky_dir = type == S_IFDIR && (f->mode & S_ISVTX);
		bool scratch = under(f->path, "tmp") || under(f->path, "var/tmp") || under(f->path, "dev/shm");
		if (!sticky_dir && !scratch && t->nww <= IMAGE_CHECK_MAX_FILE_FINDINGS * 4)
			TRY(push(&t->ww, &t->nww, &t->cap_ww, f));
	}
	return BOSUN_OK;
}

static int cmp_hit(const void *a, const void *b)
{
	return strcmp(((const struct file_hit *)a)->path, ((const struct file_hit *)b)->path);
}

/* Owner package of path; dpkg lists bin/su for usr/bin/su on usrmerged systems. */
static const char *owner_of(const struct strmap *owners, const char *path)
{
	const char *o = strmap_get(owners, path);
	if (!o && strncmp(path, "usr/", 4) == 0)
		o = strmap_get(owners, path + 4);
	return o;
}

static int build_owners(const struct artifact *a, struct strmap *owners)
{
	for (size_t i = 0; i < a->npkgs; i++) {
		const struct package *p = &a->pkgs[i];
		if (!pkg_type_is_os(p->type))
			continue;
		for (size_t k = 0; k < p->nfiles; k++) {
			const char *f = p->files[k];
			while (*f == '/')
				f++;
			if (!strmap_get(owners, f))
				TRY(strmap_put(owners, f, p->name));
		}
	}
	return BOSUN_OK;
}

static void report_files(struct ictx *c, struct tree *t)
{
	if (t->nsuid)
		qsort(t->suid, t->nsuid, sizeof *t->suid, cmp_hit);
	if (t->nww)
		qsort(t->ww, t->nww, sizeof *t->ww, cmp_hit);
	for (size_t i = 0; i < t->nsuid && i < IMAGE_CHECK_MAX_FILE_FINDINGS; i++) {
		const struct file_hit *h = &t->suid[i];
		const char *bits = (h->mode & S_ISUID) && (h->mode & S_ISGID) ? "setuid+setgid"
				   : (h->mode & S_ISUID)			    ? "setuid"
										    : "setgid";
		const char *owner = owner_of(t->owners, h->path);
		if (owner)
			emit(c, DKR_SETUID, h->path, NULL, h->layer, NULL, SEV_LOW, "%s file /%s (mode %04o) from package %s",
			     bits, h->path, h->mode & 07777, owner);
		else
			emit(c, DKR_SETUID, h->path, NULL, h->layer, NULL, SEV_UNKNOWN,
			     "%s file /%s (mode %04o) not installed by any package", bits, h->path, h->mode & 07777);
	}
	if (t->nsuid > IMAGE_CHECK_MAX_FILE_FINDINGS)
		emit(c, DKR_SETUID, NULL, NULL, -1, NULL, SEV_UNKNOWN, "%zu%s more setuid/setgid files not listed",
		     t->nsuid - IMAGE_CHECK_MAX_FILE_FINDINGS, t->nsuid > IMAGE_CHECK_MAX_FILE_FINDINGS * 4 ? " or" : "");
	for (size_t i = 0; i < t->nww && i < IMAGE_CHECK_MAX_FILE_FINDINGS; i++) {
		const struct file_hit *h = &t->ww[i];
		emit(c, DKR_WORLD_WRITABLE, h->path, NULL, h->layer, NULL, SEV_UNKNOWN, "%s /%s is writable by everyone (mode %04o)",
		     S_ISDIR(h->mode) ? "directory" : "file", h->path, h->mode & 07777);
	}
	if (t->nww > IMAGE_CHECK_MAX_FILE_FINDINGS)
		emit(c, DKR_WORLD_WRITABLE, NULL, NULL, -1, NULL, SEV_UNKNOWN, "%zu%s more world-writable entries not listed",
		     t->nww - IMAGE_CHECK_MAX_FILE_FINDINGS, t->nww > IMAGE_CHECK_MAX_FILE_FINDINGS * 4 ? " or" : "");
	for (int k = 0; k < CACHE_COUNT; k++) {
		if (!t->cache_files[k])
			continue;
		char dir[64];
		snprintf(dir, sizeof dir, "%.*s", (int)strlen(caches[k].dir) - 1, caches[k].dir);
		emit(c, DKR_PKG_CACHE, dir, NULL, t->cache_layer[k], NULL, SEV_UNKNOWN,
		     "%s left in the image: %llu files, %llu KiB in /%s", caches[k].what,
		     (unsigned long long)t->cache_files[k], (unsigned long long)((t->cache_bytes[k] + 1023) / 1024), dir);
	}
}

static void check_tree(struct ictx *c, const struct scan_view *v, const struct artifact *a, bool sudo_pkg, bool ssh_pkg)
{
	struct strmap owners = { 0 };
	struct tree t = { .c = c, .owners = &owners };
	for (int k = 0; k < CACHE_COUNT; k++)
		t.cache_layer[k] = -1;
	int rc = build_owners(a, &owners);
	if (!rc)
		rc = view_each_entry(v, visit, &t);
	if (rc) {
		c->rc = rc;
		goto out;
	}
	report_files(c, &t);
	if (!sudo_pkg && t.sudo_file)
		emit(c, DKR_SUDO, t.sudo_file->path, NULL, t.sudo_file->layer, NULL, SEV_UNKNOWN, "/%s is present",
		     t.sudo_file->path);
	if (!ssh_pkg && t.sshd_file)
		emit(c, DKR_SSH_SERVER, t.sshd_file->path, NULL, t.sshd_file->layer, NULL, SEV_UNKNOWN, "/%s is present",
		     t.sshd_file->path);
out:
	free(t.suid);
	free(t.ww);
	strmap_free(&owners);
}

int image_config_check(const struct scan_view *v, const struct artifact *a, struct finding_list *out, struct berr *e)
{
	struct finding_list mine;
	finding_list_init(&mine);
	struct ictx c = { .out = &mine };
	json_t *root = NULL;
	if (a->config_json) {
		int rc = json_parse_bounded(a->config_json, strlen(a->config_json), 64, "image config", &root, e);
		if (rc) {
			finding_list_free(&mine);
			return rc;
		}
		const json_t *cfg = json_object_get(root, "config");
		if (!json_is_object(cfg))
			cfg = json_object_get(root, "container_config"); /* very old docker configs */
		check_user(&c, cfg);
		check_env(&c, cfg);
		check_labels(&c, cfg);
		check_healthcheck(&c, cfg);
		check_ports(&c, cfg);
		check_history(&c, root);
		json_decref(root);
	}
	bool sudo_pkg = false, ssh_pkg = false;
	check_packages(&c, a, &sudo_pkg, &ssh_pkg);
	if (v && !c.rc)
		check_tree(&c, v, a, sudo_pkg, ssh_pkg);
	int rc = c.rc;
	if (!rc) {
		finding_list_sort(&mine);
		rc = finding_list_append(out, &mine);
	}
	finding_list_free(&mine);
	if (rc)
		return berr_set(e, rc, "image checks: %s", bosun_strerror(rc));
	return BOSUN_OK;
}
