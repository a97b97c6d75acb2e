#!/usr/bin/env python3
"""Writes the committed seed inputs under fuzz/seeds/<target>/ from the unit tests' vectors
(protocol.md §8 item 12 and the captured Wine QUERY_POINTS reply of toolchain.md §5.4).
Re-run after adding vectors; the files are deterministic."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def u16s(text):
    return text.encode("utf-16-le")


def write(target, name, data):
    path = os.path.join(HERE, "seeds", target)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, name), "wb") as f:
        f.write(data)


DEVICE = u16s("\\Device\\XtsVolume1")      # 36 bytes
LINK = u16s("\\DosDevices\\Z:")            # 28 bytes

# §8.12: CREATE_POINT input, 72 bytes.
create_point = struct.pack("<4H", 8, len(LINK), 8 + len(LINK), len(DEVICE)) + LINK + DEVICE
assert len(create_point) == 72
# §8.12: VOLUME_ARRIVAL_NOTIFICATION input (MOUNTMGR_TARGET_NAME), 38 bytes.
target_name = struct.pack("<H", len(DEVICE)) + DEVICE
# §8.12: QUERY/DELETE_POINTS input by device name, 60 bytes.
filter_by_device = bytes(16) + struct.pack("<IHH", 24, len(DEVICE), 0) + DEVICE
assert len(filter_by_device) == 60
# §8.12: QUERY_DEVICE_NAME replies.
name_probe = struct.pack("<H", len(DEVICE)) + bytes(2)
name_full = struct.pack("<H", len(DEVICE)) + DEVICE
suggested = struct.pack("<BBH", 0, 0, len(LINK)) + LINK
volume_name = u16s("\\??\\Volume{00000000-0000-0000-0000-000000000043}")

for name, data in [("create-point-72", create_point), ("target-name-38", target_name),
                   ("filter-device-60", filter_by_device), ("name-probe", name_probe),
                   ("name-full", name_full), ("suggested-link", suggested),
                   ("link-z", LINK), ("volume-name", volume_name)]:
    write("mountdev_layouts", name, data)
print("seeds written")
