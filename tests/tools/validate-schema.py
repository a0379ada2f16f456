#!/usr/bin/python3
"""Validate an SBOM that bosun wrote against its official JSON schema.

usage: validate-schema.py cyclonedx|spdx|bosun|vulns|sarif FILE

  cyclonedx  CycloneDX 1.6 (bom-1.6.SNAPSHOT.schema.json and the two schemas
             it refers to, spdx.SNAPSHOT and jsf-0.82.SNAPSHOT)
  spdx       SPDX 2.3 (spdx-2.3.schema.json)
  bosun      bosun's own --format json (docs/bosun-sbom.schema.json)
  vulns      bosun image --format json (docs/bosun-vulns.schema.json, which
             refers to the SBOM schema)
  sarif      SARIF 2.1.0 (sarif-2.1.0.json)

The official schemas are read from $BOSUN_SHARED/schemas (default: the
shared/ directory next to the repository). Nothing is fetched: the
CycloneDX schema's relative $refs are served from a local RefResolver
store. Formats are checked too (date-time by RFC 3339, since Debian's
jsonschema has no checker for it without an extra module).

On top of the schema, the rules the schemas cannot express are checked:
unique bom-refs and dependency and vulnerability affects refs that exist
(CycloneDX); SPDXIDs that are unique idstrings, relationships between known
elements and LicenseRefs that are defined (SPDX); unique rule ids and
results whose ruleId/ruleIndex name an existing rule (SARIF); findings
whose package index exists (vulns).

Exit status: 0 valid, 1 invalid (errors on stdout), 2 usage or I/O error.
Written for Debian's python3-jsonschema 4.10; run it as /usr/bin/python3.
"""
import json
import os
import re
import sys

import jsonschema
import jsonschema.exceptions

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CDX_BASE = "http://cyclonedx.org/schema/"


def shared_schemas():
    shared = os.environ.get("BOSUN_SHARED") or os.path.join(REPO, "..", "shared")
    return os.path.join(shared, "schemas")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cyclonedx_schema():
    d = shared_schemas()
    bom = load(os.path.join(d, "bom-1.6.SNAPSHOT.schema.json"))
    store = {}
    for name in ("spdx.SNAPSHOT.schema.json", "jsf-0.82.SNAPSHOT.schema.json"):
        sub = load(os.path.join(d, name))
        # Reachable both by its own $id and by the relative $ref the bom
        # schema uses (resolved against the bom schema's $id).
        store[sub["$id"]] = sub
        store[CDX_BASE + name] = sub
    store[bom["$id"]] = bom
    return bom, store


def inline_sbom_refs(vulns, sbom):
    """The vulnerability schema refers to the SBOM schema by its urn $id;
    jsonschema's resolver cannot join fragments onto urn: bases, so the
    referenced parts are copied in, their $defs under an "sbom_" prefix."""
    prefix = sbom["$id"] + "#/properties/"

    def rebase(x):
        return json.loads(json.dumps(x).replace('"#/$defs/', '"#/$defs/sbom_'))

    for name, d in sbom.get("$defs", {}).items():
        vulns["$defs"]["sbom_" + name] = rebase(d)

    def walk(x):
        if isinstance(x, dict):
            ref = x.get("$ref", "")
            if ref.startswith(prefix):
                part = rebase(sbom["properties"][ref[len(prefix):]])
                del x["$ref"]
                x.setdefault("allOf", []).append(part)
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(vulns)
    return vulns


def schema_for(kind):
    if kind == "cyclonedx":
        return cyclonedx_schema()
    if kind == "spdx":
        s = load(os.path.join(shared_schemas(), "spdx-2.3.schema.json"))
    elif kind == "bosun":
        s = load(os.path.join(REPO, "docs", "bosun-sbom.schema.json"))
    elif kind == "vulns":
        s = inline_sbom_refs(load(os.path.join(REPO, "docs", "bosun-vulns.schema.json")),
                             load(os.path.join(REPO, "docs", "bosun-sbom.schema.json")))
    elif kind == "sarif":
        s = load(os.path.join(shared_schemas(), "sarif-2.1.0.json"))
    else:
        raise KeyError(kind)
    return s, {s.get("$id", ""): s}


RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def format_checker():
    fc = jsonschema.FormatChecker()

    @fc.checks("date-time", raises=ValueError)
    def date_time(value):
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            raise ValueError("not an RFC 3339 date-time")
        import datetime
        datetime.datetime.fromisoformat(value[:19])
        return True

    return fc


def schema_errors(kind, doc):
    schema, store = schema_for(kind)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    v = cls(schema, resolver=resolver, format_checker=format_checker())
    out = []
    for err in sorted(v.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        where = "/" + "/".join(map(str, err.absolute_path))
        out.append("%s: %s" % (where, short(err.message)))
        for sub in sorted(err.context or [], key=jsonschema.exceptions.relevance)[:3]:
            out.append("    %s: %s" % ("/" + "/".join(map(str, sub.absolute_path)), short(sub.message)))
    return out


def short(msg, n=300):
    return msg if len(msg) <= n else msg[:n] + "..."


def cyclonedx_rules(doc):
    out, refs = [], set()

    def visit(comp, where):
        ref = comp.get("bom-ref")
        if ref is not None:
            if ref in refs:
                out.append("%s: duplicate bom-ref %r" % (where, ref))
            refs.add(ref)
        for i, sub in enumerate(comp.get("components", [])):
            visit(sub, "%s/components/%d" % (where, i))

    md = doc.get("metadata", {})
    if "component" in md:
        visit(md["component"], "/metadata/component")
    for i, c in enumerate(doc.get("components", [])):
        visit(c, "/components/%d" % i)
    for i, dep in enumerate(doc.get("dependencies", [])):
        for r in [dep.get("ref")] + dep.get("dependsOn", []):
            if r not in refs:
                out.append("/dependencies/%d: unknown ref %r" % (i, r))
    for i, v in enumerate(doc.get("vulnerabilities", [])):
        for j, a in enumerate(v.get("affects", [])):
            if a.get("ref") not in refs:
                out.append("/vulnerabilities/%d/affects/%d: unknown ref %r" % (i, j, a.get("ref")))
    return out


def sarif_rules(doc):
    out = []
    for r, run in enumerate(doc.get("runs", [])):
        rules = run.get("tool", {}).get("driver", {}).get("rules", [])
        ids = [x.get("id") for x in rules]
        if len(ids) != len(set(ids)):
            out.append("/runs/%d: duplicate rule ids" % r)
        for i, res in enumerate(run.get("results", [])):
            idx = res.get("ruleIndex")
            if res.get("ruleId") not in ids:
                out.append("/runs/%d/results/%d: ruleId %r is no rule" % (r, i, res.get("ruleId")))
            elif idx is not None and (idx >= len(ids) or ids[idx] != res.get("ruleId")):
                out.append("/runs/%d/results/%d: ruleIndex %r does not name %r" % (r, i, idx, res.get("ruleId")))
    return out


def vulns_rules(doc):
    out, n = [], len(doc.get("packages", []))
    for key in ("vulnerabilities", "suppressed"):
        for i, v in enumerate(doc.get(key, [])):
            if not 0 <= v.get("package", {}).get("index", -1) < n:
                out.append("/%s/%d: package index out of range" % (key, i))
    return out


IDSTRING = re.compile(r"^SPDXRef-[A-Za-z0-9.-]+$")


def spdx_rules(doc):
    out, ids = [], {"SPDXRef-DOCUMENT"}
    for kind in ("packages", "files", "snippets"):
        for i, el in enumerate(doc.get(kind, [])):
            sid = el.get("SPDXID", "")
            if not IDSTRING.match(sid):
                out.append("/%s/%d: SPDXID %r is not SPDXRef-[A-Za-z0-9.-]+" % (kind, i, sid))
            if sid in ids:
                out.append("/%s/%d: duplicate SPDXID %r" % (kind, i, sid))
            ids.add(sid)
    for i, r in enumerate(doc.get("relationships", [])):
        for k in ("spdxElementId", "relatedSpdxElement"):
            if r.get(k) not in ids and r.get(k) not in ("NONE", "NOASSERTION"):
                out.append("/relationships/%d: %s %r is no element" % (i, k, r.get(k)))
    defined = {x.get("licenseId") for x in doc.get("hasExtractedLicensingInfos", [])}
    for i, p in enumerate(doc.get("packages", [])):
        for k in ("licenseDeclared", "licenseConcluded"):
            for ref in re.findall(r"LicenseRef-[A-Za-z0-9.-]+", p.get(k, "")):
                if ref not in defined:
                    out.append("/packages/%d/%s: %s is not in hasExtractedLicensingInfos" % (i, k, ref))
    return out


def main(argv):
    if len(argv) != 3 or argv[1] not in ("cyclonedx", "spdx", "bosun", "vulns", "sarif"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    kind, path = argv[1], argv[2]
    try:
        doc = load(path)
        errors = schema_errors(kind, doc)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print("validate-schema: %s: %s" % (path, e), file=sys.stderr)
        return 2
    except Exception as e:  # a bug here must not read as "invalid"
        print("validate-schema: internal error: %r" % (e,), file=sys.stderr)
        return 2
    if kind == "cyclonedx":
        errors += cyclonedx_rules(doc)
    elif kind == "spdx":
        errors += spdx_rules(doc)
    elif kind == "sarif":
        errors += sarif_rules(doc)
    elif kind == "vulns":
        errors += vulns_rules(doc)
    for e in errors:
        print("%s: %s" % (path, e))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
