//! Volume I/O tests: tweak = sector number from the payload start, bounds, key checks, and a
//! cross-check of the on-device ciphertext with xts-mode.

use super::*;
use crate::blockdev::MemDevice;
use crate::xts::XtsKeySize;
use aes::Aes256;
use cipher::KeyInit;

fn params(payload_offset: u64) -> VolumeParams {
    VolumeParams {
        cipher: CipherSpec::AesXtsPlain64 {
            key_size: XtsKeySize::Bits512,
        },
        payload_offset,
        uuid: Uuid::parse(b"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0").unwrap(),
    }
}

fn key() -> MasterKey {
    MasterKey::from_slice(&(0u8..64).map(|b| b.wrapping_mul(37)).collect::<Vec<_>>()).unwrap()
}

#[test]
fn ciphertext_on_device_matches_xts_mode_with_plain64_tweaks() {
    let mut vol = Volume::from_params(MemDevice::new(300), &params(40), &key()).unwrap();
    assert_eq!(vol.sector_count(), 260);
    let data: Vec<u8> = (0..200 * 512).map(|i| (i * 31 % 251) as u8).collect();
    vol.write_sectors(17, &data).unwrap(); // crosses the 128-sector write chunks
    let dev = vol.device().as_bytes().to_vec();
    let k = key();
    let (k1, k2) = k.as_bytes().split_at(32);
    let reference = xts_mode::Xts128::new(Aes256::new_from_slice(k1).unwrap(), Aes256::new_from_slice(k2).unwrap());
    let mut expected = data.clone();
    reference.encrypt_area(&mut expected, 512, 17, xts_mode::get_tweak_default);
    assert_eq!(&dev[(40 + 17) * 512..(40 + 17 + 200) * 512], expected.as_slice());
    // Everything else untouched.
    assert!(dev[..(40 + 17) * 512].iter().all(|&b| b == 0));
    assert!(dev[(40 + 217) * 512..].iter().all(|&b| b == 0));

    let mut back = vec![0u8; data.len()];
    vol.read_sectors(17, &mut back).unwrap();
    assert_eq!(back, data);
    let mut one = [0u8; 512];
    vol.read_sectors(17 + 150, &mut one).unwrap();
    assert_eq!(&one[..], &data[150 * 512..151 * 512]);
}

#[test]
fn requests_outside_the_volume_do_nothing() {
    let mut vol = Volume::from_params(MemDevice::new(20), &params(4), &key()).unwrap();
    let mut buf = vec![0xEEu8; 1024];
    assert_eq!(
        vol.read_sectors(15, &mut buf),
        Err(VolumeError::OutOfRange {
            lba: 15,
            sectors: 2,
            capacity: 16
        })
    );
    assert_eq!(buf, vec![0xEE; 1024]);
    assert_eq!(
        vol.write_sectors(u64::MAX, &buf),
        Err(VolumeError::OutOfRange {
            lba: u64::MAX,
            sectors: 2,
            capacity: 16
        })
    );
    assert_eq!(
        vol.write_sectors(0, &buf[..100]),
        Err(VolumeError::Misaligned { len: 100 })
    );
    assert!(vol.write_sectors(16, &[]).is_ok());
    assert_eq!(vol.device().write_count(), 0);
}

#[test]
fn opening_checks_key_and_geometry() {
    let equal = MasterKey::from_slice(&[3u8; 64]).unwrap();
    assert_eq!(
        Volume::from_params(MemDevice::new(20), &params(4), &equal).err(),
        Some(VolumeError::Xts(XtsError::EqualKeyHalves))
    );
    let short = MasterKey::from_slice(&(0u8..32).collect::<Vec<_>>()).unwrap();
    assert_eq!(
        Volume::from_params(MemDevice::new(20), &params(4), &short).err(),
        Some(VolumeError::KeyLength { len: 32, expected: 64 })
    );
    assert_eq!(
        Volume::from_params(MemDevice::new(20), &params(21), &key()).err(),
        Some(VolumeError::PayloadBeyondDevice {
            payload_offset: 21,
            device_sectors: 20
        })
    );
    assert_eq!(
        Volume::from_params(MemDevice::new(20), &params(20), &key())
            .unwrap()
            .sector_count(),
        0
    );
}

#[test]
fn identity_comes_from_the_uuid() {
    let vol = Volume::from_params(MemDevice::new(20), &params(4), &key()).unwrap();
    let uuid = vol.uuid();
    assert_eq!(uuid[..4], [0x0f, 0x1e, 0x2d, 0x3c]);
    assert_eq!(vol.stable_guid().to_string(), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    let id = vol.unique_id();
    assert_eq!(&id[..16], b"cryptdisk-luks1:");
    assert_eq!(id[16..], uuid);
}

#[cfg(feature = "kdf")]
#[test]
fn open_with_passphrase_or_master_key() {
    use crate::luks::{FormatOptions, HashSpec, LuksError, format};
    use crate::testutil::seeded_rng;
    let mut dev = MemDevice::new(4096 + 32);
    let spec = CipherSpec::AesXtsPlain64 {
        key_size: XtsKeySize::Bits256,
    };
    let made = format(
        &mut dev,
        &FormatOptions::new(spec, HashSpec::Sha1, 3, 3),
        b"pw",
        &mut seeded_rng(1),
    )
    .unwrap();
    let (mut vol, slot) = Volume::open(dev.clone(), b"pw").unwrap();
    assert_eq!(slot, 0);
    assert_eq!(vol.sector_count(), 32);
    assert_eq!(vol.params().uuid, made.header.uuid());
    vol.write_sectors(31, &[7u8; 512]).unwrap();
    let dev2 = vol.into_device();
    let mut vol2 = Volume::open_with_master_key(dev2, &made.master_key).unwrap();
    let mut back = [0u8; 512];
    vol2.read_sectors(31, &mut back).unwrap();
    assert_eq!(back, [7u8; 512]);
    assert_eq!(
        Volume::open(dev, b"bad").err(),
        Some(VolumeError::Luks(LuksError::WrongPassphrase))
    );
}
