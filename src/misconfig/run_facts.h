/* What one RUN step does, as far as the build rules care: package manager
 * calls (install, update, upgrade, cache cleanup), sudo, remote scripts
 * piped into an interpreter, and chmod of setuid or world-writable modes. Shared by the Dockerfile checks (RUN lines)
 * and the image checks (history created_by), so both read a command the
 * same way. */
#ifndef BOSUN_MISCONFIG_RUN_FACTS_H
#define BOSUN_MISCONFIG_RUN_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "misconfig/chmod_mode.h"
#include "misconfig/shell.h"

#define RUN_FACTS_MAX_PATHS 4

/* Files a chmod gave a risky mode, as written in the command ("$APP/bin"
 * stays as it is). The strings point into the parsed commands: with
 * run_facts_of_script, into its arena, so use them before freeing it. */
struct run_paths {
	const char *path[RUN_FACTS_MAX_PATHS]; /* the first ones */
	size_t n;                              /* how many in all */
	const char *mode;                      /* the first such chmod's mode ("4755", "u+s") */
	unsigned bits;                         /* CHMOD_SETUID/CHMOD_SETGID, or CHMOD_OTHERS_WRITE */
};

struct run_facts {
	/* apt-get / apt / aptitude */
	bool apt_install, apt_update, apt_lists_removed;
	bool apt_install_without_yes, apt_install_with_recommends;
	const char *upgrade;          /* "apt-get dist-upgrade" etc., NULL when none */
	/* apk */
	bool apk_add, apk_add_cached, apk_update, apk_cache_removed;
	/* pip */
	bool pip_install_cached;      /* pip install without --no-cache-dir */
	bool pip_cache_removed;
	/* yum / dnf / microdnf / zypper */
	bool rpm_install, rpm_cache_cleaned;
	/* packages by role */
	bool installs_sudo, installs_ssh_server;
	const char *ssh_package;      /* the package name as written */
	bool uses_sudo;
	/* curl ... | sh, sh -c "$(curl ...)", bash <(curl ...) */
	const char *pipe_to_shell;    /* "curl | sh", NULL when none */
	/* chmod (chmod_mode.h) that surely sets the setuid or setgid bit, or
	 * write for others (not with the sticky bit on /tmp, /var/tmp, /dev/shm) */
	struct run_paths setuid, world_writable;
};

void run_facts_collect(const struct sh_cmd *cmds, size_t n, struct run_facts *f);

/* Parses script with sh_parse and collects its facts. */
int run_facts_of_script(struct arena *a, const char *script, size_t n, struct run_facts *f);

#endif
