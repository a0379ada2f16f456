/* libFuzzer target: the gzip and zstd decoders. The input is decoded twice,
 * whole and in small pieces (sizes from the first byte), feeding input the
 * way layer_walk's producer does. A stream one run accepts (ends without
 * error) the other must accept too, with the same output: a decoder whose
 * verdict depends on where read() happened to split the blob would take a
 * layer on one machine and refuse it on another. A call that neither
 * consumes input nor produces output while it could is a hang.
 * Seeds: tests/fuzz/corpus/decompress/. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "image/decompress.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	return 0;
}

#define MAX_OUT (256u << 10) /* a bomb is the limits' business, not this target's */

struct run {
	unsigned char *out;
	size_t out_len;
	bool finished, error;
};

static unsigned char out_bufs[2][MAX_OUT];

static void decode(enum compression c, const uint8_t *in, size_t n, size_t in_chunk, size_t out_chunk, struct run *r,
		   unsigned char *out)
{
	memset(r, 0, sizeof *r);
	r->out = out;
	struct decoder *d;
	struct berr e = { 0 };
	if (decoder_new(&d, c, &e)) {
		r->error = true;
		return;
	}
	size_t pos = 0;
	while (pos < n && r->out_len < MAX_OUT) {
		size_t piece = n - pos < in_chunk ? n - pos : in_chunk;
		size_t room = MAX_OUT - r->out_len < out_chunk ? MAX_OUT - r->out_len : out_chunk;
		size_t used = 0, made = 0;
		if (decoder_run(d, in + pos, piece, &used, r->out + r->out_len, room, &made, &r->finished, &e)) {
			r->error = true;
			break;
		}
		if (used > piece || made > room)
			__builtin_trap();
		if (!used && !made)
			__builtin_trap(); /* no progress with input and room: would spin */
		pos += used;
		r->out_len += made;
	}
	decoder_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	static const size_t in_chunks[] = { 1, 2, 3, 17, 100, 4096 };
	static const size_t out_chunks[] = { 1, 5, 64, 1000, 65536, MAX_OUT };
	uint8_t sel = data[0];
	data++;
	size--;
	enum compression c = compression_detect(data, size);
	if (c != COMP_GZIP && c != COMP_ZSTD)
		c = (sel & 0x80) ? COMP_ZSTD : COMP_GZIP;
	struct run whole, pieces;
	decode(c, data, size, size, MAX_OUT, &whole, out_bufs[0]);
	decode(c, data, size, in_chunks[sel % 6], out_chunks[(sel / 6) % 6], &pieces, out_bufs[1]);
	/* Runs that hit the output cap stop at different points: compare the
	 * common prefix only. Otherwise an accepted stream must be accepted
	 * by both, identically; unusable ones may fail differently (a
	 * truncated stream's tail is decoded further when more of it is in
	 * view). */
	bool capped = whole.out_len == MAX_OUT || pieces.out_len == MAX_OUT;
	bool ok_whole = !whole.error && whole.finished, ok_pieces = !pieces.error && pieces.finished;
	if (!capped && (ok_whole != ok_pieces || (ok_whole && whole.out_len != pieces.out_len)))
		__builtin_trap();
	size_t common = whole.out_len < pieces.out_len ? whole.out_len : pieces.out_len;
	if (common && memcmp(whole.out, pieces.out, common))
		__builtin_trap();
	return 0;
}
