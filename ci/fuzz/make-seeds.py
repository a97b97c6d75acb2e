#!/usr/bin/env python3
"""Writes the committed seed inputs under fuzz/seeds/<target>/ from the unit tests' vectors
(protocol.md §8 item 12 and the captured Wine QUERY_POINTS reply of toolchain.md §5.4).
Re-run after adding vectors; the files are deterministic."""
import os
import struct

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "fuzz")


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

# A LUKS1 header as cryptsetup lays it out for aes-xts-plain64 / sha256 / 512-bit keys (the
# layout the core's header tests use): slot 0 active, slots 1-7 disabled.
def luks1_header():
    h = b"LUKS\xba\xbe" + struct.pack(">H", 1)
    h += b"aes".ljust(32, b"\0") + b"xts-plain64".ljust(32, b"\0") + b"sha256".ljust(32, b"\0")
    h += struct.pack(">II", 4096, 64) + bytes(range(20)) + bytes(range(32, 64)) + struct.pack(">I", 1000)
    h += b"5c4a6b1e-2f3d-4e8a-9b7c-0d1e2f3a4b5c".ljust(40, b"\0")
    for slot in range(8):
        active = 0x00AC71F3 if slot == 0 else 0x0000DEAD
        h += struct.pack(">II", active, 1000 if slot == 0 else 0) + bytes(32) + struct.pack(">II", 8 + slot * 504, 4000)
    assert len(h) == 592
    return h

write("luks_header", "luks1-aes-xts-sha256", luks1_header() + bytes(4096 - 592))

# A MOUNT request (control protocol v1): \??\C:\v.luks at Z:, 512-bit key, payload 4096 sectors.
path = u16s("\\??\\C:\\v.luks")
mount = b"CDMR" + struct.pack("<HHBBHHHQQ", 1, 0, ord("Z"), 1, 64, len(path), 0, 4096, 8192)
mount += bytes([9] * 16) + bytes((i * 7 + 1) % 256 for i in range(64)) + path
assert len(mount) == 112 + len(path)
write("control_protocol", "mount-z", bytes([0]) + mount)
write("control_protocol", "unmount-z", bytes([1]) + b"CDUR" + struct.pack("<HHBBHI", 1, 0, 1, ord("Z"), 0, 0))
# MOUNTMGR_MOUNT_POINTS replies in ReactOS's shapes (protocol.md Errata 1), for mountmgr_replies.
def points_record(fields):
    return b"".join(struct.pack("<IHH", offset, length, 0) for offset, length in fields)


def reactos_shared_reply():
    """QueryPointsFromMemory: Size = 32 + 24 per record + data (data 24 bytes after the last
    record); per device its unique ID and device name once, then its links; the second record
    is offline (no unique ID); the 3-byte ID makes every later offset odd."""
    id_a, dev_a = b"odd", u16s("\\Device\\VolA")
    z, vol = LINK, volume_name
    id_b, dev_b, y = b"idb!", u16s("\\Device\\VolB"), u16s("\\DosDevices\\Y:")
    base = 32 + 24 * 3
    id_a_at = base
    dev_a_at = id_a_at + len(id_a)
    z_at = dev_a_at + len(dev_a)
    vol_at = z_at + len(z)
    id_b_at = vol_at + len(vol)
    dev_b_at = id_b_at + len(id_b)
    y_at = dev_b_at + len(dev_b)
    size = y_at + len(y)
    reply = struct.pack("<II", size, 3)
    reply += points_record([(z_at, len(z)), (id_a_at, len(id_a)), (dev_a_at, len(dev_a))])
    reply += points_record([(vol_at, len(vol)), (0, 0), (dev_a_at, len(dev_a))])
    reply += points_record([(y_at, len(y)), (id_b_at, len(id_b)), (dev_b_at, len(dev_b))])
    reply = reply.ljust(base, b"\0") + id_a + dev_a + z + vol + id_b + dev_b + y
    assert len(reply) == size
    return reply


def reactos_one_link_reply():
    """QueryPointsFromSymbolicLinkName: the link at 32, then the unique ID, then the device name."""
    uid = b"qqq"
    size = 32 + len(LINK) + len(uid) + len(DEVICE)
    reply = struct.pack("<II", size, 1)
    reply += points_record([(32, len(LINK)), (32 + len(LINK), len(uid)), (32 + len(LINK) + len(uid), len(DEVICE))])
    return reply + LINK + uid + DEVICE


write("mountmgr_replies", "reactos-shared-offsets", reactos_shared_reply())
write("mountmgr_replies", "reactos-one-link", reactos_one_link_reply())
print("seeds written")
