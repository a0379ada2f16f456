/* What one RUN step does, as far as the build rules care: package manager
 * calls (install, update, upgrade, cache cleanup), sudo, and remote scripts
 * piped into an interpreter. Shared by the Dockerfile checks (RUN lines)
 * and the image checks (history created_by), so both read a command the
 * same way. */
#ifndef BOSUN_MISCONFIG_RUN_FACTS_H
#define BOSUN_MISCONFIG_RUN_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "misconfig/shell.h"

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
};

void run_facts_collect(const struct sh_cmd *cmds, size_t n, struct run_facts *f);

/* Parses script with sh_parse and collects its facts. */
int run_facts_of_script(struct arena *a, const char *script, size_t n, struct run_facts *f);

#endif
