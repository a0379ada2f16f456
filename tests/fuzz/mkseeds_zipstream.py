#!/usr/bin/env python3
"""Seeds for fuzz_zipstream: jar-shaped archives written byte by byte
(stored, deflate, data descriptors with and without signature, zip64,
nesting, a launch script, manifests, pom.properties, an embedded pom.xml)
plus Trivy's fixture jars when ../shared is there. Each seed starts with one
byte that picks the piece size the fuzzer feeds. Run from the repository
root: python3 tests/fuzz/mkseeds_zipstream.py"""
import os
import shutil
import struct
import zlib

OUT = "tests/fuzz/corpus/zipstream"
os.makedirs(OUT, exist_ok=True)
SHARED = os.environ.get("BOSUN_SHARED", "../shared")

DEFLATE, DESC, NOSIG, ZIP64 = 1, 2, 4, 8


class Zip:
    def __init__(self):
        self.b = bytearray()
        self.cd = bytearray()
        self.n = 0

    def add(self, name, data, o=0):
        name = name.encode()
        payload, method = data, 0
        if o & DEFLATE:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            payload, method = c.compress(data) + c.flush(), 8
        crc = zlib.crc32(data)
        flags = 8 if o & DESC else 0
        z64 = bool(o & ZIP64)
        off = len(self.b)
        if o & DESC:
            sizes = (0, 0xFFFFFFFF if z64 else 0, 0xFFFFFFFF if z64 else 0)
        else:
            sizes = (crc, 0xFFFFFFFF if z64 else len(payload), 0xFFFFFFFF if z64 else len(data))
        extra = struct.pack("<HHQQ", 1, 16, len(data), len(payload)) if z64 else b""
        self.b += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if z64 else 20, flags, method, 0, 0x21, *sizes,
                              len(name), len(extra)) + name + extra + payload
        if o & DESC:
            if not o & NOSIG:
                self.b += struct.pack("<I", 0x08074B50)
            self.b += struct.pack("<IQQ" if z64 else "<III", crc, len(payload), len(data))
        self.cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 20, flags, method, 0, 0x21, crc,
                               len(payload), len(data), len(name), 0, 0, 0, 0, 0, off) + name
        self.n += 1
        return self

    def bytes(self):
        cdoff = len(self.b)
        return bytes(self.b + self.cd + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, self.n, self.n,
                                                     len(self.cd), cdoff, 0))


def props(g, a, v):
    return f"groupId={g}\nartifactId={a}\nversion={v}\n".encode()


MF = b"Manifest-Version: 1.0\r\nImplementation-Vendor-Id: org.example\r\nImplementation-Title: li\r\n b\r\n" \
     b"Implementation-Version: 1.0\r\nBundle-License: Apache-2.0;link=\"https://www.apache.org/licenses/LICENSE-2.0\"\r\n\r\n"
POM = b"<?xml version=\"1.0\"?><project><licenses><license><name>MIT &amp; more</name></license></licenses>" \
      b"<properties><v>1.0</v></properties><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId>" \
      b"<version>${v}</version></dependency></dependencies></project>"


def jar(o, g="g", a="a", v="1.0"):
    return (Zip().add("META-INF/", b"").add("META-INF/MANIFEST.MF", MF, o)
            .add(f"META-INF/maven/{g}/{a}/pom.properties", props(g, a, v), o)
            .add(f"META-INF/maven/{g}/{a}/pom.xml", POM, o)
            .add("x/A.class", bytes(range(256)) * 4, o).bytes())


def write(name, data, chunk=0):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes([chunk]) + data)


for i, (label, o) in enumerate([("stored", 0), ("deflate", DEFLATE), ("desc", DESC), ("desc-nosig", DESC | NOSIG),
                                 ("desc-deflate", DESC | DEFLATE), ("zip64", ZIP64),
                                 ("zip64-desc", ZIP64 | DESC | DEFLATE)]):
    write(f"{label}.jar", jar(o), i)

inner = Zip().add("META-INF/maven/g/c/pom.properties", props("g", "c", "3")).add("lib/d.jar", jar(DEFLATE), 8).bytes()
middle = Zip().add("lib/c.jar", inner, DESC | DEFLATE).add("META-INF/maven/g/b/pom.properties", props("g", "b", "2")).bytes()
write("nested.jar", Zip().add("BOOT-INF/lib/b.jar", middle).add("META-INF/maven/g/a/pom.properties",
                                                                    props("g", "a", "1"), DEFLATE).bytes(), 2)
write("script.jar", b"#!/bin/sh\nexec java -jar \"$0\"\n" + jar(DEFLATE), 3)
write("pom.xml", POM, 4)
write("gradle.lockfile", b"com.google.code.gson:gson:2.8.9=compileClasspath\nempty=\n", 5)
write("bomb.jar", Zip().add("zeros", bytes(4 << 20), DESC | DEFLATE).bytes(), 6)

pkgdb = os.path.join(SHARED, "testdata/pkgdb/java-jar")
if os.path.isdir(pkgdb):
    for case in sorted(os.listdir(pkgdb)):
        for f in sorted(os.listdir(os.path.join(pkgdb, case))):
            if f.endswith((".jar", ".war", ".jpi", ".hpi")):
                with open(os.path.join(pkgdb, case, f), "rb") as src:
                    write(f"{case}-{f}", src.read(), 5)
