#!/bin/bash
# Go and Rust binaries, go.mod and Cargo.lock:
#  * the java-go image, docker-archive and OCI: every Go binary's modules
#    against truth/java-go/gobins.txt, nothing more;
#  * matching against a database built from ../shared/vulndata/go-vulndb;
#  * real Go binaries built here (when `go` is installed) for ELF 32/64-bit
#    in both byte orders, PIE linked by the system linker, Mach-O and PE,
#    against `go version -m`;
#  * cargo-auditable binaries (tests/data/rust-auditable) in a root
#    filesystem; go.mod, go.sum and Cargo.lock in an fs: project.
. ./lib.sh
SHARED=${BOSUN_SHARED:-$(cd ../../.. && pwd)/shared}
IM=${BOSUN_IMAGES:-/var/tmp/bosun-images}
DATA=$(cd ../data && pwd)
need_image docker/java-go.tar

# "foundIn name@version" of the golang packages of a JSON SBOM, sorted.
go_pkgs() { jq -r '.packages[] | select(.type == "golang") | "\(.foundIn) \(.name)@\(.version)"' "$1" | sort; }

# ---- java-go against gobins.txt --------------------------------------------

# gobins.txt: path go_version main_package main_module deps(comma) dpkg_owner.
# Expected: stdlib "v" + go version; the main module only with a version
# ("(devel)" has none); every dep as listed.
truth=$IM/truth/java-go/gobins.txt
awk -F'\t' '{
	p = substr($1, 2)
	sub(/^go/, "", $2); print p " stdlib@v" $2
	if ($4 != "-" && $4 !~ /@\(devel\)$/) print p " " $4
	if ($5 != "-") { n = split($5, d, ","); for (i = 1; i <= n; i++) print p " " d[i] }
}' "$truth" | sort >"$TMP/go.want"
check "gobins.txt lists 5 binaries" [ "$(wc -l <"$truth")" = 5 ]
for form in docker/java-go.tar oci/java-go; do
	"$BOSUN" sbom -q -f json "$IM/$form" >"$TMP/jg.json" 2>"$TMP/stderr" || notok "sbom $form: $(head -c 300 "$TMP/stderr")"
	go_pkgs "$TMP/jg.json" >"$TMP/go.got"
	if diff -u "$TMP/go.want" "$TMP/go.got" >"$TMP/go.diff"; then
		ok "$form: Go modules of all 5 binaries as gobins.txt says ($(wc -l <"$TMP/go.got") packages)"
	else
		notok "$form: Go modules differ from gobins.txt: $(head -c 600 "$TMP/go.diff")"
	fi
	check "$form: bosun-gotest's main module (devel) is left out" \
		[ "$(jq '[.packages[] | select(.name == "example.com/bosun/gotest")] | length' "$TMP/jg.json")" = 0 ]
	check "$form: Go packages carry the layer of their binary (Debian's in 1, bosun-gotest in 2)" \
		[ "$(jq -r '[.packages[] | select(.type == "golang") | "\(.foundIn)=\(.layer.index)"] | unique | join(" ")' "$TMP/jg.json")" \
		= "app/bin/bosun-gotest=2 usr/bin/age-keygen=1 usr/bin/age=1 usr/bin/fzf=1 usr/bin/gron=1" ]
	check "$form: no Go warnings" [ "$(jq '[.warnings[] | select(test("go binary|cargo"))] | length' "$TMP/jg.json")" = 0 ]
	# Debian's binaries belong to their dpkg packages (age, fzf, gron);
	# shown when the writer carries the owner.
	if jq -e '.packages[0] | has("owner")' "$TMP/jg.json" >/dev/null; then
		check "$form: owners of Debian's Go binaries" [ "$(jq -r '[.packages[] | select(.type == "golang" and (.foundIn | startswith("usr/"))) | "\(.foundIn)=\(.owner)"] | unique | join(" ")' "$TMP/jg.json")" \
			= "usr/bin/age-keygen=age usr/bin/age=age usr/bin/fzf=fzf usr/bin/gron=gron" ]
	else
		ok "$form: owner # SKIP the JSON writer does not show package owners yet"
	fi
done

# ---- matching with go-vulndb -------------------------------------------------

# Expected, by hand from ../shared/vulndata/go-vulndb/data/osv:
#  GO-2020-0017 (CVE-2020-26160): github.com/dgrijalva/jwt-go introduced
#    0.0.0-20150717181359-44718f8a89b0, no fix -> v3.2.0+incompatible affected.
#  golang.org/x/net v0.7.0: GO-2023-1988 (CVE-2023-3978, fixed 0.13.0),
#    GO-2023-2102 (CVE-2023-39325, fixed 0.17.0), GO-2024-2687
#    (CVE-2023-45288, fixed 0.23.0), GO-2024-3333 (CVE-2024-45338, fixed
#    0.33.0); not GO-2023-1571 (CVE-2022-41723: x/net fixed 0.7.0).
#  stdlib v1.19.8: GO-2023-1751 (CVE-2023-24539, fixed 1.19.9), GO-2023-1840
#    (CVE-2023-29403, fixed 1.19.10), GO-2023-1878 (CVE-2023-29406, fixed
#    1.19.11); not GO-2023-1702 (CVE-2023-24537, fixed 1.19.8) nor
#    GO-2023-1571 (stdlib fixed 1.19.6).
GODB=$TMP/go.db
"$BOSUN" db build -q --from "$SHARED/vulndata/go-vulndb" --db "$GODB" 2>"$TMP/stderr" ||
	notok "db build go-vulndb: $(head -c 300 "$TMP/stderr")"
"$BOSUN" image -q --db "$GODB" -f json "$IM/docker/java-go.tar" >"$TMP/v.json" 2>"$TMP/stderr"
# "package@version id aliases..." per finding
jq -r '.vulnerabilities[] | "\(.package.name)@\(.package.version) \(.id) \((.aliases // []) | join(" "))"' "$TMP/v.json" |
	sort -u >"$TMP/v.txt"
has() { grep -q "^$1 .*\b$2\b" "$TMP/v.txt"; }
hasnt() { ! has "$@"; }
check "jwt-go v3.2.0+incompatible: CVE-2020-26160 / GO-2020-0017" \
	has 'github.com/dgrijalva/jwt-go@v3.2.0+incompatible' GO-2020-0017
for id in GO-2023-1988 GO-2023-2102 GO-2024-2687 GO-2024-3333; do
	check "golang.org/x/net v0.7.0: $id" has 'golang.org/x/net@v0.7.0' $id
done
check "golang.org/x/net v0.7.0: not GO-2023-1571 (fixed in 0.7.0)" hasnt 'golang.org/x/net@v0.7.0' GO-2023-1571
for id in GO-2023-1751 GO-2023-1840 GO-2023-1878; do
	check "stdlib v1.19.8: $id" has 'stdlib@v1.19.8' $id
done
check "stdlib v1.19.8: not GO-2023-1702 (fixed in 1.19.8)" hasnt 'stdlib@v1.19.8' GO-2023-1702
check "stdlib v1.19.8: not GO-2023-1571 (fixed in 1.19.6)" hasnt 'stdlib@v1.19.8' GO-2023-1571
check "CVE ids are reported with their GO- alias" grep -q '^github.com/dgrijalva/jwt-go@v3.2.0+incompatible CVE-2020-26160 ' "$TMP/v.txt"

# ---- real Go binaries of every format ------------------------------------------

if command -v go >/dev/null && [ -z "${BOSUN_E2E_NO_GO:-}" ]; then
	M=$TMP/gomod
	mkdir -p "$M/vendor/example.com/dep" "$M/vendor/example.com/old" "$M/out"
	printf 'module example.com/e2e\n\ngo 1.19\n\nrequire (\n\texample.com/dep v1.2.3\n\texample.com/old v1.0.0\n)\n\nreplace example.com/old v1.0.0 => example.com/new v1.5.0\n' >"$M/go.mod"
	printf '# example.com/dep v1.2.3\n## explicit\nexample.com/dep\n# example.com/old v1.0.0 => example.com/new v1.5.0\n## explicit\nexample.com/old\n' >"$M/vendor/modules.txt"
	echo 'package dep; func Hello() string { return "dep" }' >"$M/vendor/example.com/dep/dep.go"
	echo 'package old; func Hello() string { return "old" }' >"$M/vendor/example.com/old/old.go"
	printf 'package main\n\nimport (\n\t"fmt"\n\t"example.com/dep"\n\t"example.com/old"\n)\n\nvar version = "dev"\n\nfunc main() { fmt.Println(dep.Hello(), old.Hello(), version) }\n' >"$M/main.go"
	# vendored: nothing is fetched; Go's build cache (GOCACHE) is kept
	export GOFLAGS=-mod=vendor GOPROXY=off GOPATH=$TMP/gopath
	[ -n "${HOME:-}" ] || [ -n "${GOCACHE:-}" ] || export GOCACHE=$TMP/gocache
	built=0
	for t in linux/amd64 linux/386 linux/s390x linux/mips darwin/arm64 windows/amd64; do
		(cd "$M" && GOOS=${t%/*} GOARCH=${t#*/} CGO_ENABLED=0 go build -trimpath -o "out/${t/\//-}" .) 2>>"$TMP/go.err" &&
			built=$((built + 1))
	done
	(cd "$M" && CGO_ENABLED=0 go build -ldflags "-s -X main.version=v2.1.0" -o out/ldflags .) 2>>"$TMP/go.err" && built=$((built + 1))
	(cd "$M" && CGO_ENABLED=1 go build -buildmode=pie -ldflags=-linkmode=external -o out/pie-external .) 2>>"$TMP/go.err" &&
		built=$((built + 1))
	check "built 8 Go binaries (ELF 64/32-bit, both byte orders, PIE by the system linker, Mach-O, PE)" [ $built = 8 ]
	# Expectations from `go version -m`: stdlib, deps (a replacement in
	# place of what it replaces), the main module when it has a version;
	# the -X stamped one by hand.
	for f in "$M"/out/*; do
		b=$(basename "$f")
		go version -m "$f" | awk -v b="$b" -F'\t' '
			NR == 1 { v = $0; sub(/.*: go/, "", v); print b " stdlib@v" v }
			$2 == "dep" { if (d) print b " " d; d = $3 "@" $4 }
			$2 == "=>" { d = $3 "@" $4 }
			$2 == "mod" && $4 != "(devel)" { print b " " $3 "@" $4 }
			END { if (d) print b " " d }'
	done >"$TMP/gb.want"
	echo "ldflags example.com/e2e@v2.1.0" >>"$TMP/gb.want"
	sort -o "$TMP/gb.want" "$TMP/gb.want"
	"$BOSUN" sbom -q -f json "rootfs:$M/out" >"$TMP/gb.json"
	go_pkgs "$TMP/gb.json" >"$TMP/gb.got"
	if diff -u "$TMP/gb.want" "$TMP/gb.got" >"$TMP/gb.diff"; then ok "Go binaries of every format agree with go version -m"; else
		notok "Go binaries differ from go version -m: $(head -c 800 "$TMP/gb.diff")"; fi
	unset GOFLAGS GOPROXY
else
	ok "real Go binaries # SKIP no go toolchain"
fi

# ---- cargo-auditable -------------------------------------------------------------

R=$TMP/rootfs-rust
mkdir -p "$R/usr/bin" "$R/srv"
cp "$DATA/rust-auditable/nostd-lld" "$DATA/rust-auditable/nostd-bfd" "$R/usr/bin/"
cp "$DATA/rust-auditable/nostd-lld" "$R/srv/not-executable"
chmod 644 "$R/srv/not-executable"
printf '[[package]]\nname = "ignored"\nversion = "1.0.0"\n' >"$R/srv/Cargo.lock"
"$BOSUN" sbom -q -f json "rootfs:$R" >"$TMP/r.json"
jq -r '.packages[] | select(.type == "cargo") | "\(.foundIn) \(.name)@\(.version)"' "$TMP/r.json" | sort >"$TMP/r.got"
for b in nostd-bfd nostd-lld; do
	for p in aho-corasick@0.7.20 auditable-demo@0.1.0 memchr@2.5.0 regex-syntax@0.6.29 regex@1.5.4 smallvec@1.6.0 time@0.1.43; do
		echo "usr/bin/$b $p"
	done
done | sort >"$TMP/r.want"
if diff -u "$TMP/r.want" "$TMP/r.got" >"$TMP/r.diff"; then
	ok "cargo-auditable: 7 runtime crates from each binary (cc, a build dependency, left out); Cargo.lock ignored outside fs:"
else
	notok "cargo-auditable: $(head -c 600 "$TMP/r.diff")"
fi
check "cargo crates have purls" [ "$(jq -r '[.packages[] | select(.type == "cargo") | .purl] | .[0]' "$TMP/r.json")" = "pkg:cargo/aho-corasick@0.7.20" ]

# ---- fs: projects ------------------------------------------------------------------

P=$TMP/project
mkdir -p "$P/svc" "$P/crate"
printf 'module example.com/svc\n\ngo 1.21\n\ntoolchain go1.21.5\n\nrequire (\n\tgithub.com/dgrijalva/jwt-go v3.2.0+incompatible\n\tgolang.org/x/net v0.7.0 // indirect\n\tgithub.com/x/replaced v1.0.0\n)\n\nreplace github.com/x/replaced => github.com/y/fork v1.0.1\n' >"$P/svc/go.mod"
printf 'github.com/dgrijalva/jwt-go v3.2.0+incompatible h1:x=\n' >"$P/svc/go.sum"
cp "$SHARED/testdata/pkgdb/cargo-lock/trivy-cargo_v3/Cargo.lock" "$P/crate/"
"$BOSUN" sbom -q -f json "fs:$P" >"$TMP/p.json"
jq -r '.packages[] | select(.type == "golang" or .type == "cargo") | "\(.foundIn) \(.type) \(.name)@\(.version)"' "$TMP/p.json" | sort >"$TMP/p.got"
cat >"$TMP/p.want" <<'EOF'
crate/Cargo.lock cargo aho-corasick@0.7.20
crate/Cargo.lock cargo app@0.1.0
crate/Cargo.lock cargo libc@0.2.140
crate/Cargo.lock cargo memchr@1.0.2
crate/Cargo.lock cargo memchr@2.5.0
crate/Cargo.lock cargo regex-syntax@0.5.6
crate/Cargo.lock cargo regex-syntax@0.6.29
crate/Cargo.lock cargo regex@1.7.3
crate/Cargo.lock cargo ucd-util@0.1.10
svc/go.mod golang github.com/dgrijalva/jwt-go@v3.2.0+incompatible
svc/go.mod golang github.com/y/fork@v1.0.1
svc/go.mod golang golang.org/x/net@v0.7.0
svc/go.mod golang stdlib@v1.21.5
EOF
if diff -u "$TMP/p.want" "$TMP/p.got" >"$TMP/p.diff"; then ok "fs: go.mod (replace, toolchain) and Cargo.lock v3"; else
	notok "fs: project: $(head -c 600 "$TMP/p.diff")"; fi
"$BOSUN" fs -q --db "$GODB" -f json "$P" >"$TMP/pv.json" 2>/dev/null
check "fs: go.mod's jwt-go matched (GO-2020-0017)" \
	jq -e '[.vulnerabilities[] | select(.package.name == "github.com/dgrijalva/jwt-go" and ((.aliases // []) + [.id] | index("GO-2020-0017")))] | length > 0' "$TMP/pv.json" >/dev/null
finish
