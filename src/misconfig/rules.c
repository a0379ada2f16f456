#include "misconfig/rules.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define CIS_DOCKER "https://www.cisecurity.org/benchmark/docker"
#define HADOLINT(code) "https://github.com/hadolint/hadolint/wiki/" code

static const struct dkr_rule_info rules[DKR_RULE_COUNT] = {
	[DKR_ROOT_USER] = { "DKR-001", "Container runs as root", SEV_HIGH, "CIS Docker 4.1", CIS_DOCKER,
			    "Create an unprivileged user (useradd/adduser) and switch to it with USER name or "
			    "USER uid:gid as the last USER of the final stage." },
	[DKR_SECRET_VALUE] = { "DKR-002", "Secret stored in image metadata", SEV_CRITICAL, "CIS Docker 4.10", CIS_DOCKER,
			       "Do not put secrets in ENV, ARG or LABEL: they are readable by anyone who can pull the "
			       "image. Use RUN --mount=type=secret at build time and runtime secrets (files, a secret "
			       "manager) when the container runs, and rotate the exposed value." },
	[DKR_LATEST_TAG] = { "DKR-003", "Base image without a pinned tag", SEV_MEDIUM, "hadolint DL3006/DL3007",
			     HADOLINT("DL3007"),
			     "Name the base image with an explicit version tag, or better a digest "
			     "(image:1.2.3@sha256:...), so builds are reproducible and reviewed." },
	[DKR_NO_HEALTHCHECK] = { "DKR-004", "No HEALTHCHECK", SEV_LOW, "CIS Docker 4.6", CIS_DOCKER,
				 "Add a HEALTHCHECK instruction to the final stage so the runtime can detect and "
				 "restart a container that no longer works." },
	[DKR_SUDO] = { "DKR-005", "sudo in the image", SEV_MEDIUM, "CIS Docker 4.3; hadolint DL3004", HADOLINT("DL3004"),
		       "Do not install or use sudo: the build already runs as root, and at runtime sudo only "
		       "widens the ways to become root. Switch users with USER, or gosu/su-exec in an entrypoint." },
	[DKR_SSH_SERVER] = { "DKR-006", "SSH server in the image", SEV_MEDIUM, "CIS Docker 5.7", CIS_DOCKER,
			     "Remove the SSH server; use docker exec / kubectl exec to get into a container." },
	[DKR_PORT_22] = { "DKR-007", "Port 22 exposed", SEV_MEDIUM, "CIS Docker 5.7", CIS_DOCKER,
			  "Do not expose the SSH port; remove EXPOSE 22 and the SSH server behind it." },
	[DKR_UPGRADE] = { "DKR-008", "Distribution upgrade during the build", SEV_LOW, "hadolint DL3005; CIS Docker 4.7",
			  HADOLINT("DL3005"),
			  "Do not run apt-get upgrade/dist-upgrade in the image; rebuild on an updated base image "
			  "and pin the packages you install." },
	[DKR_PIPE_TO_SHELL] = { "DKR-009", "Remote script piped into a shell", SEV_HIGH, "CIS Docker 4.11", CIS_DOCKER,
				"Download the script or package to a file, verify its checksum or signature, then "
				"run it; or install it from a package repository that verifies signatures." },
	[DKR_PKG_CACHE] = { "DKR-010", "Package manager cache left in the image", SEV_LOW, "hadolint DL3009/DL3019/DL3042",
			    HADOLINT("DL3009"),
			    "Remove the cache in the same RUN that fills it (rm -rf /var/lib/apt/lists/*, apk add "
			    "--no-cache, pip install --no-cache-dir, yum/dnf clean all) or use "
			    "RUN --mount=type=cache." },
	[DKR_SETUID] = { "DKR-011", "setuid/setgid file", SEV_MEDIUM, "CIS Docker 4.8", CIS_DOCKER,
			 "Remove the setuid/setgid bit from files that do not need it (chmod u-s,g-s) in the same "
			 "build step that installs them, or remove the files." },
	[DKR_WORLD_WRITABLE] = { "DKR-012", "World-writable file or directory", SEV_MEDIUM,
				 "CIS Distribution Independent Linux 6.1.10",
				 "https://www.cisecurity.org/benchmark/distribution_independent_linux",
				 "Remove write permission for others (chmod o-w); a shared scratch directory needs "
				 "the sticky bit (chmod 1777)." },
	[DKR_ADD_REMOTE] = { "DKR-013", "ADD with a remote URL", SEV_MEDIUM, "CIS Docker 4.9", CIS_DOCKER,
			     "Download with curl/wget in a RUN that verifies a checksum (or use ADD --checksum=sha256:...), "
			     "and copy local files with COPY." },
	[DKR_ADD_LOCAL] = { "DKR-014", "ADD used instead of COPY", SEV_LOW, "CIS Docker 4.9; hadolint DL3020",
			    HADOLINT("DL3020"),
			    "Use COPY for local files and directories; ADD only when its archive extraction is "
			    "what you want." },
	[DKR_UPDATE_ALONE] = { "DKR-015", "Package index update alone in a RUN", SEV_MEDIUM, "CIS Docker 4.7", CIS_DOCKER,
			       "Run the update and the install in the same RUN (apt-get update && apt-get install "
			       "-y ...), so a cached, outdated index is never used." },
	[DKR_MULTIPLE_CMD] = { "DKR-016", "More than one CMD or ENTRYPOINT in a stage", SEV_LOW, "hadolint DL4003/DL4004",
			       HADOLINT("DL4003"),
			       "Keep one CMD and one ENTRYPOINT per stage: only the last one takes effect." },
	[DKR_APT_NO_YES] = { "DKR-017", "apt-get install without -y", SEV_LOW, "hadolint DL3014", HADOLINT("DL3014"),
			     "Pass -y (or --yes): the build has no terminal to answer apt-get's prompt and fails." },
	[DKR_APT_RECOMMENDS] = { "DKR-018", "apt-get install without --no-install-recommends", SEV_LOW,
				 "CIS Docker 4.3; hadolint DL3015", HADOLINT("DL3015"),
				 "Pass --no-install-recommends so only the packages you need end up in the image." },
	[DKR_SHELL_FORM_CMD] = { "DKR-019", "CMD/ENTRYPOINT in shell form", SEV_LOW, "hadolint DL3025", HADOLINT("DL3025"),
				 "Use the JSON (exec) form, CMD [\"prog\", \"arg\"]: in shell form the program runs "
				 "under /bin/sh -c and does not receive SIGTERM, so the container cannot stop cleanly." },
	[DKR_MAINTAINER] = { "DKR-020", "MAINTAINER is deprecated", SEV_LOW, "hadolint DL4000", HADOLINT("DL4000"),
			     "Use LABEL org.opencontainers.image.authors=\"...\" instead of MAINTAINER." },
	[DKR_SECRET_BUILD_ARG] = { "DKR-021", "Secret passed as a build argument", SEV_MEDIUM, "CIS Docker 4.10", CIS_DOCKER,
				   "Build arguments used by RUN are recorded in the image history. Pass secrets with "
				   "RUN --mount=type=secret,id=NAME (docker build --secret) instead of ARG." },
};

const struct dkr_rule_info *dkr_rule(enum dkr_rule r)
{
	return (unsigned)r < DKR_RULE_COUNT ? &rules[r] : NULL;
}

void dkr_finding_init(struct finding *f, enum dkr_rule r, const char *category)
{
	const struct dkr_rule_info *ri = dkr_rule(r);
	memset(f, 0, sizeof *f);
	f->kind = FINDING_KIND_MISCONFIG;
	f->rule_id = ri->id;
	f->title = ri->title;
	f->severity = ri->severity;
	f->control = ri->control;
	f->reference = ri->reference;
	f->remediation = ri->remediation;
	f->category = category;
	f->layer = -1;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	if (p[0] < 0x80)
		return 1;
	size_t len = (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (!len || len > n || (p[0] == 0xC0 || p[0] == 0xC1 || p[0] > 0xF4))
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if (len == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0)))
		return 0; /* overlong or surrogate */
	if (len == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90)))
		return 0;
	return len;
}

void dkr_clean_text(char *dst, size_t cap, const char *src, size_t n)
{
	if (cap == 0)
		return;
	size_t o = 0, i = 0;
	const unsigned char *s = (const unsigned char *)src;
	while (i < n) {
		size_t len = utf8_len(s + i, n - i);
		size_t out = len ? len : 1;
		if (o + out + 4 > cap) { /* room for "..." and NUL */
			if (o + 4 <= cap) {
				memcpy(dst + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (len == 1 && (s[i] < 0x20 || s[i] == 0x7F))
			dst[o++] = s[i] == '\t' || s[i] == '\n' ? ' ' : '?';
		else if (len)
			memcpy(dst + o, s + i, len), o += len;
		else
			dst[o++] = '?';
		i += out;
	}
	dst[o] = '\0';
}

/* Splits a name into lower-case parts at non-alphanumerics and at
 * lower-to-upper case changes ("dbPassword" -> "db", "password"). */
static size_t name_parts(const char *name, size_t n, char parts[][24], size_t max)
{
	size_t np = 0, len = 0;
	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? name[i] : '\0';
		bool alnum = isalnum((unsigned char)c);
		bool camel = alnum && i > 0 && isupper((unsigned char)c) && islower((unsigned char)name[i - 1]);
		if ((!alnum || camel) && len) {
			if (np < max)
				parts[np++][len < 23 ? len : 23] = '\0';
			len = 0;
		}
		if (alnum && np < max) {
			if (len < 23)
				parts[np][len] = (char)tolower((unsigned char)c);
			len++;
		}
	}
	return np;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

bool dkr_secret_name(const char *name, size_t n)
{
	static const char *const secret_words[] = { "password", "passwd", "passphrase", "pwd", "secret",  "token",
						    "apikey",   "credential", "credentials", "privatekey", NULL };
	/* "<first> key": API_KEY, ACCESS_KEY, PRIVATE_KEY, SECRET_KEY, ... */
	static const char *const key_prefixes[] = { "api", "access", "private", "secret", "auth", "encryption",
						    "signing", "master", "client", NULL };
	/* the name refers to a secret kept elsewhere, or describes one */
	static const char *const reference_words[] = { "file", "path", "dir", "url", "uri", "endpoint", "host",
						       "port", "length", "len", "size", "ttl", "timeout", "type",
						       "name", "id", "header", "env", "enabled", "required", "policy",
						       "algorithm", "provider", "format", "version", NULL };
	char parts[16][24];
	size_t np = name_parts(name, n, parts, 16);
	if (np == 0 || in_list(parts[np - 1], reference_words))
		return false;
	/* PWD alone is the shell's working directory */
	if (np == 1 && strcmp(parts[0], "pwd") == 0)
		return false;
	for (size_t i = 0; i < np; i++) {
		if (in_list(parts[i], secret_words))
			return true;
		if (i + 1 < np && strcmp(parts[i + 1], "key") == 0 && in_list(parts[i], key_prefixes))
			return true;
	}
	return false;
}

bool dkr_secret_literal(const char *v, size_t n)
{
	while (n && isspace((unsigned char)*v))
		v++, n--;
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	if (n == 0 || memchr(v, '$', n))
		return false;
	if (v[0] == '/' || (n >= 2 && v[0] == '<' && v[n - 1] == '>') || (n >= 4 && memcmp(v, "{{", 2) == 0) ||
	    (n >= 2 && v[0] == '%' && v[n - 1] == '%'))
		return false;
	/* only filler characters: "xxxx", "****", "..." */
	bool filler = true;
	for (size_t i = 0; i < n && filler; i++)
		filler = strchr("xX*.-_#?0", v[i]) != NULL;
	if (filler)
		return false;
	static const char *const placeholders[] = { "none", "null", "nil", "true", "false", "yes", "no", "on", "off",
						    "1", "dummy", "placeholder", "example", "unset", "empty",
						    "redacted", "secret", "password", "token", "your_token",
						    "your-token", "your_password", "changeme_in_production", NULL };
	char low[32];
	if (n < sizeof low) {
		for (size_t i = 0; i < n; i++)
			low[i] = (char)tolower((unsigned char)v[i]);
		low[n] = '\0';
		if (in_list(low, placeholders))
			return false;
	}
	return true;
}

void dkr_mask_secret(char *dst, size_t cap, const char *value, size_t n)
{
	if (cap == 0)
		return;
	size_t keep = n >= 12 ? 4 : 0, o = 0;
	for (size_t i = 0; i < n && o + 1 < cap && o < 40; i++) {
		unsigned char c = (unsigned char)value[i];
		dst[o++] = i < keep && c >= 0x20 && c < 0x7F ? (char)c : '*';
	}
	dst[o] = '\0';
}
