#!/bin/bash
# make-snapshot.sh [VULNDATA] — cuts the embedded advisory snapshot out of
# ../shared/vulndata: data/advisory-snapshot.tar.zst (built into the bosun
# binary, see src/vulndb/embedded.c) and data/PROVENANCE.md.
#
# Re-runnable and reproducible: the same input gives the same bytes (files
# sorted, owners zeroed, every file's mtime set to its dataset's upstream
# commit date, single-threaded zstd). Edit the DATASETS table to change the
# cut; `make` then re-embeds it.
set -euo pipefail
cd "$(dirname "$0")/.."
VD=${1:-${BOSUN_SHARED:-../shared}/vulndata}
[ -d "$VD" ] || { echo "make-snapshot: no vulndata at $VD" >&2; exit 1; }
OUT=data/advisory-snapshot.tar.zst
for tool in tar zstd sha256sum; do
	command -v "$tool" >/dev/null || { echo "make-snapshot: needs $tool" >&2; exit 1; }
done

# One line per dataset, TAB-separated:
#   dir in the snapshot | paths copied (relative to VULNDATA, space-separated;
#   SRC=DST renames) | upstream | commit | data date | license
# Dates are the upstream commit dates from vulndata/README.md (for the two
# samples read one file at a time: the newest advisory they hold).
DATASETS=$(cat <<'EOF'
debian/security-tracker-2023-04	debian/security-tracker-2023-04/data/DSA/list debian/security-tracker-2023-04/data/DLA/list debian/security-tracker-2023-04/data/config.json	salsa.debian.org/security-tracker-team/security-tracker (via GitHub CVEDB/security-tracker)	32127b7f220cd2d9fd9d0a5bb4affaa90a079ad9	2023-04-02	no license file; Debian security tracker data is public
debian/tracker-entries-sample	debian/tracker-entries-sample/CVE-list.sample debian/tracker-entries-sample/DSA-list.sample debian/tracker-entries-sample/PROVENANCE.tsv	aquasecurity/vuln-list-debian (20 tracker entries)	one commit per entry, see PROVENANCE.tsv	2024-07-01	as the tracker data (no license file)
debian/debian-security-support	debian/debian-security-support	Debian package debian-security-support 1:12+2026.06.30	n/a	2026-06-30	GPL-2.0-only (copyright)
alpine-secdb	alpine-secdb	alpinelinux/alpine-secdb	06f6e960194f46c2054522e1c6f90298a8c887e1	2020-06-08	no license file in the repository
cisa-kev	cisa-kev/known_exploited_vulnerabilities.json cisa-kev/LICENSE	cisagov/kev-data	eacf03ec6637cc7be6d3d4ed50785493da5126a2	2025-08-25	CC0-1.0 (LICENSE)
ghsa-sample	ghsa-sample	github/advisory-database (2 advisories)	one commit per file, see PROVENANCE.tsv	2023-07-10	CC-BY-4.0
nodejs-security-wg	nodejs-security-wg/LICENSE.md nodejs-security-wg/vuln	nodejs/security-wg	f1288d0d672396dcdc5c62b3cfcef46688097833	2026-04-08	MIT (LICENSE.md)
go-vulndb	go-vulndb/data/LICENSE go-vulndb/data/NOTICES go-vulndb/data/osv	golang/vulndb	a752ea54fd1b989d208a270aeef772f55a36b87a	2026-08-21	CC-BY-4.0 (data/LICENSE, data/NOTICES)
pypa-advisory-db	pypa-advisory-db/LICENSE pypa-advisory-db/vulns	pypa/advisory-database	3ccb612573e2511ab5cad7dafecd838605c80cda	2024-10-10	CC-BY-4.0 (LICENSE)
rustsec	rustsec/osv rustsec/native/LICENSE.txt=rustsec/LICENSE.txt rustsec/native/LICENSES=rustsec/LICENSES	rustsec/advisory-db (branch osv)	7fa931cb90251ad2affbddac32885f3ed29a63eb	2026-08-21	CC0-1.0; parts imported from GHSA CC-BY-4.0 (LICENSE.txt, LICENSES/)
almalinux-osv	almalinux-osv	AlmaLinux/osv-database	948f47aa6b88c2f76af1ae8e75cf3da9aeaf4a6c	2026-08-21	MIT (LICENSE)
rubysec	rubysec	rubysec/ruby-advisory-db	8cfcc07caea7a1931af181e1c98553e164060da1	2026-08-22	public domain, with an OSVDB caveat (LICENSE.txt)
friendsofphp	friendsofphp	FriendsOfPHP/security-advisories	73745a61e343b20f230f21a70b97ae77d65ae543	2026-08-06	Unlicense (LICENSE)
EOF
)

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE" "$STAGE.tar"' EXIT
SNAP_DATE=$(cut -f5 <<<"$DATASETS" | sort | tail -1)

copy() { # copy SRC DST (relative to VD and STAGE)
	local src=$1 dst=$2
	[ -e "$VD/$src" ] || { echo "make-snapshot: missing $VD/$src" >&2; exit 1; }
	mkdir -p "$STAGE/$(dirname "$dst")"
	cp -R --no-preserve=all "$VD/$src" "$STAGE/$dst"
}

while IFS=$'\t' read -r dir paths upstream commit date license; do
	for p in $paths; do
		case $p in
		*=*) copy "${p%%=*}" "${p#*=}" ;;
		*) copy "$p" "$p" ;;
		esac
	done
done <<<"$DATASETS"
# Every file and directory gets its dataset's date (the snapshot's for the
# directories between datasets), for importers that can only go by file
# times (Alpine's secdb carries no dates) and for a reproducible archive.
find "$STAGE" -exec touch -h -d "${SNAP_DATE}T00:00:00Z" {} +
while IFS=$'\t' read -r dir paths upstream commit date license; do
	find "$STAGE/$dir" -exec touch -h -d "${date}T00:00:00Z" {} +
done <<<"$DATASETS"

# The manifest bosun reads (src/vulndb/embedded.c): the snapshot's date and,
# per dataset, where it came from.
{
	printf '# bosun advisory snapshot\tdate\t%s\n' "$SNAP_DATE"
	printf '# dir\tupstream\tcommit\tdate\tlicense\n'
	while IFS=$'\t' read -r dir paths upstream commit date license; do
		printf '%s\t%s\t%s\t%s\t%s\n' "$dir" "$upstream" "$commit" "$date" "$license"
	done <<<"$DATASETS"
} >"$STAGE/PROVENANCE.tsv"

# The human-readable provenance, also kept uncompressed in data/.
{
	echo "# Provenance of the embedded advisory snapshot"
	echo
	echo "\`data/advisory-snapshot.tar.zst\` (snapshot of $SNAP_DATE) is a cut of the real advisory data in"
	echo "\`../shared/vulndata\`, made by \`scripts/make-snapshot.sh\`. Every file is a byte-for-byte copy of"
	echo "the upstream file; each dataset keeps the upstream license file where the upstream has one (inside"
	echo "the archive, at the path given). Files carry their dataset's date as their modification time."
	echo
	echo "| dataset (dir in the archive) | upstream | commit | data date | license | files |"
	echo "|---|---|---|---|---|---|"
	while IFS=$'\t' read -r dir paths upstream commit date license; do
		n=$(find "$STAGE/$dir" -type f | wc -l)
		printf '| `%s` | %s | %s | %s | %s | %s |\n' "$dir" "$upstream" "$commit" "$date" "$license" "$n"
	done <<<"$DATASETS"
	echo
	echo "Not included: the Ubuntu CVE tracker copy of 2020 (no focal or later, no license file; 39 MB) and"
	echo "RustSec's native Markdown (the same advisories as its OSV branch). Wolfi's advisories are not in"
	echo "vulndata at all (their license forbids redistribution)."
	echo
	echo "Gaps this snapshot inherits from vulndata (see its README): no full Debian \`data/CVE/list\` (20"
	echo "sample entries instead, so bookworm status beyond DSA/DLA fixes is thin), no Alpine secdb after"
	echo "v3.11, no Ubuntu OSV, two GHSA advisories only. \`bosun db update\` fetches all of these from"
	echo "upstream when online."
} >"$STAGE/PROVENANCE.md"
touch -d "${SNAP_DATE}T00:00:00Z" "$STAGE/PROVENANCE.tsv" "$STAGE/PROVENANCE.md"

mkdir -p data
top=$(cd "$STAGE" && ls -A | sort)
# shellcheck disable=SC2086
tar -C "$STAGE" --sort=name --owner=0 --group=0 --numeric-owner --mode='u=rwX,go=rX' --format=gnu \
	-cf "$STAGE.tar" $top
# From a file, so that the frame header records the size (bosun checks the
# room it needs before unpacking).
zstd -19 -T1 -q -f "$STAGE.tar" -o "$OUT.tmp"
rm -f "$STAGE.tar"
mv "$OUT.tmp" "$OUT"
cp "$STAGE/PROVENANCE.md" data/PROVENANCE.md

files=$(find "$STAGE" -type f | wc -l)
raw=$(du -sb "$STAGE" | cut -f1)
echo "make-snapshot: $OUT: snapshot of $SNAP_DATE, $files files, $((raw / 1000000)) MB of data," \
	"$(($(stat -c %s "$OUT") / 1000)) kB compressed, sha256 $(sha256sum "$OUT" | cut -c1-16)..."
