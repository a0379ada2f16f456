#include "image/tar.h"

#include <string.h>

/* Caps on extension headers: real archives stay far below these; an archive
 * that claims more is hostile or broken. */
#define TAR_MAX_LONGNAME (64u * 1024)
#define TAR_MAX_PAX (1024u * 1024)
#define TAR_MAX_SPARSE_EXT 4096

void tar_init(struct tar_reader *t, struct chunk_source src)
{
	memset(t, 0, sizeof *t);
	t->src = src;
}

void tar_free(struct tar_reader *t)
{
	buf_free(&t->name);
	buf_free(&t->link);
	buf_free(&t->longname);
	buf_free(&t->longlink);
	buf_free(&t->pax);
	buf_free(&t->gpax_path);
}

/* Makes at least one unread byte available; *got = false at end of stream. */
static int fill(struct tar_reader *t, bool *got, struct berr *e)
{
	while (t->chunk_pos == t->chunk_len) {
		const unsigned char *p = NULL;
		size_t n = 0;
		TRY(t->src.next(t->src.ctx, &p, &n, e));
		if (n == 0) {
			*got = false;
			return BOSUN_OK;
		}
		t->chunk = p;
		t->chunk_len = n;
		t->chunk_pos = 0;
	}
	*got = true;
	return BOSUN_OK;
}

/* Copies exactly n bytes; *short_read tells how many were missing at EOF. */
static int read_exact(struct tar_reader *t, void *dst, size_t n, size_t *got_n, struct berr *e)
{
	size_t done = 0;
	while (done < n) {
		bool got;
		TRY(fill(t, &got, e));
		if (!got)
			break;
		size_t take = t->chunk_len - t->chunk_pos;
		if (take > n - done)
			take = n - done;
		memcpy((unsigned char *)dst + done, t->chunk + t->chunk_pos, take);
		t->chunk_pos += take;
		done += take;
	}
	*got_n = done;
	return BOSUN_OK;
}

static int skip_bytes(struct tar_reader *t, uint64_t n, struct berr *e)
{
	uint64_t avail = t->chunk_len - t->chunk_pos;
	uint64_t take = avail < n ? avail : n;
	t->chunk_pos += (size_t)take;
	n -= take;
	if (n && t->src.skip)
		return t->src.skip(t->src.ctx, n, e);
	while (n) {
		bool got;
		TRY(fill(t, &got, e));
		if (!got)
			return berr_set(e, BOSUN_EFORMAT, "tar: truncated archive (%llu bytes missing in entry %llu)",
					(unsigned long long)n, (unsigned long long)t->entries);
		avail = t->chunk_len - t->chunk_pos;
		take = avail < n ? avail : n;
		t->chunk_pos += (size_t)take;
		n -= take;
	}
	return BOSUN_OK;
}

/* Octal (space/NUL padded) or GNU base-256 numeric field. */
static bool parse_num(const unsigned char *f, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	if (f[0] & 0x80) {
		if (f[0] & 0x40)
			return false; /* negative */
		v = f[0] & 0x3f;
		for (size_t i = 1; i < len; i++) {
			if (v >> 55)
				return false;
			v = (v << 8) | f[i];
		}
		*out = v;
		return true;
	}
	size_t i = 0;
	while (i < len && (f[i] == ' ' || f[i] == '\0'))
		i++;
	if (i == len) {
		*out = 0;
		return true;
	}
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 60)
			return false;
		v = v * 8 + (uint64_t)(f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return false;
	*out = v;
	return true;
}

static bool checksum_ok(const unsigned char *h)
{
	uint64_t want;
	if (!parse_num(h + 148, 8, &want))
		return false;
	uint64_t usum = 0;
	int64_t ssum = 0;
	for (int i = 0; i < 512; i++) {
		unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];
		usum += c;
		ssum += (signed char)c;
	}
	return usum == want || (uint64_t)ssum == want;
}

static bool all_zero(const unsigned char *h)
{
	for (int i = 0; i < 512; i++)
		if (h[i])
			return false;
	return true;
}

/* Sets b to the NUL-terminated field (which may use its full width). */
static int set_field(struct buf *b, const unsigned char *f, size_t width)
{
	size_t n = strnlen((const char *)f, width);
	buf_reset(b);
	return buf_append(b, f, n);
}

/* Reads an extension header's data (plus padding) into b. */
static int read_ext(struct tar_reader *t, struct buf *b, uint64_t size, uint64_t max, const char *what,
		    struct berr *e)
{
	if (size > max)
		return berr_set(e, BOSUN_ELIMIT, "tar: %s header of %llu bytes exceeds the %llu-byte limit", what,
				(unsigned long long)size, (unsigned long long)max);
	buf_reset(b);
	if (buf_reserve(b, (size_t)size))
		return BOSUN_ENOMEM;
	size_t got;
	TRY(read_exact(t, b->data, (size_t)size, &got, e));
	if (got != size)
		return berr_set(e, BOSUN_EFORMAT, "tar: truncated %s header", what);
	b->len = (size_t)size;
	b->data[b->len] = '\0';
	return skip_bytes(t, (512 - size % 512) % 512, e);
}

struct pax_fields {
	bool has_path, has_link, has_size, sparse;
	struct slice path, link;
	uint64_t size;
};

/* Parses "LEN key=value\n" records. Unknown keys are ignored. */
static int parse_pax(struct slice data, struct pax_fields *pf, struct berr *e)
{
	size_t pos = 0;
	while (pos < data.n) {
		if (data.p[pos] == '\0')
			break; /* some writers pad with NULs */
		size_t len = 0, i = pos;
		while (i < data.n && data.p[i] >= '0' && data.p[i] <= '9' && i - pos < 10)
			len = len * 10 + (size_t)(data.p[i++] - '0');
		if (i >= data.n || data.p[i] != ' ' || len <= i - pos + 1 || len > data.n - pos ||
		    data.p[pos + len - 1] != '\n')
			return berr_set(e, BOSUN_EFORMAT, "tar: malformed pax record");
		struct slice rec = slice_make(data.p + i + 1, pos + len - 1 - (i + 1));
		struct slice key, val;
		if (!slice_split(rec, '=', &key, &val))
			return berr_set(e, BOSUN_EFORMAT, "tar: pax record without '='");
		if (slice_eq_cstr(key, "path")) {
			pf->has_path = true;
			pf->path = val;
		} else if (slice_eq_cstr(key, "linkpath")) {
			pf->has_link = true;
			pf->link = val;
		} else if (slice_eq_cstr(key, "size")) {
			uint64_t v = 0;
			if (val.n == 0 || val.n > 19)
				return berr_set(e, BOSUN_EFORMAT, "tar: bad pax size");
			for (size_t k = 0; k < val.n; k++) {
				if (val.p[k] < '0' || val.p[k] > '9')
					return berr_set(e, BOSUN_EFORMAT, "tar: bad pax size");
				v = v * 10 + (uint64_t)(val.p[k] - '0');
			}
			pf->has_size = true;
			pf->size = v;
		} else if (slice_starts_with(key, "GNU.sparse.")) {
			pf->sparse = true;
			if (slice_eq_cstr(key, "GNU.sparse.name")) {
				pf->has_path = true;
				pf->path = val;
			}
		}
		pos += len;
	}
	return BOSUN_OK;
}

static enum tar_type map_type(unsigned char c)
{
	switch (c) {
	case '0': case '\0': case '7': case 'S': return TAR_REG;
	case '1': return TAR_HARDLINK;
	case '2': return TAR_SYMLINK;
	case '3': return TAR_CHAR;
	case '4': return TAR_BLOCK;
	case '5': return TAR_DIR;
	case '6': return TAR_FIFO;
	}
	return TAR_OTHER;
}

/* GNU old-style sparse headers may be followed by extension blocks before
 * the data; they carry only the sparse map, which we do not need. */
static int skip_sparse_ext(struct tar_reader *t, struct berr *e)
{
	unsigned char more = t->hdr[482];
	for (int n = 0; more; n++) {
		if (n >= TAR_MAX_SPARSE_EXT)
			return berr_set(e, BOSUN_ELIMIT, "tar: too many sparse extension headers");
		unsigned char blk[512];
		size_t got;
		TRY(read_exact(t, blk, 512, &got, e));
		if (got != 512)
			return berr_set(e, BOSUN_EFORMAT, "tar: truncated sparse header");
		more = blk[504];
	}
	return BOSUN_OK;
}

int tar_next(struct tar_reader *t, struct tar_entry *ent, bool *end, struct berr *e)
{
	*end = false;
	if (t->eof) {
		*end = true;
		return BOSUN_OK;
	}
	TRY(skip_bytes(t, t->remaining + t->padding, e));
	t->remaining = t->padding = 0;
	bool have_long = false, have_longlink = false, have_pax = false;
	for (;;) {
		size_t got;
		TRY(read_exact(t, t->hdr, 512, &got, e));
		if (got == 0 && !have_long && !have_longlink && !have_pax) {
			/* Clean EOF without end-of-archive blocks: accepted, as GNU tar
			 * does with a warning; the layer digest still protects us. */
			t->eof = *end = true;
			return BOSUN_OK;
		}
		if (got != 512)
			return berr_set(e, BOSUN_EFORMAT, "tar: truncated header after entry %llu",
					(unsigned long long)t->entries);
		if (all_zero(t->hdr)) {
			t->eof = *end = true;
			return BOSUN_OK;
		}
		if (!checksum_ok(t->hdr))
			return berr_set(e, BOSUN_EFORMAT, "tar: bad header checksum at entry %llu",
					(unsigned long long)t->entries + 1);
		uint64_t size;
		if (!parse_num(t->hdr + 124, 12, &size))
			return berr_set(e, BOSUN_EFORMAT, "tar: bad size field at entry %llu",
					(unsigned long long)t->entries + 1);
		unsigned char type = t->hdr[156];
		if (type == 'L') {
			TRY(read_ext(t, &t->longname, size, TAR_MAX_LONGNAME, "GNU long name", e));
			have_long = true;
			continue;
		}
		if (type == 'K') {
			TRY(read_ext(t, &t->longlink, size, TAR_MAX_LONGNAME, "GNU long link", e));
			have_longlink = true;
			continue;
		}
		if (type == 'x') {
			TRY(read_ext(t, &t->pax, size, TAR_MAX_PAX, "pax", e));
			have_pax = true;
			continue;
		}
		if (type == 'g') {
			TRY(read_ext(t, &t->gpax_path, size, TAR_MAX_PAX, "pax global", e));
			continue;
		}
		if (type == 'V' || type == 'M' || type == 'N') {
			TRY(skip_bytes(t, size + (512 - size % 512) % 512, e));
			continue;
		}

		memset(ent, 0, sizeof *ent);
		struct pax_fields pf = { 0 };
		if (have_pax)
			TRY(parse_pax(slice_make(t->pax.data, t->pax.len), &pf, e));

		/* Name precedence: pax path, then GNU long name, then ustar prefix/name. */
		buf_reset(&t->name);
		if (pf.has_path) {
			TRY(buf_append(&t->name, pf.path.p, pf.path.n));
		} else if (have_long) {
			TRY(buf_append(&t->name, t->longname.data, strnlen(t->longname.data, t->longname.len)));
		} else {
			bool ustar = memcmp(t->hdr + 257, "ustar\0", 6) == 0;
			if (ustar && t->hdr[345]) {
				TRY(set_field(&t->name, t->hdr + 345, 155));
				TRY(buf_append(&t->name, "/", 1));
				size_t n = strnlen((const char *)t->hdr, 100);
				TRY(buf_append(&t->name, t->hdr, n));
			} else {
				TRY(set_field(&t->name, t->hdr, 100));
			}
		}
		buf_reset(&t->link);
		if (pf.has_link)
			TRY(buf_append(&t->link, pf.link.p, pf.link.n));
		else if (have_longlink)
			TRY(buf_append(&t->link, t->longlink.data, strnlen(t->longlink.data, t->longlink.len)));
		else
			TRY(set_field(&t->link, t->hdr + 157, 100));
		if (!t->name.data)
			TRY(buf_append(&t->name, "", 0));
		if (!t->link.data)
			TRY(buf_append(&t->link, "", 0));

		uint64_t mode = 0, uid = 0, gid = 0, mtime = 0;
		(void)parse_num(t->hdr + 100, 8, &mode);
		(void)parse_num(t->hdr + 108, 8, &uid);
		(void)parse_num(t->hdr + 116, 8, &gid);
		(void)parse_num(t->hdr + 136, 12, &mtime);
		if (pf.has_size)
			size = pf.size;
		ent->type = map_type(type);
		ent->sparse = type == 'S' || pf.sparse;
		if (type == 'S')
			TRY(skip_sparse_ext(t, e));
		/* Links and directories carry no data, whatever the size field says
		 * (except that hard links may, in pax; we skip it either way). */
		ent->name = t->name.data;
		ent->link = t->link.data;
		ent->mode = (uint32_t)(mode & 07777);
		ent->size = size;
		ent->uid = uid;
		ent->gid = gid;
		ent->mtime = (int64_t)mtime;
		ent->offset = t->src.tell ? t->src.tell(t->src.ctx) - (t->chunk_len - t->chunk_pos) : 0;
		t->remaining = size;
		t->padding = (512 - size % 512) % 512;
		t->entries++;
		return BOSUN_OK;
	}
}

int tar_data(struct tar_reader *t, const unsigned char **p, size_t *n, struct berr *e)
{
	*n = 0;
	if (t->remaining == 0)
		return BOSUN_OK;
	bool got;
	TRY(fill(t, &got, e));
	if (!got)
		return berr_set(e, BOSUN_EFORMAT, "tar: truncated data in entry %llu (%llu bytes missing)",
				(unsigned long long)t->entries, (unsigned long long)t->remaining);
	size_t avail = t->chunk_len - t->chunk_pos;
	size_t take = (uint64_t)avail < t->remaining ? avail : (size_t)t->remaining;
	*p = t->chunk + t->chunk_pos;
	*n = take;
	t->chunk_pos += take;
	t->remaining -= take;
	return BOSUN_OK;
}

int tar_read_all(struct tar_reader *t, struct buf *out, uint64_t max, struct berr *e)
{
	if (t->remaining > max)
		return berr_set(e, BOSUN_ELIMIT, "tar: entry of %llu bytes exceeds the %llu-byte limit",
				(unsigned long long)t->remaining, (unsigned long long)max);
	TRY(buf_reserve(out, (size_t)t->remaining));
	for (;;) {
		const unsigned char *p;
		size_t n;
		TRY(tar_data(t, &p, &n, e));
		if (!n)
			return BOSUN_OK;
		TRY(buf_append(out, p, n));
	}
}
