#!/bin/sh
# `make demo`: a real scan with nothing but the built binary. It inventories
# this machine's own root filesystem; when the test images have been built
# (../shared/images/build.sh), it also scans one of them.
set -eu
BOSUN=${1:-build/bosun}
IMAGES=${BOSUN_IMAGES:-/var/tmp/bosun-images}
echo "\$ bosun rootfs / --format table   (first 25 lines)"
"$BOSUN" rootfs -q --format table / | head -25
if [ -f "$IMAGES/docker/debian-layers.tar" ]; then
	echo
	echo "\$ bosun sbom $IMAGES/docker/debian-layers.tar --format table   (first 25 lines)"
	"$BOSUN" sbom -q --format table "$IMAGES/docker/debian-layers.tar" | head -25
fi
