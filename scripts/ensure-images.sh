#!/bin/sh
# Builds the test images the end-to-end tests scan (../shared/images/build.sh)
# when they are not there yet: about 3 minutes as root, once; cached in
# $BOSUN_IMAGES (default /var/tmp/bosun-images) afterwards.
set -eu
SHARED=${1:?usage: ensure-images.sh SHARED_DIR IMAGES_DIR}
IMAGES=${2:?usage: ensure-images.sh SHARED_DIR IMAGES_DIR}
WANT="debian-min debian-layers node-app java-go"
missing=""
for i in $WANT; do
	[ -f "$IMAGES/truth/$i/summary.json" ] || missing="$missing $i"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "test images missing in $IMAGES:$missing; build them as root: $SHARED/images/build.sh $IMAGES" >&2
	exit 1
fi
echo "building test images into $IMAGES (about 3 minutes, once):$missing" >&2
ONLY="$WANT" "$SHARED/images/build.sh" "$IMAGES" > "$IMAGES.build.log" 2>&1 || {
	tail -30 "$IMAGES.build.log" >&2
	exit 1
}
