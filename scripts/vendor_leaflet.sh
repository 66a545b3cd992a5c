#!/usr/bin/env bash
# Refresh the copies of Leaflet and leaflet.markercluster that the Streamlit maps load instead of a CDN.
# Downloads the packages from the npm registry with `npm pack`, checks them against the integrity recorded
# below, and copies the built files and their licences into apps/streamlit/static/vendor/.
#   scripts/vendor_leaflet.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=apps/streamlit/static/vendor

declare -A INTEGRITY=(
  [leaflet@1.9.4]="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="
  [leaflet.markercluster@1.5.3]="sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA=="
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch NAME@VERSION: unpack the package into $work/NAME
  local spec=$1 name=${1%@*}
  local tarball
  tarball=$(cd "$work" && npm pack --silent "$spec")
  local actual
  actual="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
  if [ "$actual" != "${INTEGRITY[$spec]}" ]; then
    echo "integrity mismatch for $spec: $actual" >&2
    exit 1
  fi
  mkdir -p "$work/$name"
  tar -xzf "$work/$tarball" -C "$work/$name" --strip-components=1
}

fetch leaflet@1.9.4
rm -rf "$VENDOR/leaflet-1.9.4"
mkdir -p "$VENDOR/leaflet-1.9.4"
cp "$work/leaflet/dist/leaflet.js" "$work/leaflet/dist/leaflet.css" "$work/leaflet/LICENSE" "$VENDOR/leaflet-1.9.4/"
cp -r "$work/leaflet/dist/images" "$VENDOR/leaflet-1.9.4/"

fetch leaflet.markercluster@1.5.3
target="$VENDOR/leaflet.markercluster-1.5.3"
rm -rf "$target"
mkdir -p "$target"
cp "$work/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$work/leaflet.markercluster/dist/MarkerCluster.css" \
   "$work/leaflet.markercluster/dist/MarkerCluster.Default.css" \
   "$work/leaflet.markercluster/MIT-LICENCE.txt" "$target/"
chmod 644 "$target"/*

echo "Vendored into $VENDOR:"
find "$VENDOR" -type f | sort
