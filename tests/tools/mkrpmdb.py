#!/usr/bin/python3
"""Write a minimal rpm sqlite database (rpmdb.sqlite) for matching tests.

usage: mkrpmdb.py OUT.sqlite NAME|EPOCH|VERSION|RELEASE|ARCH|SOURCERPM|MODULARITYLABEL ...

One argument per package; EPOCH, SOURCERPM and MODULARITYLABEL may be empty.
Each package becomes one rpm header blob (the format rpm stores in the
Packages table: il, dl, big-endian index entries, then the data store) with
the tags bosun's rpm analyzer reads. This is how rpm 4.16+ lays out
/var/lib/rpm/rpmdb.sqlite (AlmaLinux 9, Fedora 33+); the other tables rpm
keeps (Name, Basenames, ...) are indexes bosun does not read.
"""
import sqlite3
import struct
import sys

STRING, INT32 = 6, 4
TAGS = {"NAME": 1000, "VERSION": 1001, "RELEASE": 1002, "EPOCH": 1003, "LICENSE": 1014,
        "VENDOR": 1011, "ARCH": 1022, "SOURCERPM": 1044, "MODULARITYLABEL": 5096}


def header(fields):
    index, data = [], b""
    for name, value in fields:
        if value is None or value == "":
            continue
        if name == "EPOCH":
            data += b"\0" * (-len(data) % 4)  # INT32 data is 4-byte aligned
            index.append((TAGS[name], INT32, len(data), 1))
            data += struct.pack(">I", int(value))
        else:
            index.append((TAGS[name], STRING, len(data), 1))
            data += value.encode() + b"\0"
    blob = struct.pack(">II", len(index), len(data))
    for e in index:
        blob += struct.pack(">IIII", *e)
    return blob + data


def main(argv):
    if len(argv) < 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    db = sqlite3.connect(argv[1])
    db.execute("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)")
    for spec in argv[2:]:
        name, epoch, version, release, arch, srpm, label = spec.split("|")
        blob = header([("NAME", name), ("EPOCH", epoch), ("VERSION", version), ("RELEASE", release),
                       ("ARCH", arch), ("LICENSE", "MIT"), ("VENDOR", "AlmaLinux"), ("SOURCERPM", srpm),
                       ("MODULARITYLABEL", label)])
        db.execute("INSERT INTO Packages(blob) VALUES (?)", (blob,))
    db.commit()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
