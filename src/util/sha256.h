/* SHA-256 over streams (OpenSSL's EVP, which uses SHA-NI where present). */
#ifndef BOSUN_UTIL_SHA256_H
#define BOSUN_UTIL_SHA256_H

#include <stddef.h>

struct sha256 {
	void *md_ctx; /* EVP_MD_CTX */
};

int sha256_init(struct sha256 *h);           /* BOSUN_OK / BOSUN_ENOMEM */
void sha256_update(struct sha256 *h, const void *p, size_t n);
/* Writes "sha256:<64 hex>" (72 bytes incl. NUL) and frees the context. */
void sha256_final_digest(struct sha256 *h, char out[72]);
void sha256_free(struct sha256 *h);

/* A digest string is "sha256:" followed by exactly 64 lowercase hex digits. */
int digest_valid(const char *d);

#endif
