#!/usr/bin/python3
"""Builds the hostile images for tests/e2e/test_hostile.sh: `gen.py OUTDIR`.

Every fixture is a small, *valid* docker-archive tarball or OCI layout (a
directory or a tar) except for the one defect it is named after, so that a
test proves that defect is what bosun catches. Nothing here is committed as
a binary; everything is built from the standard library at test time, with
fixed timestamps so that digests are the same on every run.

Every image carries a tiny dpkg status with one package, bosun-probe 1.2.3-1,
so best-effort cases can assert that the rest of the image was still read.
"""
import gzip
import hashlib
import io
import json
import lzma
import os
import shutil
import sys
import tarfile

MTIME = 1700000000
PKG = "bosun-probe"
STATUS = (b"Package: bosun-probe\n"
          b"Status: install ok installed\n"
          b"Priority: optional\n"
          b"Section: misc\n"
          b"Maintainer: bosun tests <bosun@example.invalid>\n"
          b"Architecture: amd64\n"
          b"Version: 1.2.3-1\n"
          b"Description: probe package for the hostile-input tests\n\n")
OS_RELEASE = (b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n'
              b'VERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n')
# An OS no host runs: if a symlink were resolved on the host, we would see
# the host's os-release instead of this one.
ALIEN_OS_RELEASE = (b'NAME="Bosun Test OS"\nID=bosuntestos\nID_LIKE=debian\nVERSION_ID="77"\n'
                    b'PRETTY_NAME="Bosun Test OS 77"\n')

MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = {
    "none": "application/vnd.oci.image.layer.v1.tar",
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
    "xz": "application/vnd.oci.image.layer.v1.tar+xz",
}

OUT = None


# ---------------------------------------------------------------- helpers

def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def jdump(o):
    return json.dumps(o, separators=(",", ":")).encode()


def ent(name, data=b"", kind="file", link="", mode=None):
    ti = tarfile.TarInfo(name)
    ti.mtime = MTIME
    ti.uname = ti.gname = "root"
    if kind == "file":
        ti.type, ti.size, ti.mode = tarfile.REGTYPE, len(data), mode or 0o644
    elif kind == "dir":
        ti.type, ti.mode = tarfile.DIRTYPE, mode or 0o755
        data = b""
    elif kind == "symlink":
        ti.type, ti.linkname, ti.mode = tarfile.SYMTYPE, link, 0o777
        data = b""
    elif kind == "hardlink":
        ti.type, ti.linkname, ti.mode = tarfile.LNKTYPE, link, mode or 0o644
        data = b""
    else:
        raise ValueError(kind)
    return ti, data


def make_tar(entries, fmt=tarfile.PAX_FORMAT):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=fmt) as t:
        for ti, data in entries:
            t.addfile(ti, io.BytesIO(data) if ti.isreg() else None)
    return b.getvalue()


def gz(b):
    return gzip.compress(b, compresslevel=6, mtime=0)


def zstd_frame(data):
    """A valid zstd frame built by hand (no zstd module in the standard
    library): raw blocks, and RLE blocks where a block is one repeated byte."""
    out = bytearray(b"\x28\xb5\x2f\xfd")
    out += bytes([0x00, 0x38])  # no content size or checksum; window 2^17
    BLK = 128 * 1024
    chunks = [data[i:i + BLK] for i in range(0, len(data), BLK)] or [b""]
    for i, c in enumerate(chunks):
        out += zstd_block(c, i == len(chunks) - 1)
    return bytes(out)


def zstd_block(c, last):
    rle = len(c) > 1 and c.count(c[:1]) == len(c)
    hdr = int(last) | ((1 if rle else 0) << 1) | (len(c) << 3)
    return hdr.to_bytes(3, "little") + (c[:1] if rle else c)


def compress(raw, comp):
    if comp == "none":
        return raw
    if comp == "gzip":
        return gz(raw)
    if comp == "zstd":
        return zstd_frame(raw)
    if comp == "xz":
        return lzma.compress(raw, format=lzma.FORMAT_XZ)
    raise ValueError(comp)


class Layer:
    """One layer: its tar (whose sha256 is the diff_id) and its blob."""

    def __init__(self, entries=None, comp="none", raw=None, fmt=tarfile.PAX_FORMAT, blob=None, diff_id=None):
        self.tar = raw if raw is not None else make_tar(entries, fmt)
        self.diff_id = diff_id or sha(self.tar)
        self.comp = comp
        self.blob = blob if blob is not None else compress(self.tar, comp)
        self.media_type = MT_LAYER[comp]


def base_entries(status=STATUS, os_release=OS_RELEASE):
    return [ent("etc/", kind="dir"), ent("etc/os-release", os_release),
            ent("var/", kind="dir"), ent("var/lib/", kind="dir"), ent("var/lib/dpkg/", kind="dir"),
            ent("var/lib/dpkg/status", status)]


def config_for(layers, diff_ids=None):
    return {
        "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
        "config": {"Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids if diff_ids is not None else [l.diff_id for l in layers]},
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "hostile fixture layer %d" % i}
                    for i in range(len(layers))],
    }


def write_tar(path, members):
    """members: name -> bytes, or ("symlink", target) / ("hardlink", target)."""
    with tarfile.open(os.path.join(OUT, path), "w", format=tarfile.PAX_FORMAT) as t:
        for name, v in members.items():
            if isinstance(v, tuple):
                ti, _ = ent(name, kind=v[0], link=v[1])
                t.addfile(ti)
            else:
                ti, data = ent(name, v)
                t.addfile(ti, io.BytesIO(data))


def write_dir(path, files):
    root = os.path.join(OUT, path)
    shutil.rmtree(root, ignore_errors=True)
    for name, v in files.items():
        p = os.path.join(root, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if isinstance(v, tuple):
            os.symlink(v[1], p)
        else:
            with open(p, "wb") as f:
                f.write(v)


def write_file(path, data):
    with open(os.path.join(OUT, path), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- docker-archive

def docker_members(layers, config=None, raw_config=None, layer_names=None, config_name=None, manifest=None,
                   raw_manifest=None):
    cfg = raw_config if raw_config is not None else jdump(config or config_for(layers))
    cname = config_name or hashlib.sha256(cfg).hexdigest() + ".json"
    members = {}
    names = []
    for i, l in enumerate(layers):
        n = layer_names[i] if layer_names else l.diff_id[7:] + ".tar"
        names.append(n)
        members[n] = l.blob
    members[cname] = cfg
    m = manifest if manifest is not None else [{"Config": cname, "RepoTags": ["bosun/hostile:latest"], "Layers": names}]
    members["manifest.json"] = raw_manifest if raw_manifest is not None else jdump(m)
    members["repositories"] = jdump({"bosun/hostile": {"latest": names[-1][:64] if names else ""}})
    return members


def docker(path, layers, **kw):
    write_tar(path, docker_members(layers, **kw))


# ---------------------------------------------------------------- OCI layout

def desc(mt, b, **extra):
    d = {"mediaType": mt, "digest": sha(b), "size": len(b)}
    d.update(extra)
    return d


def blob_name(digest):
    return "blobs/sha256/" + digest[7:]


def oci_files(layers, config=None, raw_config=None, mutate_manifest=None, raw_manifest=None, index=None):
    """Returns (files, info): the layout as name -> bytes, and the digests."""
    files = {"oci-layout": jdump({"imageLayoutVersion": "1.0.0"})}
    cfg = raw_config if raw_config is not None else jdump(config or config_for(layers))
    files[blob_name(sha(cfg))] = cfg
    for l in layers:
        files[blob_name(sha(l.blob))] = l.blob
    man = {"schemaVersion": 2, "mediaType": MT_MANIFEST, "config": desc(MT_CONFIG, cfg),
           "layers": [desc(l.media_type, l.blob) for l in layers]}
    if mutate_manifest:
        mutate_manifest(man, files)
    mb = raw_manifest if raw_manifest is not None else jdump(man)
    files[blob_name(sha(mb))] = mb
    # No platform: the fixtures must not depend on the host's architecture.
    mdesc = desc(MT_MANIFEST, mb, annotations={"org.opencontainers.image.ref.name": "latest"})
    idx = index if index is not None else {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [mdesc]}
    files["index.json"] = jdump(idx)
    return files, {"config": cfg, "manifest": mb, "mdesc": mdesc}


def oci(path, layers, **kw):
    files, _ = oci_files(layers, **kw)
    write_dir(path, files)
    return files


def oci_tar(path, files):
    write_tar(path, files)


# ---------------------------------------------------------------- fixtures

def ok_images():
    base = Layer(base_entries())
    docker("ok-docker.tar", [base])
    docker("ok-docker-gzip.tar", [Layer(base_entries(), comp="gzip")])
    files = oci("ok-oci", [Layer(base_entries(), comp="gzip")])
    oci_tar("ok-oci.tar", files)
    oci("ok-oci-zstd", [Layer(base_entries(), comp="zstd")])
    # Two layers, the second deleting a file of the first, for the fuzz seeds.
    upper = Layer([ent("etc/.wh.os-release"), ent("etc/os-release", OS_RELEASE)], comp="gzip")
    oci("ok-oci-2layers", [Layer(base_entries(), comp="gzip"), upper])


def bad_entries():
    """'..' and absolute names inside a layer: warnings; the rest is read."""
    dotdot = base_entries() + [
        ent("../bosun-hostile-escape", b"escaped\n"),
        ent("../../../../../tmp/bosun-hostile-escape", b"escaped\n"),
        ent("a/../../bosun-hostile-escape", b"escaped\n"),
        ent("var/lib/dpkg/../../../../bosun-hostile-escape", b"escaped\n"),
        ent("x/" + "y" * 150 + "/../../../bosun-hostile-escape", b"escaped\n"),  # pax path
    ]
    docker("dotdot.tar", [Layer(dotdot)])
    docker("dotdot-gnu.tar", [Layer(dotdot, fmt=tarfile.GNU_FORMAT)])
    # The package database itself under an absolute name: taken from the image root.
    absolute = [ent("/etc/", kind="dir"), ent("/etc/os-release", OS_RELEASE),
                ent("/var/lib/dpkg/", kind="dir"), ent("/var/lib/dpkg/status", STATUS),
                ent("/tmp/bosun-hostile-absolute", b"must not be written\n")]
    docker("absolute.tar", [Layer(absolute)])


def links():
    # etc/os-release points far above the root: it must land on the image's
    # usr/lib/os-release (clamped at the image root), never the host's.
    esc = [ent("etc/", kind="dir"), ent("usr/", kind="dir"), ent("usr/lib/", kind="dir"),
           ent("usr/lib/os-release", ALIEN_OS_RELEASE),
           ent("etc/os-release", kind="symlink", link="../../../../../../usr/lib/os-release"),
           ent("var/lib/dpkg/", kind="dir"), ent("var/lib/dpkg/status", STATUS)]
    docker("symlink-escape.tar", [Layer(esc)])
    # An absolute target, through a directory symlink that climbs out: same rule.
    esc_abs = [ent("etc/", kind="dir"), ent("usr/lib/os-release", ALIEN_OS_RELEASE),
               ent("etc/os-release", kind="symlink", link="/lib/../../../os-release"),
               ent("lib", kind="symlink", link="/../../../../usr/lib"),
               ent("var/lib/dpkg/", kind="dir"), ent("var/lib/dpkg/status", STATUS)]
    docker("symlink-absolute.tar", [Layer(esc_abs)])
    # Only a link to the host's file and nothing in the image: no OS at all.
    host = [ent("etc/", kind="dir"), ent("etc/os-release", kind="symlink", link="/../../../../etc/os-release"),
            ent("usr/lib/os-release", kind="symlink", link="../../../../../../../etc/os-release"),
            ent("var/lib/dpkg/status", STATUS)]
    docker("symlink-host.tar", [Layer(host)])
    # Loops: a self link, a two-link cycle, a directory loop; the status
    # file itself is fine.
    loop = base_entries()[:2] + [
        ent("var/lib/dpkg/", kind="dir"), ent("var/lib/dpkg/status", STATUS),
        ent("usr/lib/os-release", kind="symlink", link="os-release"),
        ent("etc/alpine-release", kind="symlink", link="../etc/redhat-release"),
        ent("etc/redhat-release", kind="symlink", link="/etc/alpine-release"),
        ent("etc/centos-release", kind="symlink", link="loopdir/loopdir/loopdir/x"),
        ent("etc/loopdir", kind="symlink", link="."),
        ent("var/lib/dpkg/status.d", kind="symlink", link="../dpkg/status.d"),
    ]
    docker("symlink-loop.tar", [Layer(loop)])
    # Hard links: a missing target, targets outside, a self link, and one
    # that is fine (usr/lib/os-release is a hard link to etc/os-release).
    hl = base_entries() + [
          ent("usr/lib/os-release", kind="hardlink", link="etc/os-release"),
          ent("usr/bin/ghost", kind="hardlink", link="usr/bin/not-in-this-layer"),
          ent("usr/bin/passwd-copy", kind="hardlink", link="../../../../etc/passwd"),
          ent("usr/bin/abs", kind="hardlink", link="/etc/shadow"),
          ent("usr/bin/self", kind="hardlink", link="usr/bin/self")]
    docker("hardlink.tar", [Layer(hl)])
    # The status file as a hard link to a name no analyzer asked for: its
    # content streamed past before we knew it was needed (one pass over
    # the layer), so this is a warning, not a silent miss.
    hl2 = [ent("etc/", kind="dir"), ent("etc/os-release", OS_RELEASE), ent("var/lib/dpkg/", kind="dir"),
           ent("var/lib/dpkg/status-old", STATUS),
           ent("var/lib/dpkg/status", kind="hardlink", link="var/lib/dpkg/status-old")]
    docker("hardlink-uncaptured.tar", [Layer(hl2)])
    # A layer whose only content is a hard link to a file of a lower layer.
    docker("hardlink-lower.tar", [Layer(base_entries()),
                                  Layer([ent("var/lib/dpkg/status2", kind="hardlink", link="var/lib/dpkg/status")])])


def tar_damage():
    full = Layer(base_entries() + [ent("usr/share/doc/filler", b"x" * 5000)])
    raw = full.tar
    # Cut inside the last file's data: the tar reader must say so.
    cut = raw[:raw.index(b"x" * 5000) + 2000]
    docker("truncated-layer.tar", [Layer(raw=cut)])
    # Cut exactly before the end-of-archive blocks (umoci's quirk): accepted,
    # the diff_id covers what is there.
    body = raw.rstrip(b"\0")
    body += b"\0" * ((-len(body)) % 512)
    docker("no-end-blocks.tar", [Layer(raw=body)])
    # A header with a broken checksum.
    bad = bytearray(raw)
    bad[148:156] = b"0000000\0"
    docker("bad-checksum.tar", [Layer(raw=bytes(bad))])
    # A header cut in half.
    docker("truncated-header.tar", [Layer(raw=raw[:512 + 300])])
    # A size field that claims far more data than there is.
    big = bytearray(raw)
    big[124:136] = b"77777777777\0"
    s = sum(big[:148]) + 8 * 32 + sum(big[156:512])
    big[148:156] = b"%06o\0 " % s
    docker("huge-size-field.tar", [Layer(raw=bytes(big))])


def compression():
    good = Layer(base_entries() + [ent("usr/share/doc/filler", bytes(range(256)) * 64)], comp="gzip")
    # Truncated gzip: the descriptor describes the cut blob, so only the cut is wrong.
    cut = good.blob[:len(good.blob) // 2]
    oci("oci-truncated-gzip", [Layer(raw=good.tar, comp="gzip", blob=cut)])
    garbage = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + hashlib.sha512(b"garbage").digest() * 64
    oci("oci-garbage-gzip", [Layer(raw=good.tar, comp="gzip", blob=garbage)])
    # A valid gzip member followed by trailing garbage.
    oci("oci-gzip-trailing", [Layer(raw=good.tar, comp="gzip", blob=good.blob + b"GARBAGE!")])
    zgood = Layer(raw=good.tar, comp="zstd")
    oci("oci-truncated-zstd", [Layer(raw=good.tar, comp="zstd", blob=zgood.blob[:len(zgood.blob) // 2])])
    zgarbage = b"\x28\xb5\x2f\xfd" + hashlib.sha512(b"zgarbage").digest() * 64
    oci("oci-garbage-zstd", [Layer(raw=good.tar, comp="zstd", blob=zgarbage)])
    oci("oci-xz", [Layer(raw=good.tar, comp="xz")])
    docker("xz-layer.tar", [Layer(raw=good.tar, comp="xz")])
    # A gzip-compressed docker save, and files that are not images at all.
    with open(os.path.join(OUT, "ok-docker.tar"), "rb") as f:
        write_file("docker-save.tar.gz", gz(f.read()))
    write_file("empty.tar", b"")
    write_file("garbage.bin", hashlib.sha512(b"not a tar").digest() * 40)
    write_file("short.bin", b"hello, not a tar\n")
    write_tar("plain-rootfs.tar", {"etc/os-release": OS_RELEASE, "var/lib/dpkg/status": STATUS})


def digests():
    L = Layer(base_entries(), comp="gzip")
    fake = sha(b"some other blob")

    def wrong_layer_digest(man, files):
        files[blob_name(fake)] = files.pop(blob_name(man["layers"][0]["digest"]))
        man["layers"][0]["digest"] = fake
    oci("oci-layer-digest", [L], mutate_manifest=wrong_layer_digest)

    def wrong_layer_size(man, files):
        man["layers"][0]["size"] += 1
    oci("oci-layer-size", [L], mutate_manifest=wrong_layer_size)

    def wrong_config_digest(man, files):
        files[blob_name(fake)] = files.pop(blob_name(man["config"]["digest"]))
        man["config"]["digest"] = fake
    oci("oci-config-digest", [L], mutate_manifest=wrong_config_digest)

    def wrong_config_size(man, files):
        man["config"]["size"] -= 1
    oci("oci-config-size", [L], mutate_manifest=wrong_config_size)

    files, info = oci_files([L])
    m = info["manifest"]
    files[blob_name(fake)] = files.pop(blob_name(sha(m)))
    idx = json.loads(files["index.json"])
    idx["manifests"][0]["digest"] = fake
    files["index.json"] = jdump(idx)
    write_dir("oci-manifest-digest", files)

    files, info = oci_files([L])
    idx = json.loads(files["index.json"])
    idx["manifests"][0]["size"] += 10
    files["index.json"] = jdump(idx)
    write_dir("oci-manifest-size", files)

    # diff_id mismatch: layer 1 of 2. Layer 0 is large, so that layer 1
    # fails while layer 0 is still being read.
    big = Layer(base_entries() + [ent("usr/share/big", b"\0" * (48 << 20))])
    small = Layer([ent("etc/motd", b"hello\n")])
    wrong = [big.diff_id, sha(b"not the layer")]
    docker("wrong-diffid.tar", [big, small], config=config_for([big, small], wrong))
    oci("oci-wrong-diffid", [Layer(raw=big.tar, comp="gzip"), Layer(raw=small.tar, comp="gzip")],
        config=config_for([big, small], wrong))
    docker("diffid-count.tar", [L], config=config_for([L], [L.diff_id, L.diff_id]))
    docker("diffid-bad.tar", [L], config=config_for([L], ["md5:0123"]))


def bombs():
    # 64 MiB of zeros in ~64 KiB of gzip.
    zeros = Layer(base_entries() + [ent("usr/share/zeros", b"\0" * (64 << 20))], comp="gzip")
    oci("oci-gzip-bomb", [zeros])
    docker("gzip-bomb.tar", [zeros])
    # 1.25 GiB of zeros in ~40 KiB of zstd RLE blocks: the expansion ratio
    # trips even with the default limits.
    n = 5 << 28
    ti, _ = ent("usr/share/zeros")
    ti.size = n
    hdr = ti.tobuf(tarfile.PAX_FORMAT)
    assert len(hdr) == 512
    total = 512 + n + 1024  # n is a multiple of 512
    h = hashlib.sha256(hdr)
    chunk = b"\0" * (1 << 20)
    left = total - 512
    while left:
        k = min(left, len(chunk))
        h.update(chunk[:k])
        left -= k
    BLK = 128 * 1024
    frame = bytearray(b"\x28\xb5\x2f\xfd\x00\x38")
    frame += zstd_block(hdr + b"\0" * (BLK - 512), False)
    left = total - BLK
    while left:
        k = min(left, BLK)
        left -= k
        frame += zstd_block(b"\0" * k, left == 0)
    ratio = Layer(raw=b"", comp="zstd", blob=bytes(frame), diff_id="sha256:" + h.hexdigest())
    oci("oci-zstd-ratio-bomb", [Layer(base_entries(), comp="zstd"), ratio])
    # One file above --max-file-size: skipped with a warning, the rest read.
    docker("bigfile.tar", [Layer(base_entries() + [ent("usr/share/bigfile", b"\1" * (2 << 20))])])
    # The package database itself above --max-file-size.
    docker("bigstatus.tar", [Layer(base_entries(status=STATUS[:-1] + b" filler line\n" * (200 << 10) + b"\n"))])
    # Nesting bombs in every JSON document.
    bomb = b"[" * 100000 + b"]" * 100000
    objbomb = b'{"a":' * 50000 + b"1" + b"}" * 50000
    L = Layer(base_entries())
    docker("json-bomb-manifest.tar", [L], raw_manifest=bomb)
    docker("json-bomb-config.tar", [L], raw_config=objbomb)
    G = Layer(base_entries(), comp="gzip")
    files, _ = oci_files([G])
    files["index.json"] = bomb
    write_dir("oci-json-bomb-index", files)
    oci("oci-json-bomb-manifest", [G], raw_manifest=bomb)
    oci("oci-json-bomb-config", [G], raw_config=objbomb)
    # Big documents: above the 8 MiB JSON limit.
    files, _ = oci_files([G])
    files["index.json"] = b'{"pad":"' + b"x" * (9 << 20) + b'"}'
    write_dir("oci-json-huge-index", files)


def manifests():
    L = Layer(base_entries())
    m = docker_members([L], layer_names=["0" * 64 + ".tar"])
    del m["0" * 64 + ".tar"]
    write_tar("missing-layer.tar", m)
    # The second of two layers is missing: the first was already opened.
    m = docker_members([L, L], layer_names=["a.tar", "b.tar"])
    del m["b.tar"]
    write_tar("missing-layer2.tar", m)
    m = docker_members([L])
    del m["manifest.json"]
    write_tar("no-manifest-json-but-repos.tar", m)
    docker("manifest-not-array.tar", [L], raw_manifest=b'{"Config":"x","Layers":[]}')
    docker("manifest-no-config.tar", [L], manifest=[{"RepoTags": ["x:1"], "Layers": []}])
    docker("manifest-layer-number.tar", [L], manifest=[{"Config": "c.json", "Layers": [42]}])
    docker("manifest-invalid-json.tar", [L], raw_manifest=b'[{"Config": ')
    docker("manifest-duplicate-keys.tar", [L], raw_manifest=b'[{"Config":"a","Config":"b","Layers":[]}]')
    # Layer paths that escape the archive.
    for name, ref in (("layer-dotdot.tar", "../x.tar"), ("layer-absolute.tar", "/etc/passwd"),
                      ("layer-dotdot-deep.tar", "a/../../../../../../etc/passwd")):
        m = docker_members([L])
        man = json.loads(m["manifest.json"])
        man[0]["Layers"] = [ref]
        m["manifest.json"] = jdump(man)
        write_tar(name, m)
    for name, target in (("layer-symlink-out.tar", "../../../../../etc/passwd"),
                         ("layer-symlink-abs.tar", "/etc/passwd"),
                         ("layer-symlink-loop.tar", "b.tar")):
        m = docker_members([L], layer_names=["a.tar"])
        m["a.tar"] = ("symlink", target)
        if target == "b.tar":
            m["b.tar"] = ("symlink", "sub/../a.tar")
        write_tar(name, m)
    # A legacy <id>/layer.tar symlink inside the archive is fine.
    m = docker_members([L], layer_names=["abc/layer.tar"])
    real = m.pop("abc/layer.tar")
    m[L.diff_id[7:] + ".tar"] = real
    m["abc/layer.tar"] = ("symlink", "../" + L.diff_id[7:] + ".tar")
    write_tar("ok-docker-legacy-symlink.tar", m)
    m = docker_members([L], layer_names=["abc/layer.tar"])
    m["abc/layer.tar"] = ("hardlink", "missing.tar")
    write_tar("layer-hardlink-missing.tar", m)
    # The config escaping.
    m = docker_members([L])
    man = json.loads(m["manifest.json"])
    man[0]["Config"] = "../../../../etc/passwd"
    m["manifest.json"] = jdump(man)
    write_tar("config-escape.tar", m)
    # The whole archive cut in the middle of the layer member.
    with open(os.path.join(OUT, "ok-docker.tar"), "rb") as f:
        data = f.read()
    write_file("archive-truncated.tar", data[:len(data) // 2])


def oci_structure():
    G = Layer(base_entries(), comp="gzip")
    files, info = oci_files([G])
    del files[blob_name(sha(G.blob))]
    write_dir("oci-missing-layer", files)
    files, info = oci_files([G])
    del files[blob_name(sha(info["manifest"]))]
    write_dir("oci-missing-manifest", files)
    files, info = oci_files([G])
    del files["index.json"]
    write_dir("oci-no-index", files)
    files, info = oci_files([G])
    files["index.json"] = b"this is not json"
    write_dir("oci-index-garbage", files)
    files, info = oci_files([G])
    files["index.json"] = jdump({"schemaVersion": 2, "manifests": []})
    write_dir("oci-index-empty", files)

    def bad_digest(man, files):
        man["layers"][0]["digest"] = "sha256:../../../../../../etc/passwd"
    oci("oci-digest-traversal", [G], mutate_manifest=bad_digest)

    def md5_digest(man, files):
        man["layers"][0]["digest"] = "md5:d41d8cd98f00b204e9800998ecf8427e"
    oci("oci-digest-md5", [G], mutate_manifest=md5_digest)

    # Symlinks out of the layout: the layer blob, then the blobs directory.
    outside = os.path.join(OUT, "outside")
    os.makedirs(os.path.join(outside, "sha256"), exist_ok=True)
    with open(os.path.join(outside, "sha256", sha(G.blob)[7:]), "wb") as f:
        f.write(G.blob)
    files, info = oci_files([G])
    files[blob_name(sha(G.blob))] = ("symlink", os.path.join(outside, "sha256", sha(G.blob)[7:]))
    write_dir("oci-blob-symlink", files)
    files, info = oci_files([G])
    files = {k: v for k, v in files.items() if not k.startswith("blobs/")}
    for k in (info["config"], info["manifest"]):
        with open(os.path.join(outside, "sha256", sha(k)[7:]), "wb") as f:
            f.write(k)
    files["blobs"] = ("symlink", outside)
    write_dir("oci-blobs-dir-symlink", files)
    files, info = oci_files([G])
    files["index.json"] = ("symlink", "/etc/hostname")
    write_dir("oci-index-symlink", files)
    # A FIFO where the layer blob should be: opening it must not block.
    files, info = oci_files([G])
    del files[blob_name(sha(G.blob))]
    write_dir("oci-blob-fifo", files)
    os.mkfifo(os.path.join(OUT, "oci-blob-fifo", blob_name(sha(G.blob))))
    # The same in an OCI archive: a member that is a symlink out.
    files, info = oci_files([G])
    files[blob_name(sha(G.blob))] = ("symlink", "../../../../../../etc/passwd")
    oci_tar("oci-archive-symlink-out.tar", files)

    # An index that refers to itself through a nested index. The nested
    # index's digest cannot be its own hash, so the cycle is caught no later
    # than the digest check.
    files, info = oci_files([G])
    self_digest = sha(b"the nested index")
    nested = {"schemaVersion": 2, "mediaType": MT_INDEX,
              "manifests": [{"mediaType": MT_INDEX, "digest": self_digest, "size": 0}]}
    nb = jdump(nested)
    nested["manifests"][0]["size"] = len(nb)
    nb = jdump(nested)
    files[blob_name(self_digest)] = nb
    files["index.json"] = jdump({"schemaVersion": 2, "manifests": [
        {"mediaType": MT_INDEX, "digest": self_digest, "size": len(nb)}]})
    write_dir("oci-index-cycle", files)

    # Indexes nested six deep, each with a correct digest.
    files, info = oci_files([G])
    d = info["mdesc"]
    for _ in range(6):
        ib = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [d]})
        files[blob_name(sha(ib))] = ib
        d = desc(MT_INDEX, ib)
    files["index.json"] = jdump({"schemaVersion": 2, "manifests": [d]})
    write_dir("oci-index-deep", files)
    # Two levels deep (as docker buildx writes): fine.
    files, info = oci_files([G])
    ib = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [info["mdesc"]]})
    files[blob_name(sha(ib))] = ib
    files["index.json"] = jdump({"schemaVersion": 2, "manifests": [desc(MT_INDEX, ib)]})
    write_dir("ok-oci-nested-index", files)
    # Many sibling nested indexes, none for this platform.
    files, info = oci_files([G])
    sibs = []
    for i in range(40):
        md = dict(info["mdesc"])
        md["platform"] = {"architecture": "mips%d" % i, "os": "plan9"}
        ib = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [md]})
        files[blob_name(sha(ib))] = ib
        sibs.append(desc(MT_INDEX, ib))
    files["index.json"] = jdump({"schemaVersion": 2, "manifests": sibs})
    write_dir("oci-index-wide", files)
    # The same nested index listed many times over, nested: a fan-out that
    # must not take forever.
    files, info = oci_files([G])
    md = dict(info["mdesc"])
    md["platform"] = {"architecture": "mips", "os": "plan9"}
    d = desc(MT_MANIFEST, info["manifest"], platform={"architecture": "mips", "os": "plan9"})
    for _ in range(3):
        ib = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [d] * 4000})
        files[blob_name(sha(ib))] = ib
        d = desc(MT_INDEX, ib)
    files["index.json"] = jdump({"schemaVersion": 2, "manifests": [d] * 4000})
    write_dir("oci-index-fanout", files)


def main():
    global OUT
    if len(sys.argv) != 2:
        sys.exit("usage: gen.py OUTDIR")
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    ok_images()
    bad_entries()
    links()
    tar_damage()
    compression()
    digests()
    bombs()
    manifests()
    oci_structure()


if __name__ == "__main__":
    main()
