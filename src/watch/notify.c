/* Backend choice and the common accessors. */
#include "watch/notify_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

char *notify_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	bool slash = dl && dir[dl - 1] == '/';
	char *p = malloc(dl + nl + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	if (!slash)
		p[dl++] = '/';
	memcpy(p + dl, name, nl + 1);
	return p;
}

static bool path_within(const char *inner, const char *outer)
{
	size_t l = strlen(outer);
	while (l > 1 && outer[l - 1] == '/')
		l--;
	return strncmp(inner, outer, l) == 0 && (inner[l] == '/' || inner[l] == 0 || l == 1);
}

/* True when a root is, holds or lies in an overlayfs upper directory of a
 * mounted overlay (/proc/self/mountinfo "upperdir="). Writes that
 * containers make through the overlay mount reach the upper directory's
 * filesystem without fanotify events (backing files are opened without
 * notification), while inotify watches on the upper directory do see them
 * (measured on Linux 6.x); so for Docker's upper dirs inotify is the
 * backend that works. */
static bool roots_overlay_upper(const char *const *roots, size_t nroots, char *which, size_t wn)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return false;
	char line[8192];
	bool found = false;
	while (!found && fgets(line, sizeof line, f)) {
		char *sep = strstr(line, " - overlay ");
		char *up = sep ? strstr(sep, "upperdir=") : NULL;
		if (!up)
			continue;
		up += 9;
		char dir[4096];
		size_t n = 0;
		for (; *up && *up != ',' && *up != ' ' && *up != '\n' && n + 1 < sizeof dir; up++) {
			if (*up == '\\' && up[1] == ',') /* overlay escapes commas */
				up++;
			dir[n++] = *up;
		}
		dir[n] = 0;
		for (size_t i = 0; i < nroots && !found; i++) {
			if (path_within(dir, roots[i]) || path_within(roots[i], dir)) {
				snprintf(which, wn, "%s", roots[i]);
				found = true;
			}
		}
	}
	fclose(f);
	return found;
}

int notifier_open(enum watch_backend want, const char *const *roots, size_t nroots, const struct notify_hooks *h,
		  struct notifier **out, struct berr *e)
{
	*out = NULL;
	if (want == WATCH_BACKEND_INOTIFY)
		return notify_inotify_open(roots, nroots, h, out, e);
	char which[4096];
	if (want == WATCH_BACKEND_AUTO && roots_overlay_upper(roots, nroots, which, sizeof which)) {
		log_warn("watch: %s holds overlayfs upper directories; fanotify does not see writes made "
			 "through overlay mounts, using inotify", which);
		return notify_inotify_open(roots, nroots, h, out, e);
	}
	struct berr fe = { 0 };
	int rc = notify_fanotify_open(roots, nroots, h, out, &fe);
	if (rc == BOSUN_OK || want == WATCH_BACKEND_FANOTIFY) {
		if (rc != BOSUN_OK)
			*e = fe;
		return rc;
	}
	/* auto: fanotify is a privilege, inotify works for anyone */
	log_warn("watch: fanotify not available (%s); using inotify", fe.msg);
	return notify_inotify_open(roots, nroots, h, out, e);
}

void notifier_close(struct notifier *n)
{
	if (n)
		n->ops->close(n);
}

int notifier_fd(const struct notifier *n) { return n->fd; }
int notifier_handle(struct notifier *n, struct berr *e) { return n->ops->handle(n, e); }
const char *notifier_backend_name(const struct notifier *n) { return n->ops->name; }
size_t notifier_watch_count(const struct notifier *n) { return n->watches; }
size_t notifier_lost(const struct notifier *n) { return n->lost; }
