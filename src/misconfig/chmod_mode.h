/* What a chmod mode does to the bits the build rules care about (setuid,
 * setgid, sticky, write for others), read the way GNU chmod reads it:
 * octal ("4755", "01777") or symbolic clauses separated by commas, each
 * [ugoa]* followed by one or more [+-=] operations with [rwxXst]*, a copy
 * of [ugo], or (without who letters) an octal number ("+4000"). Shared by
 * RUN chmod (run_facts.c, also for image history) and COPY/ADD --chmod. */
#ifndef BOSUN_MISCONFIG_CHMOD_MODE_H
#define BOSUN_MISCONFIG_CHMOD_MODE_H

#include <stdbool.h>

#define CHMOD_SETUID 04000u
#define CHMOD_SETGID 02000u
#define CHMOD_STICKY 01000u
#define CHMOD_OTHERS_WRITE 00002u

/* The file's mode before the chmod is unknown: *set gets the bits the mode
 * surely sets, *clr those it surely clears (the others may be either). A
 * symbolic clause without who letters ("+w") follows the umask, taken as
 * 022: it does not give others write permission. false when mode is not a
 * chmod mode ("-R", "$MODE", "--reference=f"). */
bool chmod_mode_effect(const char *mode, unsigned *set, unsigned *clr);

/* Whether path is a shared scratch directory (/tmp, /var/tmp, /dev/shm or
 * below), where world-writable with the sticky bit is the expected mode. */
bool chmod_scratch_path(const char *path);

#endif
