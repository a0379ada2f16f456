#!/usr/bin/env python3
"""Seeds for fuzz_zip: small real-shaped archives (stored, deflate, ZIP64
end records, directories, a data descriptor). Run from the repository root:
python3 tests/fuzz/mkseeds_zip.py"""
import io
import os
import zipfile

OUT = "tests/fuzz/corpus/zip"
os.makedirs(OUT, exist_ok=True)
OSV = b'{"id":"GO-2024-0001","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Go","name":"example.com/m"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.3"}]}]}]}'


def write(name, build):
    buf = io.BytesIO()
    build(buf)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(buf.getvalue())


def stored(buf):
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("GO-2024-0001.json", OSV)


def deflated(buf):
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("GO-2024-0001.json", OSV)
        z.writestr("sub/", b"")
        z.writestr("sub/GO-2024-0002.json", OSV.replace(b"0001", b"0002") * 3)


def zip64(buf):
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        with z.open("big.json", "w", force_zip64=True) as f:
            f.write(OSV)
        z.writestr("x.json", b"{}")


def streamed(buf):
    # writing to an unseekable stream makes zipfile use data descriptors
    class Unseekable(io.RawIOBase):
        def __init__(self, b):
            self.b = b
        def writable(self):
            return True
        def write(self, d):
            return self.b.write(d)
    with zipfile.ZipFile(Unseekable(buf), "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("GO-2024-0003.json", "w") as f:
            f.write(OSV)


write("stored.zip", stored)
write("deflated.zip", deflated)
write("zip64.zip", zip64)
write("descriptor.zip", streamed)
