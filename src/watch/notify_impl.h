/* Shared by the notification backends; not for other modules. */
#ifndef BOSUN_WATCH_NOTIFY_IMPL_H
#define BOSUN_WATCH_NOTIFY_IMPL_H

#include "watch/notify.h"

struct notifier_ops {
	const char *name;
	int (*handle)(struct notifier *n, struct berr *e);
	void (*close)(struct notifier *n); /* frees priv, closes fd */
};

struct notifier {
	const struct notifier_ops *ops;
	int fd;
	struct notify_hooks h;
	size_t watches, lost;
	void *priv;
};

/* Path joined from dir and name into a fresh string; NULL on ENOMEM. */
char *notify_join(const char *dir, const char *name);

#endif
