#!/bin/sh
# `make demo`: real scans with nothing but the built binary, offline. The
# first `bosun db info` builds the vulnerability database from the advisory
# snapshot embedded in bosun when none exists yet (at $BOSUN_DB, else
# ~/.cache/bosun/db.sqlite), and says how old its data is. Then `bosun image`
# finds the known vulnerabilities of a test image (../shared/images/build.sh)
# or, without the test images, of this machine's own root filesystem; and
# the inventory commands show what is installed.
set -eu
BOSUN=${1:-build/bosun}
IMAGES=${BOSUN_IMAGES:-/var/tmp/bosun-images}
echo "\$ bosun db info"
"$BOSUN" db info
echo
if [ -f "$IMAGES/docker/debian-min.tar" ]; then
	TARGET=$IMAGES/docker/debian-min.tar
else
	TARGET=rootfs:/
fi
echo "\$ bosun image $TARGET   (first 30 lines)"
"$BOSUN" image -q "$TARGET" | head -30
if [ -f "$IMAGES/docker/java-go.tar" ]; then
	echo
	echo "\$ bosun image --scanners secret,malware,config $IMAGES/docker/java-go.tar   (first 25 lines)"
	"$BOSUN" image -q --scanners secret,malware,config "$IMAGES/docker/java-go.tar" | head -25
fi
echo
echo "\$ bosun sbom rootfs:/ --format table   (first 15 lines)"
"$BOSUN" sbom -q --format table rootfs:/ | head -15
if [ -f "$IMAGES/docker/debian-layers.tar" ]; then
	echo
	echo "\$ bosun sbom $IMAGES/docker/debian-layers.tar --format table   (first 15 lines)"
	"$BOSUN" sbom -q --format table "$IMAGES/docker/debian-layers.tar" | head -15
fi
