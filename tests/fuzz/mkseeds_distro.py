#!/usr/bin/python3
"""Writes the seed corpora of the distro feed fuzzers into tests/fuzz/corpus/
(debian_tracker, ubuntu_uct, alpine_secdb), cut from the real feeds in
$BOSUN_SHARED/vulndata (default ../shared/vulndata). The seeds are committed;
this script documents how they were made and remakes them: a few KB each,
chosen to cover every line form the parsers know."""
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
S = os.path.join(os.environ.get("BOSUN_SHARED", os.path.join(HERE, "../../../shared")), "vulndata")
C = os.path.join(HERE, "corpus")


def w(d, name, data):
    os.makedirs(os.path.join(C, d), exist_ok=True)
    with open(os.path.join(C, d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(os.path.join(S, path), "rb") as f:
        return f.read()


def debian():
    cve = read("debian/tracker-entries-sample/CVE-list.sample")
    dsa = read("debian/tracker-entries-sample/DSA-list.sample")
    ents = re.split(rb"\n(?=\S)", cve)

    def pick(names):
        return b"\n".join(e for e in ents if any(e.startswith(n) for n in names)) + b"\n"

    w("debian_tracker", "cve-openssh-xz-glibc", pick([b"CVE-2024-6387", b"CVE-2024-3094", b"CVE-2024-2961"]))
    w("debian_tracker", "cve-expat-ncurses-reserved",
      pick([b"CVE-2023-52425", b"CVE-2023-50495", b"CVE-2023-20198", b"CVE-2023-7008", b"CVE-2016-2781",
            b"CVE-2011-3374"]))
    w("debian_tracker", "cve-multi-package", pick([b"CVE-2023-44487"]))
    # advisory list, the marker, then CVE entries: the fuzzer's join input
    w("debian_tracker", "dsa-join",
      dsa + b"\n==\n" + pick([b"CVE-2024-6387", b"CVE-2024-2961", b"CVE-2023-4911", b"CVE-2023-38545",
                                b"CVE-2023-5363"]))
    old = read("debian/security-tracker-2023-04/data/DSA/list").split(b"\n")
    i = [k for k, l in enumerate(old) if b"sudo 1.6.6-1.3woody1 (medium)" in l][0]
    w("debian_tracker", "dsa-old-forms", b"\n".join(old[i - 40:i + 20]) + b"\n")
    dla = read("debian/security-tracker-2023-04/data/DLA/list").split(b"\n")
    w("debian_tracker", "dla-head", b"\n".join(dla[:60]) + b"\n")
    w("debian_tracker", "support-ended", read("debian/debian-security-support/security-support-ended.deb12"))
    w("debian_tracker", "config.json", read("debian/security-tracker-2023-04/data/config.json"))
    w("debian_tracker", "tracker-json", b"""{"openssl": {"CVE-2023-5363": {"description": "Incorrect cipher key", "scope": "local",
 "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.11-1~deb12u2", "urgency": "not yet assigned"},
  "bullseye": {"status": "resolved", "fixed_version": "0", "urgency": "low"},
  "sid": {"status": "open", "urgency": "high**", "nodsa": "Minor issue", "nodsa_reason": "postponed"}}}},
 "ncurses": {"TEMP-0000000-ABCDEF": {"releases": {"trixie": {"status": "undetermined"}}}}}
""")
    w("debian_tracker", "cve-temp-claims", b"""begin claimed by x
CVE-2023-XXXX [heap overflow in foo]
\t- foo <unfixed> (bug #1234567)
\t[experimental] - foo 1.2-1
end claimed by x
CVE-2024-0003
\tNOT-FOR-US: thing
CVE-2024-0005 (Bar)
\t- newpkg <itp> (bug #1000000)
\t- bar <undetermined>
\t- baz (bug #42)
\tTODO: check
STOP: here
--
""")


def ubuntu():
    u = "ubuntu-cve-tracker-2020"
    for f in ["active/CVE-2020-7595", "active/CVE-2014-9911", "ignored/CVE-2004-1038"]:
        w("ubuntu_uct", os.path.basename(f), read(f"{u}/{f}"))
    tar = os.path.join(S, u, "retired.tar.zst")
    w("ubuntu_uct", "CVE-2000-1254",
      subprocess.run(["sh", "-c", f"zstd -dc '{tar}' | tar -xO retired/CVE-2000-1254"], check=True,
                     capture_output=True).stdout)
    w("ubuntu_uct", "inline-forms", b"""Candidate:CVE-2099-0001
PublicDate: unknown
Description:
 first line
Priority: untriaged
-- Tags_foo: universe-binary
# comment
Priority_foo_xenial: high (reason)
upstream_foo: 2.0.0.8
trusty_foo: released (1.2-3
xenial_foo:  released [1.2-4]
esm-infra/xenial_foo: released (1.2-4+esm1)
bionic_foo: pending (1.5-1)
cosmic_foo: deferred (2020-01-01)
eoan_foo: not-affected\t
focal_foo: released
groovy_foo:
""")


def alpine():
    m = read("alpine-secdb/v3.11/main.yaml")
    w("alpine_secdb", "v3.11-main-head.yaml", m[:m.index(b"  - pkg:\n      name: bzip2")])
    head = m[:m.index(b"packages:") + 10]
    i = m.index(b"      name: xen\n")
    w("alpine_secdb", "v3.11-xen.yaml", head + m[i - 10:i + 2200].rsplit(b"\n", 1)[0] + b"\n")
    m8 = read("alpine-secdb/v3.8/main.yaml")
    i = m8.index(b"      name: db\n")
    j = m8.index(b"  - pkg:", i)
    w("alpine_secdb", "v3.8-db-zero.yaml", m8[:m8.index(b"packages:") + 10] + m8[i - 10:j])
    c = read("alpine-secdb/v3.11/community.yaml")
    i = c.index(b"      name: openjdk7\n")
    w("alpine_secdb", "v3.11-openjdk7.yaml",
      c[:c.index(b"packages:") + 10] + c[i - 10:i + 700].rsplit(b"\n", 1)[0] + b"\n")
    w("alpine_secdb", "v3.3-community-empty.yaml", read("alpine-secdb/v3.3/community.yaml"))
    w("alpine_secdb", "secdb.json", b"""{"apkurl": "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
 "archs": ["x86_64"], "reponame": "main", "urlprefix": "https://dl-cdn.alpinelinux.org/alpine", "distroversion": "v3.19",
 "packages": [{"pkg": {"name": "openssl", "secfixes": {"3.1.4-r1": ["CVE-2023-5363"], "0": ["CVE-2022-1343"]}}},
  {"pkg": {"name": "musl"}}]}
""")


debian()
ubuntu()
alpine()
