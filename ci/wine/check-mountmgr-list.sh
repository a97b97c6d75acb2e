#!/usr/bin/env bash
# Checks the --machine output of list_mount_points against the drive letters Wine has.
#
#   ci/wine/check-mountmgr-list.sh OUTPUT "C Z "
#
# OUTPUT holds the example's tab-separated lines (SIZE, CALLS, PROBE, POINT, RESOLVE, DEVICE);
# the second argument lists the prefix's drive letters, sorted, each followed by a space (what
# run-mountmgr-list.sh reads from $WINEPREFIX/dosdevices). Checks:
#   - the prefix has exactly the letters C and Z, and the listing exactly the prefix's letters;
#   - every drive letter resolves (QUERY_POINTS by that link) to the device of exactly one volume
#     GUID name, and every volume GUID name to a device with exactly one drive letter;
#   - every point's own resolution agrees with the full listing;
#   - QUERY_POINTS by each device returns exactly the points listed for it;
#   - the listing took two requests (a 32-byte probe, then the retry with Size), and a 56-byte
#     fixed scratch was told it needs 24 + SIZE bytes.
# Prints what is wrong and exits 1 on any mismatch.
set -euo pipefail

out="$1"
expected_letters="$2"

if [ "$expected_letters" != "C Z " ]; then
    echo "the prefix's dosdevices have letters '$expected_letters', expected 'C Z '"
    exit 1
fi

listed_letters="$(awk -F'\t' '$1=="POINT" && $2 ~ /^\\DosDevices\\[A-Z]:$/ {print substr($2, 13, 1)}' "$out" | sort | tr '\n' ' ')"
if [ "$listed_letters" != "$expected_letters" ]; then
    echo "listed letters '$listed_letters' differ from Wine's '$expected_letters'"
    exit 1
fi

awk -F'\t' '
    $1 == "POINT"   { points++; listed[$2] = $3 }
    $1 == "RESOLVE" { resolved[$2] = $3 }
    $1 == "DEVICE"  { device_count[$2] = $3 }
    $1 == "SIZE"    { size = $2 }
    $1 == "CALLS"   { calls = $2 }
    $1 == "PROBE"   { probe = $2 }
    END {
        bad = 0
        if (points == 0) { print "no POINT lines"; exit 1 }
        for (link in listed) {
            if (!(link in resolved)) { print "no RESOLVE line for " link; bad = 1; continue }
            if (resolved[link] != listed[link]) { print link ": listed on " listed[link] ", resolves to " resolved[link]; bad = 1 }
            per_device[listed[link]]++
        }
        for (link in resolved) {
            if (link ~ /^\\DosDevices\\[A-Z]:$/) {
                n = 0
                for (other in resolved) if (other ~ /^\\\?\?\\Volume\{/ && resolved[other] == resolved[link]) n++
                if (n != 1) { print link " (" resolved[link] ") has " n " volume GUID names, expected 1"; bad = 1 }
                letters++
            }
            if (link ~ /^\\\?\?\\Volume\{[0-9a-fA-F-]+\}$/) {
                n = 0
                for (other in resolved) if (other ~ /^\\DosDevices\\[A-Z]:$/ && resolved[other] == resolved[link]) n++
                if (n != 1) { print link " (" resolved[link] ") has " n " drive letters, expected 1"; bad = 1 }
                volumes++
            }
        }
        for (device in per_device) {
            if (device_count[device] != per_device[device]) { print "QUERY_POINTS by " device " gave " device_count[device] + 0 " points, the listing has " per_device[device]; bad = 1 }
        }
        if (letters != 2 || volumes != 2) { print "expected 2 letters and 2 volume GUID names, got " letters + 0 " and " volumes + 0; bad = 1 }
        if (calls != 2) { print "expected the listing to take 2 requests (overflow, then retry), took " calls; bad = 1 }
        if (probe != size + 24) { print "fixed-scratch probe asked for " probe ", expected 24 + SIZE = " size + 24; bad = 1 }
        exit bad
    }' "$out"
