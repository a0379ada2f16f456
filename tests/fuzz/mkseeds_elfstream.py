#!/usr/bin/env python3
"""Seeds for fuzz_elfstream and fuzz_cargo_lock: small executables of each
layout the Go and Rust analyzers handle (the same shapes as the unit tests
build), each behind one byte that picks the piece size (< 16: byte + 1,
< 128: byte * 64, else whole), and lockfile / auditable JSON text. Writes into
tests/fuzz/corpus/{elfstream,cargo_lock}."""
import os, struct, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
START = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
END = bytes.fromhex("f932433186182072008242104116d8f2")
MODINFO = (b"path\texample.com/app\nmod\texample.com/app\t(devel)\t\n"
           b"dep\tgithub.com/a/b\tv1.2.3\th1:aaaa=\ndep\tgithub.com/old/x\tv1.0.0\th1:bbbb=\n"
           b"=>\tgithub.com/new/x\tv1.1.0\th1:cccc=\nbuild\t-ldflags=\"-X main.version=v1.0.0\"\n")
VA = 0x400000

def elf(is64, be, note=True, size=0x6000):
    e = ">" if be else "<"
    b = bytearray(size)
    for i in range(0x1000, size):
        b[i] = (i * 7 + 3) & 0xff
    b[0:7] = b"\x7fELF" + bytes([2 if is64 else 1, 2 if be else 1, 1])
    struct.pack_into(e + "HH", b, 16, 2, 62 if is64 else 3)
    ph, ps = (56, "Q") if is64 else (32, "I")
    phoff = 64 if is64 else 52
    struct.pack_into(e + ps, b, 32 if is64 else 28, phoff)
    struct.pack_into(e + "HH", b, 54 if is64 else 42, ph, 4 if note else 3)
    segs = [(1, 5, 0x1000, 0x1000), (1, 4, 0x2000, 0x2000), (1, 6, 0x4000, size - 0x4000), (4, 4, 0x200, 0x20)]
    for i, (t, fl, off, ln) in enumerate(segs[:4 if note else 3]):
        o = phoff + i * ph
        if is64:
            struct.pack_into(e + "IIQQQQQQ", b, o, t, fl, off, VA + off, VA + off, ln, ln, 4)
        else:
            struct.pack_into(e + "IIIIIIII", b, o, t, off, VA + off, VA + off, ln, ln, fl, 4)
    if note:
        struct.pack_into(e + "III", b, 0x200, 4, 8, 4)
        b[0x20c:0x218] = b"Go\0\0buildid!"
    return b, e, 8 if is64 else 4

def pointer(is64, be, blob, h1, h2, vs, ms):
    b, e, ps = elf(is64, be)
    p = "Q" if ps == 8 else "I"
    b[vs:vs + 8] = b"go1.16.5"
    m = START + MODINFO + END
    b[ms:ms + len(m)] = m
    b[blob:blob + 16] = b"\xff Go buildinf:" + bytes([ps, 1 if be else 0])
    struct.pack_into(e + p + p, b, blob + 16, VA + h1, VA + h2)
    struct.pack_into(e + p + p, b, h1, VA + vs, 8)
    struct.pack_into(e + p + p, b, h2, VA + ms, len(m))
    return b

def uvarint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7f) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)

def inline():
    b, e, ps = elf(True, False)
    m = START + MODINFO + END
    blob = b"\xff Go buildinf:\x08\x02" + bytes(16) + uvarint(8) + b"go1.22.1" + uvarint(len(m)) + m
    b[0x4080:0x4080 + len(blob)] = blob
    return b

def macho():
    b = bytearray(0x3000)
    struct.pack_into("<IIIIII", b, 0, 0xfeedfacf, 0, 0, 2, 1, 152)
    struct.pack_into("<II16sQQQQIIII", b, 32, 0x19, 152, b"__DATA", 0x100002000, 0x1000, 0x2000, 0x1000, 3, 3, 1, 0)
    struct.pack_into("<16s16sQQI", b, 104, b"__go_buildinfo", b"__DATA", 0x100002000, 0x200, 0x2000)
    m = START + MODINFO + END
    blob = b"\xff Go buildinf:\x08\x02" + bytes(16) + uvarint(8) + b"go1.20.4" + uvarint(len(m)) + m
    b[0x2000:0x2000 + len(blob)] = blob
    return b

AUDIT = (b'{"packages":[{"name":"demo","version":"0.1.0","source":"local","dependencies":[1,2],"root":true},'
         b'{"name":"regex","version":"1.5.4","source":"crates.io"},{"name":"cc","version":"1.0.83",'
         b'"source":"crates.io","kind":"build"}]}')

def rust_elf():
    b = bytearray(0x1000)
    b[0:7] = b"\x7fELF\x02\x01\x01"
    struct.pack_into("<HH", b, 16, 2, 62)
    struct.pack_into("<Q", b, 32, 64)
    struct.pack_into("<HH", b, 54, 56, 1)
    struct.pack_into("<IIQQQQQQ", b, 64, 1, 5, 0, VA, VA, 0x1000, 0x1000, 4)
    return b + b"\x78\x9c\x01\x02" + zlib.compress(AUDIT, 9) + b"\x78" * 8

def pe():
    b = bytearray(0x800)
    b[0:2] = b"MZ"
    struct.pack_into("<I", b, 0x3c, 0x80)
    b[0x80:0x84] = b"PE\0\0"
    struct.pack_into("<HH", b, 0x84, 0x8664, 1)
    struct.pack_into("<H", b, 0x94, 0xf0)
    struct.pack_into("<H", b, 0x98, 0x20b)
    z = zlib.compress(AUDIT, 9)
    struct.pack_into("<8sIIIIIIHHI", b, 0x188, b".dep-v0", len(z), 0x3000, 0x200, 0x600, 0, 0, 0, 0, 0x40000040)
    b[0x600:0x600 + len(z)] = z
    return b

def write(dirname, name, data):
    d = os.path.join(HERE, "corpus", dirname)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

seeds = {
    "pointer-internal": pointer(True, False, 0x4000, 0x4100, 0x4180, 0x2333, 0x2800),
    "pointer-external": pointer(True, False, 0x5200, 0x4028, 0x4338, 0x2333, 0x3000),
    "pointer-32be": pointer(False, True, 0x4800, 0x4024, 0x4a00, 0x2101, 0x3800),
    "inline": inline(),
    "macho": macho(),
    "rust-elf": rust_elf(),
    "rust-pe": pe(),
}
for name, data in seeds.items():
    write("elfstream", name + "-p7", bytes([6]) + data)
    write("elfstream", name + "-whole", bytes([255]) + data)
write("elfstream", "gomod", bytes([255]) + b"module m\ngo 1.16\nrequire (\n\ta.io/b v1.0.0 // indirect\n)\nreplace a.io/b => c.io/d v1.1.0\n")
write("cargo_lock", "auditable.json", AUDIT)
for case in ("trivy-cargo_v3", "trivy-cargo_mixed"):
    src = os.path.join(os.path.dirname(ROOT), "shared", "testdata", "pkgdb", "cargo-lock", case, "Cargo.lock")
    if os.path.exists(src):
        write("cargo_lock", case, open(src, "rb").read())
write("cargo_lock", "v1", b'[[package]]\nname = "r"\nversion = "0.1.0"\ndependencies = [\n "d 1.0.0 (registry+x)",\n]\n\n'
      b'[[package]]\nname = "d"\nversion = "1.0.0"\nsource = "registry+x"\n\n[metadata]\n"checksum d" = "a"\n')
