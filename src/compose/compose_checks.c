/* The checks of one service. Each reads the (merge-resolved) settings,
 * understands both the short and the long syntax where compose has two,
 * applies ${VAR:-default} defaults before judging a value, and points its
 * finding at the offending key or item. */
#include "compose/compose_rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- helpers ---------------------------------------------------------------- */

static unsigned line_at(const struct compose_ctx *c, const char *key, const char *item, const char *sub)
{
	return compose_line(c->lines, c->svc, key, item, sub);
}

static unsigned line_idx(const struct compose_ctx *c, const char *key, size_t i, const char *sub)
{
	char idx[24];
	snprintf(idx, sizeof idx, "%zu", i);
	return line_at(c, key, idx, sub);
}

/* The text of a string or integer scalar, interpolated; NULL otherwise. */
static const char *text_of(const struct compose_ctx *c, const json_t *v)
{
	char num[32];
	const char *s;
	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		s = num;
	} else
		return NULL;
	return compose_interpolate(c->tmp, s);
}

static bool is_true(const json_t *v)
{
	return json_is_true(v) || (json_is_string(v) && !strcasecmp(json_string_value(v), "true"));
}

static const json_t *get(const json_t *o, const char *k) { return json_is_object(o) ? json_object_get(o, k) : NULL; }

/* ---- privileged and namespaces ---------------------------------------------------- */

static int check_privileged(struct compose_ctx *c)
{
	if (!is_true(get(c->s, "privileged")))
		return BOSUN_OK;
	return compose_emit(c, CMP_PRIVILEGED, 0, line_at(c, "privileged", NULL, NULL), NULL,
			    "service %s runs privileged: every capability, every device, no seccomp or AppArmor",
			    c->svc);
}

static int check_namespaces(struct compose_ctx *c)
{
	static const struct {
		const char *key;
		enum compose_rule_id rule;
		const char *what;
	} ns[] = {
		{ "network_mode", CMP_HOST_NETWORK, "the host's network stack (its interfaces and localhost services)" },
		{ "net", CMP_HOST_NETWORK, "the host's network stack (its interfaces and localhost services)" },
		{ "pid", CMP_HOST_PID, "the host's processes (it can see and signal them)" },
		{ "ipc", CMP_HOST_IPC, "the host's shared memory and IPC objects" },
		{ "uts", CMP_HOST_UTS, "the host's hostname and domain name" },
		{ "userns_mode", CMP_HOST_USERNS, "the host's user namespace (no UID remapping)" },
	};
	for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		const char *v = text_of(c, get(c->s, ns[i].key));
		if (v && !strcmp(v, "host"))
			TRY(compose_emit(c, ns[i].rule, 0, line_at(c, ns[i].key, NULL, NULL), NULL,
					 "service %s sets %s: host and shares %s", c->svc, ns[i].key, ns[i].what));
	}
	return BOSUN_OK;
}

/* ---- capabilities ---------------------------------------------------------------------- */

/* "cap_sys_admin" -> "SYS_ADMIN" into out. */
static void cap_name(const char *s, char *out, size_t n)
{
	if (!strncasecmp(s, "CAP_", 4))
		s += 4;
	size_t i = 0;
	for (; s[i] && i + 1 < n; i++)
		out[i] = (char)toupper((unsigned char)s[i]);
	out[i] = '\0';
}

/* Capabilities outside Docker's default set that open a way to the host. */
static const char *cap_danger(const char *cap)
{
	static const struct {
		const char *cap, *why;
	} caps[] = {
		{ "ALL", "every capability" },
		{ "SYS_ADMIN", "mounts, namespaces and many kernel interfaces: close to root on the host" },
		{ "NET_ADMIN", "reconfigures networking: sniffing and redirecting traffic" },
		{ "SYS_PTRACE", "traces and injects code into other processes" },
		{ "SYS_MODULE", "loads kernel modules" },
		{ "DAC_READ_SEARCH", "bypasses read permissions; open_by_handle_at reaches host files" },
		{ "SYS_RAWIO", "raw I/O on devices and I/O ports" },
		{ "SYS_BOOT", "reboots the host" },
		{ "SYS_TIME", "sets the host's clock" },
		{ "BPF", "loads eBPF programs into the kernel" },
		{ "PERFMON", "kernel performance monitoring and introspection" },
		{ "MAC_ADMIN", "changes the mandatory access control policy" },
		{ "MAC_OVERRIDE", "overrides mandatory access control" },
		{ "SYSLOG", "reads and clears the kernel log (kernel addresses)" },
	};
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
		if (!strcmp(cap, caps[i].cap))
			return caps[i].why;
	return NULL;
}

static int check_caps(struct compose_ctx *c)
{
	const json_t *add = get(c->s, "cap_add");
	size_t i;
	const json_t *v;
	char cap[64];
	if (json_is_array(add)) {
		json_array_foreach(add, i, v) {
			if (!json_is_string(v))
				continue;
			cap_name(json_string_value(v), cap, sizeof cap);
			const char *why = cap_danger(cap);
			if (why)
				TRY(compose_emit(c, CMP_CAP_ADD,
						 !strcmp(cap, "ALL") || !strcmp(cap, "SYS_ADMIN") ? SEV_CRITICAL : 0,
						 line_idx(c, "cap_add", i, NULL), cap, "service %s adds capability %s: %s",
						 c->svc, cap, why));
		}
	}
	const json_t *drop = get(c->s, "cap_drop");
	if (json_is_array(drop)) {
		json_array_foreach(drop, i, v) {
			if (!json_is_string(v))
				continue;
			cap_name(json_string_value(v), cap, sizeof cap);
			if (!strcmp(cap, "ALL"))
				return BOSUN_OK;
		}
	}
	return compose_emit(c, CMP_CAP_DROP, 0, line_at(c, "cap_drop", NULL, NULL), NULL,
			    "service %s keeps Docker's default capabilities (cap_drop does not list ALL)", c->svc);
}

/* ---- volumes --------------------------------------------------------------------------- */

static bool path_is_or_under(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(p, dir, n) && (p[n] == '\0' || p[n] == '/');
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* The runtime socket a host path is or holds, NULL if none. */
static const char *runtime_socket(const char *p)
{
	static const char *const socks[] = { "docker.sock", "containerd.sock", "crio.sock", "podman.sock",
					     "cri-dockerd.sock", "dockershim.sock" };
	static const char *const dirs[] = { "/var/run/docker", "/run/docker", "/var/run/containerd", "/run/containerd",
					    "/var/run/crio", "/run/crio", "/var/run/podman", "/run/podman" };
	const char *b = base_name(p);
	for (size_t i = 0; i < sizeof socks / sizeof socks[0]; i++)
		if (!strcmp(b, socks[i]))
			return p;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (path_is_or_under(p, dirs[i]))
			return p;
	return NULL;
}

/* Why mounting host path p is dangerous, NULL when it is not known to be. */
static const char *sensitive_path(const char *p)
{
	static const char *const whole[] = { "/etc", "/dev", "/lib", "/lib64", "/usr", "/bin", "/sbin", "/var",
					     "/var/lib", "/var/run", "/run", "/home" };
	static const char *const trees[] = { "/proc", "/sys", "/boot", "/root", "/var/lib/docker",
					     "/var/lib/containerd", "/var/lib/kubelet", "/var/lib/rancher",
					     "/etc/kubernetes", "/etc/docker", "/etc/ssh", "/etc/sudoers.d",
					     "/etc/pki", "/etc/ssl/private" };
	static const char *const files[] = { "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/dev/mem", "/dev/kmem",
					     "/dev/port" };
	static const char *const creds[] = { ".ssh", ".aws", ".kube", ".docker", ".gnupg", ".azure", ".gcloud" };
	if (!strcmp(p, "/"))
		return "the host's root filesystem";
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
		if (!strcmp(p, whole[i]))
			return "a host system directory";
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		if (!strcmp(p, files[i]))
			return "a host credential or device file";
	/* credential stores in a home directory: ~/.ssh, /home/u/.aws/credentials */
	for (const char *s = p; s && *s; s = strchr(s, '/')) {
		while (*s == '/')
			s++;
		for (size_t i = 0; i < sizeof creds / sizeof creds[0]; i++) {
			size_t n = strlen(creds[i]);
			if (!strncmp(s, creds[i], n) && (s[n] == '\0' || s[n] == '/'))
				return "a credential store";
		}
	}
	for (size_t i = 0; i < sizeof trees / sizeof trees[0]; i++)
		if (path_is_or_under(p, trees[i]))
			return "a host system or container-runtime directory";
	return NULL;
}

/* A named volume defined with driver_opts {type: none, o: bind, device: PATH}
 * is a bind mount of PATH. */
static void resolve_named_volume(struct compose_ctx *c, struct compose_mount *m)
{
	const json_t *opts = get(get(get(c->root, "volumes"), m->source), "driver_opts");
	const char *o = text_of(c, get(opts, "o"));
	const char *dev = text_of(c, get(opts, "device"));
	if (o && dev && strstr(o, "bind") && dev[0] == '/') {
		m->type = "bind";
		m->source = dev;
	}
}

static int judge_mount(struct compose_ctx *c, const struct compose_mount *m, unsigned line)
{
	if (!m->type || strcmp(m->type, "bind") || !m->source)
		return BOSUN_OK;
	const char *src = m->source;
	const char *norm = compose_normalize_path(c->tmp, src);
	const char *p = norm ? norm : src; /* relative and ~ paths are judged as written */
	const char *sock = runtime_socket(p);
	if (sock)
		return compose_emit(c, CMP_RUNTIME_SOCKET, 0, line, p,
				    "service %s mounts the container runtime socket %s%s: control of the runtime is root "
				    "on the host",
				    c->svc, p, m->read_only ? " (read-only does not restrict the API)" : "");
	const char *why = sensitive_path(p);
	if (why) {
		enum vuln_severity sev = m->read_only ? SEV_MEDIUM : (!strcmp(p, "/") ? SEV_CRITICAL : SEV_HIGH);
		TRY(compose_emit(c, CMP_SENSITIVE_MOUNT, sev, line, p, "service %s mounts %s, %s, %s", c->svc, p, why,
				 m->read_only ? "read-only" : "read-write"));
	}
	if (m->propagation && (!strcmp(m->propagation, "shared") || !strcmp(m->propagation, "rshared")))
		TRY(compose_emit(c, CMP_SHARED_PROPAGATION, 0, line, p,
				 "service %s mounts %s with %s propagation: mounts made in the container reach the host",
				 c->svc, p, m->propagation));
	return BOSUN_OK;
}

static int check_volumes(struct compose_ctx *c)
{
	const json_t *vols = get(c->s, "volumes");
	if (!json_is_array(vols))
		return BOSUN_OK;
	size_t i;
	const json_t *v;
	json_array_foreach(vols, i, v) {
		struct compose_mount m;
		unsigned line;
		if (json_is_string(v)) {
			const char *spec = text_of(c, v);
			if (!spec || !compose_parse_volume(c->tmp, spec, &m))
				continue;
			line = line_idx(c, "volumes", i, NULL);
		} else if (json_is_object(v)) {
			memset(&m, 0, sizeof m);
			m.type = text_of(c, get(v, "type"));
			m.source = text_of(c, get(v, "source"));
			m.target = text_of(c, get(v, "target"));
			m.read_only = is_true(get(v, "read_only"));
			m.propagation = text_of(c, get(get(v, "bind"), "propagation"));
			if (!m.type)
				m.type = m.source && m.source[0] == '/' ? "bind" : "volume";
			line = line_idx(c, "volumes", i, "source");
		} else {
			continue;
		}
		if (!strcmp(m.type, "volume") && m.source)
			resolve_named_volume(c, &m);
		TRY(judge_mount(c, &m, line));
	}
	return BOSUN_OK;
}

static int check_devices(struct compose_ctx *c)
{
	const json_t *devs = get(c->s, "devices");
	if (!json_is_array(devs))
		return BOSUN_OK;
	size_t i;
	const json_t *v;
	json_array_foreach(devs, i, v) {
		const char *d = json_is_object(v) ? text_of(c, get(v, "source")) : json_is_string(v) ? text_of(c, v) : NULL;
		if (!d)
			continue;
		char dev[256];
		snprintf(dev, sizeof dev, "%.*s", (int)strcspn(d, ":"), d);
		TRY(compose_emit(c, CMP_DEVICES, 0, line_idx(c, "devices", i, NULL), dev,
				 "service %s has direct access to host device %s", c->svc, dev));
	}
	return BOSUN_OK;
}

/* ---- security options -------------------------------------------------------------------- */

static int check_security_opt(struct compose_ctx *c)
{
	const json_t *opts = get(c->s, "security_opt");
	bool nnp = false;
	unsigned nnp_line = line_at(c, "security_opt", NULL, NULL);
	size_t i;
	const json_t *v;
	json_array_foreach(opts, i, v) {
		const char *o = text_of(c, v);
		if (!o)
			continue;
		size_t kn = strcspn(o, ":=");
		const char *val = o[kn] ? o + kn + 1 : "";
		unsigned line = line_idx(c, "security_opt", i, NULL);
#define IS(k, want) (kn == strlen(k) && !strncmp(o, k, kn) && !strcmp(val, want))
		if (IS("seccomp", "unconfined"))
			TRY(compose_emit(c, CMP_SECCOMP_UNCONFINED, 0, line, o,
					 "service %s runs without a seccomp filter (%s): every syscall reaches the kernel",
					 c->svc, o));
		else if (IS("apparmor", "unconfined"))
			TRY(compose_emit(c, CMP_APPARMOR_UNCONFINED, 0, line, o,
					 "service %s runs without an AppArmor profile (%s)", c->svc, o));
		else if (IS("label", "disable") || IS("label", "type:spc_t"))
			TRY(compose_emit(c, CMP_SELINUX_DISABLED, 0, line, o,
					 "service %s runs without SELinux confinement (%s)", c->svc, o));
		else if (IS("systempaths", "unconfined"))
			TRY(compose_emit(c, CMP_SYSTEMPATHS, 0, line, o,
					 "service %s unmasks /proc and /sys paths (%s)", c->svc, o));
		else if (kn == strlen("no-new-privileges") && !strncmp(o, "no-new-privileges", kn)) {
			nnp = !strcmp(val, "") || !strcasecmp(val, "true");
			nnp_line = line;
		}
#undef IS
	}
	if (nnp)
		return BOSUN_OK;
	return compose_emit(c, CMP_NO_NEW_PRIVS, 0, nnp_line, NULL,
			    "service %s does not set no-new-privileges: setuid binaries can raise privileges", c->svc);
}

/* ---- user and filesystem ------------------------------------------------------------------- */

static int check_user(struct compose_ctx *c)
{
	const json_t *u = get(c->s, "user");
	if (!u)
		return compose_emit(c, CMP_USER_UNSET, 0, 0, NULL,
				    "service %s does not set user: it runs as the image's USER, root unless the image "
				    "sets one",
				    c->svc);
	const char *s = text_of(c, u);
	if (!s || strchr(s, '$'))
		return BOSUN_OK;
	size_t n = strcspn(s, ":");
	if ((n == 4 && !strncmp(s, "root", 4)) || (n == 1 && s[0] == '0'))
		return compose_emit(c, CMP_USER_ROOT, 0, line_at(c, "user", NULL, NULL), s,
				    "service %s runs as root (user: %s)", c->svc, s);
	return BOSUN_OK;
}

static int check_read_only(struct compose_ctx *c)
{
	if (is_true(get(c->s, "read_only")))
		return BOSUN_OK;
	return compose_emit(c, CMP_READ_ONLY, 0, line_at(c, "read_only", NULL, NULL), NULL,
			    "service %s has a writable root filesystem (read_only is not true)", c->svc);
}

/* ---- ports ---------------------------------------------------------------------------------- */

static const struct {
	unsigned port;
	const char *what;
} sensitive_ports[] = {
	{ 21, "FTP" },           { 22, "SSH" },          { 23, "Telnet" },        { 135, "MS RPC" },
	{ 139, "NetBIOS" },      { 445, "SMB" },         { 1433, "SQL Server" },  { 1521, "Oracle" },
	{ 2375, "the Docker API (unencrypted)" },         { 2376, "the Docker API" },
	{ 2379, "etcd" },        { 2380, "etcd peer" },  { 3306, "MySQL" },       { 3389, "RDP" },
	{ 5432, "PostgreSQL" },  { 5672, "AMQP" },       { 5900, "VNC" },         { 5984, "CouchDB" },
	{ 6379, "Redis" },       { 6443, "the Kubernetes API" },                   { 8086, "InfluxDB" },
	{ 9042, "Cassandra" },   { 9200, "Elasticsearch" },                        { 9300, "Elasticsearch transport" },
	{ 10250, "the kubelet API" },                     { 11211, "Memcached" },  { 15672, "RabbitMQ management" },
	{ 27017, "MongoDB" },
};

static bool all_interfaces(const char *ip)
{
	return !ip || !*ip || !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::") || !strcmp(ip, "[::]");
}

static int judge_port(struct compose_ctx *c, const struct compose_port *p, const char *spec, unsigned line)
{
	if (all_interfaces(p->host_ip)) {
		for (size_t k = 0; k < sizeof sensitive_ports / sizeof sensitive_ports[0]; k++) {
			unsigned sp = sensitive_ports[k].port;
			if (sp < p->target_lo || sp > p->target_hi)
				continue;
			TRY(compose_emit(c, CMP_EXPOSED_PORT, sp == 2375 ? SEV_CRITICAL : 0, line, spec,
					 "service %s publishes port %u (%s) on all host interfaces (%s)", c->svc, sp,
					 sensitive_ports[k].what, spec));
		}
	}
	if (p->published_lo && p->published_lo < 1024)
		TRY(compose_emit(c, CMP_PRIVILEGED_PORT, 0, line, spec, "service %s maps privileged host port %u (%s)",
				 c->svc, p->published_lo, spec));
	return BOSUN_OK;
}

static int check_ports(struct compose_ctx *c)
{
	const json_t *ports = get(c->s, "ports");
	const char *net = text_of(c, get(c->s, "network_mode"));
	if (!json_is_array(ports) || (net && !strcmp(net, "host"))) /* host networking ignores ports */
		return BOSUN_OK;
	size_t i;
	const json_t *v;
	json_array_foreach(ports, i, v) {
		struct compose_port p;
		const char *spec;
		if (json_is_object(v)) {
			memset(&p, 0, sizeof p);
			const char *target = text_of(c, get(v, "target"));
			const char *published = text_of(c, get(v, "published"));
			const char *ip = text_of(c, get(v, "host_ip"));
			if (!target || !compose_parse_port_range(target, &p.target_lo, &p.target_hi))
				continue;
			if (published && !compose_parse_port_range(published, &p.published_lo, &p.published_hi))
				continue;
			if (ip)
				snprintf(p.host_ip, sizeof p.host_ip, "%s", ip);
			spec = arena_printf(c->tmp, "%s%s%s%s%s", ip ? ip : "", ip ? ":" : "", published ? published : "",
					    published || ip ? ":" : "", target);
		} else {
			spec = text_of(c, v);
			if (!spec || !compose_parse_port(spec, &p))
				continue;
		}
		if (!spec)
			return BOSUN_ENOMEM;
		TRY(judge_port(c, &p, spec, line_idx(c, "ports", i, NULL)));
	}
	return BOSUN_OK;
}

/* ---- image -------------------------------------------------------------------------------------- */

static int check_image(struct compose_ctx *c)
{
	const json_t *image = get(c->s, "image");
	const char *img = json_is_string(image) ? text_of(c, image) : NULL;
	if (!img || !*img || strchr(img, '$') || strchr(img, '@')) /* unknown, or pinned by digest */
		return BOSUN_OK;
	const char *slash = strrchr(img, '/');
	const char *colon = strrchr(slash ? slash : img, ':');
	if (colon && strcmp(colon + 1, "latest"))
		return BOSUN_OK;
	return compose_emit(c, CMP_IMAGE_TAG, 0, line_at(c, "image", NULL, NULL), img,
			    "service %s uses image %s %s: what runs changes with every pull", c->svc, img,
			    colon ? "tagged latest" : "without a tag (latest)");
}

/* ---- environment --------------------------------------------------------------------------------- */

static bool token_in(const char *tok, size_t n, const char *const *set, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(set[i]) == n && !strncasecmp(tok, set[i], n))
			return true;
	return false;
}

/* DB_PASSWORD, API_KEY, GITHUB_TOKEN... but not PASSWORD_FILE or PWD. */
static bool secret_name(const char *name)
{
	static const char *const secret[] = { "PASSWORD", "PASSWD", "PASS", "SECRET", "SECRETS", "TOKEN",
					      "APIKEY", "CREDENTIAL", "CREDENTIALS", "PRIVATEKEY", "PASSPHRASE" };
	static const char *const key_prefix[] = { "API", "ACCESS", "PRIVATE", "SECRET", "ENCRYPTION", "SIGNING",
						  "MASTER", "AUTH", "CLIENT" };
	static const char *const not_value[] = { "FILE", "PATH", "DIR", "LENGTH", "MIN", "MAX", "POLICY", "EXPIRY",
						 "TTL", "TIMEOUT", "HEADER", "FIELD", "TYPE", "METHOD", "ENABLED",
						 "REQUIRED", "URL", "HOST", "PORT", "USER", "USERNAME", "NAME", "ID" };
	const char *toks[32];
	size_t lens[32], nt = 0;
	for (const char *p = name; *p && nt < 32;) {
		size_t n = strcspn(p, "_-.");
		if (n) {
			toks[nt] = p;
			lens[nt++] = n;
		}
		p += n;
		if (*p)
			p++;
	}
	if (nt == 0 || token_in(toks[nt - 1], lens[nt - 1], not_value, sizeof not_value / sizeof not_value[0]))
		return false;
	for (size_t i = 0; i < nt; i++) {
		if (token_in(toks[i], lens[i], secret, sizeof secret / sizeof secret[0]))
			return true;
		if (i > 0 && lens[i] == 3 && !strncasecmp(toks[i], "KEY", 3) &&
		    token_in(toks[i - 1], lens[i - 1], key_prefix, sizeof key_prefix / sizeof key_prefix[0]))
			return true;
	}
	return false;
}

/* "scheme://user:password@host": credentials in a URL. */
static bool url_with_password(const char *v)
{
	const char *s = strstr(v, "://");
	if (!s)
		return false;
	s += 3;
	size_t auth = strcspn(s, "/@");
	if (s[auth] != '@')
		return false;
	const char *colon = memchr(s, ':', auth);
	return colon && colon + 1 < s + auth && colon[1] != '$';
}

static bool literal_value(const char *v)
{
	static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "null", "none" };
	if (!v || !*v || strchr(v, '$') || !strncmp(v, "/run/secrets/", 13))
		return false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcasecmp(v, words[i]))
			return false;
	return true;
}

static int judge_env(struct compose_ctx *c, const char *name, size_t nn, const char *value, unsigned line)
{
	char nm[128];
	snprintf(nm, sizeof nm, "%.*s", (int)(nn < 120 ? nn : 120), name);
	bool named = secret_name(nm) && literal_value(value);
	bool url = !named && value && url_with_password(value);
	if (!named && !url)
		return BOSUN_OK;
	/* never the secret itself: its first two characters when it is long enough to stay hidden */
	size_t vl = strlen(value);
	char *match = arena_printf(c->tmp, "%s=%.*s****", nm, vl >= 12 && !url ? 2 : 0, value);
	if (!match)
		return BOSUN_ENOMEM;
	return compose_emit(c, CMP_ENV_SECRET, 0, line, match,
			    url ? "service %s: environment %s holds a URL with a password"
				: "service %s: environment %s holds a literal secret",
			    c->svc, nm);
}

static int check_environment(struct compose_ctx *c)
{
	const json_t *env = get(c->s, "environment");
	const json_t *v;
	if (json_is_array(env)) {
		size_t i;
		json_array_foreach(env, i, v) {
			const char *kv = json_is_string(v) ? json_string_value(v) : NULL;
			const char *eq = kv ? strchr(kv, '=') : NULL;
			const char *val = eq ? compose_interpolate(c->tmp, eq + 1) : NULL;
			if (val)
				TRY(judge_env(c, kv, (size_t)(eq - kv), val, line_idx(c, "environment", i, NULL)));
		}
	} else if (json_is_object(env)) {
		const char *k;
		json_object_foreach((json_t *)env, k, v) {
			const char *val = text_of(c, v); /* strings and numbers; null means "from the shell" */
			if (val)
				TRY(judge_env(c, k, strlen(k), val, line_at(c, "environment", k, NULL)));
		}
	}
	return BOSUN_OK;
}

/* ---- resources -------------------------------------------------------------------------------------- */

static int check_limits(struct compose_ctx *c)
{
	const json_t *limits = get(get(get(c->s, "deploy"), "resources"), "limits");
	if (!get(c->s, "mem_limit") && !get(limits, "memory"))
		TRY(compose_emit(c, CMP_MEMORY_LIMIT, 0, 0, NULL, "service %s has no memory limit", c->svc));
	if (!get(c->s, "pids_limit") && !get(limits, "pids"))
		TRY(compose_emit(c, CMP_PIDS_LIMIT, 0, 0, NULL, "service %s has no PIDs limit (fork bombs)", c->svc));
	return BOSUN_OK;
}

int compose_check_service(struct compose_ctx *c)
{
	static int (*const checks[])(struct compose_ctx *) = {
		check_privileged, check_namespaces, check_caps,  check_volumes,     check_devices,
		check_security_opt, check_user,     check_read_only, check_ports, check_image,
		check_environment, check_limits,
	};
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
		TRY(checks[i](c));
	return BOSUN_OK;
}
