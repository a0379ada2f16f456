/* Path names inside images. Every path an image hands us is hostile: it is
 * normalized to a relative form before anyone looks at it. */
#ifndef BOSUN_IMAGE_PATH_H
#define BOSUN_IMAGE_PATH_H

#include <stdbool.h>
#include <stddef.h>

enum path_result {
	PATH_OK,
	PATH_EMPTY,     /* the root itself ("", ".", "/", "./") */
	PATH_DOTDOT,    /* a ".." component: rejected, never resolved */
	PATH_TOO_LONG
};

/* Normalizes src[0..n) into dst (capacity cap): strips leading "/" and "./",
 * collapses "//" and "." components and a trailing "/". Refuses "..". */
enum path_result path_normalize(const char *src, size_t n, char *dst, size_t cap);

/* Joins a symlink target to the directory holding the link and normalizes;
 * an absolute target is taken from the image root. ".." is resolved
 * lexically. With clamp_root, climbing above the root stays at the root (as
 * the kernel does for "/.." inside a container); without it, it is refused
 * with PATH_DOTDOT (names inside an archive must not escape it). */
enum path_result path_resolve_link(const char *dir, const char *target, bool clamp_root, char *dst, size_t cap);

#endif
