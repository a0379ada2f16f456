#!/bin/sh
# Regenerates the cargo-auditable fixtures: a tiny no_std Rust binary linked
# with an object holding a non-alloc .dep-v0 section of zlib-compressed JSON,
# which is what cargo-auditable links in (auditable-serde's JSON, miniz at
# level 9 gives the same 0x78 0xDA header as Python's zlib here). Built with
# both linkers rustc uses on Linux (rust-lld by default since 1.90, GNU ld
# with -fuse-ld=bfd), once stripped. Needs rustc, binutils, python3.
set -eu
cd "$(dirname "$0")"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
python3 -c "import zlib,json;d=json.dumps(json.load(open('dep.json')),separators=(',',':')).encode();open('$t/dep.z','wb').write(zlib.compress(d,9))"
(cd "$t" && as "$OLDPWD/dep.s" -o dep.o)
for ld in lld bfd; do
	rustc --edition 2021 -C panic=abort -O -g nostd.rs -o "nostd-$ld" \
		-C link-arg="$t/dep.o" -C link-arg=-lc -C link-arg=-Wl,--undefined=AUDITABLE_VERSION_INFO \
		-C link-arg=-fuse-ld=$ld
done
strip -o nostd-lld-stripped nostd-lld
# A zlib stream that starts like cargo-auditable's JSON and inflates past
# the 8 MiB limit.
python3 -c "import zlib;open('bomb.z','wb').write(zlib.compress(b'{\"packages\":['+b' '*(9<<20)+b']}',9))"
