#!/usr/bin/python3
"""Writes the seed corpora of the image-core fuzzers into tests/fuzz/corpus/
(tar, decompress, image, layers, json_bounded). The seeds are committed;
this script documents how they were made and remakes them: `mkseeds.py`.
It reuses the fixture builders of tests/e2e/hostile/gen.py and trims the
record padding Python's tarfile adds, to keep each seed a few KB. Other
files in those directories are inputs that once crashed a fuzzer, kept as
regression seeds; this script leaves them alone."""
import importlib.util
import io
import json
import os
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("gen", os.path.join(HERE, "../e2e/hostile/gen.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
SEP = b"\n--bosun-layer--\n"


def trim(tar_bytes):
    """Drops tarfile's padding to 10240 bytes: data up to the last non-zero
    block, then the two end-of-archive blocks."""
    body = tar_bytes.rstrip(b"\0")
    body += b"\0" * ((-len(body)) % 512)
    return body + b"\0" * 1024


def tar_of(members):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, v in members.items():
            if isinstance(v, tuple):
                ti, _ = gen.ent(name, kind=v[0], link=v[1])
                t.addfile(ti)
            else:
                ti, data = gen.ent(name, v)
                t.addfile(ti, io.BytesIO(data))
    return trim(b.getvalue())


def layer(entries, comp="none", fmt=tarfile.PAX_FORMAT):
    return gen.Layer(raw=trim(gen.make_tar(entries, fmt)), comp=comp)


def write(corpus, name, data):
    d = os.path.join(HERE, "corpus", corpus)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    base = gen.base_entries()
    links = [gen.ent("etc/os-release", kind="symlink", link="../usr/lib/os-release"),
             gen.ent("usr/lib/os-release", gen.OS_RELEASE),
             gen.ent("usr/bin/hard", kind="hardlink", link="usr/lib/os-release"),
             gen.ent("lib", kind="symlink", link="/usr/lib")]
    longname = [gen.ent("d/" + "n" * 150 + "/file", b"long\n"),
                gen.ent("l", kind="symlink", link="t" * 120)]
    whiteout = [gen.ent("etc/.wh.os-release"), gen.ent("var/lib/dpkg/.wh..wh..opq"),
                gen.ent("var/lib/dpkg/status", gen.STATUS)]

    # tar: a selector byte (chunk size, seekable, read data), then a tar.
    write("tar", "base-pax", b"\x18" + trim(gen.make_tar(base)))
    write("tar", "links-gnu", b"\x13" + trim(gen.make_tar(base[:2] + links, tarfile.GNU_FORMAT)))
    write("tar", "longnames-pax", b"\x1d" + trim(gen.make_tar(longname)))
    write("tar", "longnames-gnu", b"\x05" + trim(gen.make_tar(longname, tarfile.GNU_FORMAT)))
    write("tar", "ustar", b"\x10" + trim(gen.make_tar(base, tarfile.USTAR_FORMAT)))

    # decompress: a selector byte (piece sizes), then a gzip or zstd stream.
    small = trim(gen.make_tar(base))
    write("decompress", "gzip", b"\x07" + gen.gz(small))
    write("decompress", "gzip-2members-padded", b"\x0b" + gen.gz(small[:700]) + gen.gz(small[700:]) + b"\0" * 64)
    write("decompress", "zstd", b"\x83" + gen.zstd_frame(small))
    write("decompress", "zstd-rle-2frames", b"\x91" + gen.zstd_frame(b"\0" * 300000) + gen.zstd_frame(b"ab" * 100))

    # image: a selector byte (target prefix, jobs), then a docker archive or OCI archive.
    L = layer(base)
    write("image", "docker-archive", b"\x00" + tar_of(gen.docker_members([L])))
    two = [layer(base), layer(whiteout + links, comp="gzip")]
    write("image", "docker-archive-2layers-gzip", b"\x03" + tar_of(gen.docker_members(two)))
    files, _ = gen.oci_files([layer(base, comp="gzip")])
    write("image", "oci-archive-gzip", b"\x02" + tar_of(files))
    files, _ = gen.oci_files([layer(base, comp="zstd"), layer(whiteout, comp="gzip")])
    write("image", "oci-archive-zstd-2layers", b"\x01" + tar_of(files))

    # layers: layer blobs separated by SEP.
    write("layers", "base", layer(base).tar)
    write("layers", "three", layer(base).tar + SEP + layer(links, comp="gzip").blob + SEP +
          layer(whiteout, comp="zstd").blob)
    write("layers", "longnames-whiteouts", layer(base + longname, fmt=tarfile.GNU_FORMAT).tar + SEP +
          layer(whiteout).tar)

    # json_bounded: the documents images carry.
    files, info = gen.oci_files([L])
    write("json_bounded", "index.json", files["index.json"])
    write("json_bounded", "manifest.json", info["manifest"])
    write("json_bounded", "config.json", info["config"])
    write("json_bounded", "docker-manifest.json", gen.docker_members([L])["manifest.json"])
    write("json_bounded", "nested", b'{"a":[{"b":[1,2,{"c":"[[[{{{\\"}"}]}]}')


if __name__ == "__main__":
    main()
