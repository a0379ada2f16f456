/* RUN step facts; see run_facts.h. */
#include "misconfig/run_facts.h"

#include <string.h>
#include <strings.h>

#include "util/err.h"

static bool eq(const char *a, const char *b) { return strcmp(a, b) == 0; }

/* Package name without a version or release qualifier ("sudo=1.9.13" ->
 * "sudo", "openssh-server>9"). */
static bool pkg_is(const char *word, const char *name)
{
	size_t n = strlen(name);
	return strncmp(word, name, n) == 0 && (word[n] == '\0' || strchr("=<>~:", word[n]));
}

static void note_package(struct run_facts *f, const char *pkg)
{
	if (pkg_is(pkg, "sudo") || pkg_is(pkg, "sudo-ldap"))
		f->installs_sudo = true;
	static const char *const ssh[] = { "openssh-server", "openssh", "dropbear", "openssh-server-pam", NULL };
	for (const char *const *s = ssh; *s; s++)
		if (pkg_is(pkg, *s)) {
			f->installs_ssh_server = true;
			if (!f->ssh_package)
				f->ssh_package = *s;
		}
}

/* ---- apt-get, apt, aptitude ---- */

static bool apt_opt_takes_value(const char *w)
{
	return eq(w, "-o") || eq(w, "-c") || eq(w, "-t") || eq(w, "--option") || eq(w, "--config-file") ||
	       eq(w, "--target-release") || eq(w, "--default-release");
}

static void apt(const struct sh_cmd *c, struct run_facts *f)
{
	const char *sub = NULL;
	bool yes = false, no_recommends = false;
	int quiet = 0;
	for (size_t i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		if (w[0] == '-') {
			if (eq(w, "-y") || eq(w, "--yes") || eq(w, "--assume-yes") || eq(w, "--force-yes"))
				yes = true;
			else if (eq(w, "--no-install-recommends"))
				no_recommends = true;
			else if (eq(w, "-q") || eq(w, "--quiet"))
				quiet++;
			else if (eq(w, "-q=2") || eq(w, "--quiet=2") || eq(w, "-qq"))
				quiet += 2;
			else if (w[1] != '-' && strchr(w, 'y') && !strchr(w, '='))
				yes = true; /* -qy, -yq */
			if (apt_opt_takes_value(w) && i + 1 < c->argc) {
				const char *v = c->argv[++i];
				if (strncasecmp(v, "APT::Get::Assume-Yes=", 21) == 0 && (eq(v + 21, "true") || eq(v + 21, "1")))
					yes = true;
				if (strncasecmp(v, "APT::Install-Recommends=", 24) == 0 &&
				    (strcasecmp(v + 24, "false") == 0 || eq(v + 24, "0")))
					no_recommends = true;
			}
			continue;
		}
		if (!sub) {
			sub = w;
			continue;
		}
		if (eq(sub, "install"))
			note_package(f, w);
	}
	if (!sub)
		return;
	/* apt-get's "quiet level 2 implies -y" */
	yes = yes || quiet >= 2;
	if (eq(sub, "install")) {
		f->apt_install = true;
		f->apt_install_without_yes |= !yes;
		f->apt_install_with_recommends |= !no_recommends && !eq(c->name, "aptitude");
	} else if (eq(sub, "update")) {
		f->apt_update = true;
	} else if (eq(sub, "upgrade") || eq(sub, "dist-upgrade") || eq(sub, "full-upgrade")) {
		if (!f->upgrade)
			f->upgrade = eq(sub, "upgrade") ? "upgrade" : eq(sub, "dist-upgrade") ? "dist-upgrade" : "full-upgrade";
	}
}

/* ---- apk ---- */

static void apk(const struct sh_cmd *c, struct run_facts *f)
{
	const char *sub = NULL;
	bool no_cache = false;
	for (size_t i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		if (w[0] == '-') {
			if (eq(w, "--no-cache"))
				no_cache = true;
			if ((eq(w, "-X") || eq(w, "--repository") || eq(w, "-p") || eq(w, "--root") || eq(w, "--arch") ||
			     eq(w, "-t") || eq(w, "--virtual") || eq(w, "--cache-dir")) &&
			    i + 1 < c->argc)
				i++;
			continue;
		}
		if (!sub)
			sub = w;
		else if (eq(sub, "add"))
			note_package(f, w);
	}
	if (!sub)
		return;
	if (eq(sub, "add")) {
		f->apk_add = true;
		f->apk_add_cached |= !no_cache;
	} else if (eq(sub, "update")) {
		f->apk_update = true;
	} else if (eq(sub, "cache")) {
		f->apk_cache_removed = true; /* apk cache clean */
	}
}

/* ---- pip ---- */

static bool is_pip(const struct sh_cmd *c, size_t *sub_at)
{
	if (strncmp(c->name, "pip", 3) == 0 && (c->name[3] == '\0' || c->name[3] == '3' || c->name[3] == '2')) {
		*sub_at = 1;
		return true;
	}
	if (strncmp(c->name, "python", 6) == 0 && c->argc > 2 && eq(c->argv[1], "-m") &&
	    (eq(c->argv[2], "pip") || eq(c->argv[2], "pip3"))) {
		*sub_at = 3;
		return true;
	}
	return false;
}

static void pip(const struct sh_cmd *c, size_t at, struct run_facts *f)
{
	const char *sub = NULL;
	bool no_cache = false;
	for (size_t i = at; i < c->argc; i++) {
		const char *w = c->argv[i];
		if (eq(w, "--no-cache-dir") || eq(w, "--no-cache"))
			no_cache = true;
		else if (w[0] != '-' && !sub)
			sub = w;
	}
	if (sub && eq(sub, "install") && !no_cache)
		f->pip_install_cached = true;
}

/* ---- yum, dnf, microdnf, zypper ---- */

static void rpm_tool(const struct sh_cmd *c, struct run_facts *f)
{
	const char *sub = NULL;
	for (size_t i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		if (w[0] == '-')
			continue;
		if (!sub) {
			sub = w;
			if (eq(sub, "clean"))
				f->rpm_cache_cleaned = true;
			continue;
		}
		if (eq(sub, "install") || eq(sub, "in"))
			note_package(f, w);
	}
	if (sub && (eq(sub, "install") || eq(sub, "in")))
		f->rpm_install = true;
	if (sub && (eq(sub, "upgrade") || eq(sub, "distro-sync")) && !f->upgrade)
		f->upgrade = sub;
}

/* ---- rm of caches ---- */

static void rm(const struct sh_cmd *c, struct run_facts *f)
{
	for (size_t i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		if (strstr(w, "/var/lib/apt/lists"))
			f->apt_lists_removed = true;
		if (strstr(w, "/var/cache/apk"))
			f->apk_cache_removed = true;
		if (strstr(w, "/var/cache/yum") || strstr(w, "/var/cache/dnf"))
			f->rpm_cache_cleaned = true;
		if (strstr(w, ".cache/pip") || strstr(w, "/root/.cache"))
			f->pip_cache_removed = true;
	}
}

/* ---- chmod ---- */

static void note_path(struct run_paths *rp, const char *mode, const char *path, unsigned bits)
{
	if (rp->n < RUN_FACTS_MAX_PATHS)
		rp->path[rp->n] = path;
	if (!rp->mode)
		rp->mode = mode;
	rp->bits |= bits;
	rp->n++;
}

/* chmod [options] MODE FILE...: options may come before or after the mode
 * (GNU permutes them); a mode that starts with '-' ("-w") is a mode, not an
 * option. --reference or a mode in a variable: the mode is unknown. */
static void chmod_cmd(const struct sh_cmd *c, struct run_facts *f)
{
	const char *mode = NULL;
	bool options = true;
	unsigned set = 0, clr = 0;
	for (size_t i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		if (options && eq(w, "--")) {
			options = false;
			continue;
		}
		bool option = options && w[0] == '-' && w[1] != '\0';
		if (!mode) {
			if (option && strncmp(w, "--reference", 11) == 0)
				return;
			if (!chmod_mode_effect(w, &set, &clr)) {
				if (option)
					continue; /* -R, -v, --recursive */
				return;           /* "$MODE": not known before the build */
			}
			mode = w;
			continue;
		}
		if (option)
			continue;
		if (set & (CHMOD_SETUID | CHMOD_SETGID))
			note_path(&f->setuid, mode, w, set & (CHMOD_SETUID | CHMOD_SETGID));
		/* a scratch directory is world-writable by design; only with the
		 * sticky bit gone can users delete each other's files there */
		if ((set & CHMOD_OTHERS_WRITE) && !(chmod_scratch_path(w) && !(clr & CHMOD_STICKY)))
			note_path(&f->world_writable, mode, w, CHMOD_OTHERS_WRITE);
	}
}

/* ---- remote scripts ---- */

static bool is_downloader(const char *name) { return eq(name, "curl") || eq(name, "wget") || eq(name, "fetch"); }

/* Whether the interpreter reads its program from stdin: "sh", "bash -s --
 * -y", "python3 -"; not "python3 -c ...", "python -m json.tool", "sh x.sh". */
static bool reads_stdin(const struct sh_cmd *c)
{
	for (size_t i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		if (eq(w, "-s") || eq(w, "--") || eq(w, "-"))
			return true;
		if (eq(w, "-c") || eq(w, "-m") || eq(w, "-e") || w[0] != '-')
			return false;
	}
	return true;
}

static bool fetches(const char *w)
{
	static const char *const pats[] = { "$(curl", "$(wget", "`curl", "`wget", "<(curl", "<(wget", NULL };
	for (const char *const *p = pats; *p; p++) {
		const char *s = strstr(w, *p);
		if (s && (s[6] == ' ' || s[6] == '\t' || s[6] == '\0'))
			return true;
	}
	return false;
}

/* A fixed description of the pattern (no occurrence text: run_facts keeps
 * no memory of its own). */
static const char *pipe_name(const char *downloader, const char *interp)
{
	bool py = strncmp(interp, "python", 6) == 0;
	if (eq(downloader, "curl"))
		return py ? "curl | python" : "curl | sh";
	if (eq(downloader, "wget"))
		return py ? "wget | python" : "wget | sh";
	return py ? "fetch | python" : "fetch | sh";
}

static void remote_scripts(const struct sh_cmd *cmds, size_t n, struct run_facts *f)
{
	for (size_t i = 0; i < n && !f->pipe_to_shell; i++) {
		const struct sh_cmd *c = &cmds[i];
		if (is_downloader(c->name)) {
			for (size_t j = i + 1; j < n && cmds[j].pipeline == c->pipeline; j++)
				if (sh_is_interpreter(cmds[j].name) && reads_stdin(&cmds[j])) {
					f->pipe_to_shell = pipe_name(c->name, cmds[j].name);
					break;
				}
			continue;
		}
		if (sh_is_interpreter(c->name) || eq(c->name, "source") || eq(c->name, ".") || eq(c->name, "eval"))
			for (size_t k = 1; k < c->argc; k++)
				if (fetches(c->argv[k])) {
					f->pipe_to_shell = "sh -c \"$(curl ...)\"";
					break;
				}
	}
}

void run_facts_collect(const struct sh_cmd *cmds, size_t n, struct run_facts *f)
{
	for (size_t i = 0; i < n; i++) {
		const struct sh_cmd *c = &cmds[i];
		size_t at;
		f->uses_sudo |= c->sudo;
		if (eq(c->name, "apt-get") || eq(c->name, "apt") || eq(c->name, "aptitude"))
			apt(c, f);
		else if (eq(c->name, "apk"))
			apk(c, f);
		else if (eq(c->name, "yum") || eq(c->name, "dnf") || eq(c->name, "microdnf") || eq(c->name, "tdnf") ||
			 eq(c->name, "zypper"))
			rpm_tool(c, f);
		else if (eq(c->name, "rm"))
			rm(c, f);
		else if (eq(c->name, "chmod"))
			chmod_cmd(c, f);
		else if (is_pip(c, &at))
			pip(c, at, f);
	}
	remote_scripts(cmds, n, f);
}

int run_facts_of_script(struct arena *a, const char *script, size_t n, struct run_facts *f)
{
	struct sh_cmd *cmds;
	size_t count;
	TRY(sh_parse(a, script, n, &cmds, &count));
	run_facts_collect(cmds, count, f);
	return BOSUN_OK;
}
