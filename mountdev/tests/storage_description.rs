//! `DiskDescription::new` accepts exactly the valid descriptions: each rule is broken once, and
//! the boundaries of each rule are accepted.

use mountdev::storage::{
    BusType, DeviceNumberClaim, DiskConfig, DiskDescription, DiskDescriptionError as E, MAX_PRODUCT_LEN,
    MAX_REVISION_LEN, MAX_VENDOR_LEN,
};

const MIB: u64 = 1 << 20;

fn check(config: DiskConfig<'_>) -> Result<DiskDescription, E> {
    DiskDescription::new(&config)
}

#[test]
fn defaults() {
    let disk = check(DiskConfig::new(MIB)).unwrap();
    assert_eq!(disk.size(), MIB);
    assert_eq!((disk.logical_sector_size(), disk.physical_sector_size()), (512, 512));
    assert_eq!(disk.sector_count(), 2048);
    assert!(!disk.is_read_only() && !disk.is_removable() && disk.is_hotplug());
    assert_eq!(disk.bus_type(), BusType::FILE_BACKED_VIRTUAL);
    assert_eq!(
        (disk.vendor(), disk.product(), disk.revision()),
        ("mountdev", "Virtual Disk", "1.0")
    );
    assert_eq!(disk.device_number(), None);
    assert_eq!(disk.gpt_attributes(), 0);
    assert!(disk.incurs_seek_penalty());
    assert_eq!(disk.max_transfer_length(), 64 * 1024);
}

#[test]
fn size_rules() {
    assert_eq!(check(DiskConfig::new(0)), Err(E::Empty));
    assert_eq!(
        check(DiskConfig::new(MIB + 1)),
        Err(E::NotSectorMultiple {
            size: MIB + 1,
            logical_sector_size: 512
        })
    );
    assert_eq!(
        check(DiskConfig {
            logical_sector_size: 4096,
            physical_sector_size: 4096,
            ..DiskConfig::new(MIB + 512)
        }),
        Err(E::NotSectorMultiple {
            size: MIB + 512,
            logical_sector_size: 4096
        })
    );
    let largest = i64::MAX as u64 - (i64::MAX as u64 % 4096);
    let at_limit = check(DiskConfig {
        logical_sector_size: 4096,
        physical_sector_size: 4096,
        ..DiskConfig::new(largest)
    });
    assert_eq!(at_limit.unwrap().size_i64(), largest as i64);
    assert_eq!(check(DiskConfig::new(1 << 63)), Err(E::TooLarge { size: 1 << 63 }));
    assert_eq!(
        check(DiskConfig::new(u64::MAX - 511)),
        Err(E::TooLarge { size: u64::MAX - 511 })
    );
    assert!(check(DiskConfig::new(512)).is_ok(), "one sector");
}

#[test]
fn sector_size_rules() {
    for good in [512, 1024, 2048, 4096] {
        assert!(
            check(DiskConfig {
                logical_sector_size: good,
                physical_sector_size: 4096,
                ..DiskConfig::new(MIB)
            })
            .is_ok()
        );
    }
    for bad in [0, 1, 256, 511, 513, 520, 768, 3072, 8192, u32::MAX] {
        assert_eq!(
            check(DiskConfig {
                logical_sector_size: bad,
                ..DiskConfig::new(MIB)
            }),
            Err(E::SectorSize {
                which: "logical",
                value: bad
            })
        );
        assert_eq!(
            check(DiskConfig {
                physical_sector_size: bad,
                ..DiskConfig::new(MIB)
            }),
            Err(E::SectorSize {
                which: "physical",
                value: bad
            })
        );
    }
    assert_eq!(
        check(DiskConfig {
            logical_sector_size: 4096,
            physical_sector_size: 512,
            ..DiskConfig::new(MIB)
        }),
        Err(E::PhysicalBelowLogical {
            logical: 4096,
            physical: 512
        })
    );
}

#[test]
fn string_rules() {
    let long = "ABCDEFGHIJKLMNOPQ";
    let ok = check(DiskConfig {
        vendor: &long[..MAX_VENDOR_LEN],
        product: &long[..MAX_PRODUCT_LEN],
        revision: &long[..MAX_REVISION_LEN],
        ..DiskConfig::new(MIB)
    })
    .unwrap();
    assert_eq!(
        (ok.vendor(), ok.product(), ok.revision()),
        ("ABCDEFGH", "ABCDEFGHIJKLMNOP", "ABCD")
    );
    assert!(
        check(DiskConfig {
            vendor: "",
            product: "",
            revision: "",
            ..DiskConfig::new(MIB)
        })
        .is_ok()
    );
    assert_eq!(
        check(DiskConfig {
            vendor: &long[..9],
            ..DiskConfig::new(MIB)
        }),
        Err(E::TextTooLong {
            field: "vendor",
            len: 9,
            max: 8
        })
    );
    assert_eq!(
        check(DiskConfig {
            product: long,
            ..DiskConfig::new(MIB)
        }),
        Err(E::TextTooLong {
            field: "product",
            len: 17,
            max: 16
        })
    );
    assert_eq!(
        check(DiskConfig {
            revision: "1.0.0",
            ..DiskConfig::new(MIB)
        }),
        Err(E::TextTooLong {
            field: "revision",
            len: 5,
            max: 4
        })
    );
    for (text, index, byte) in [("a\0", 1, 0u8), ("\tx", 0, 9), ("x\u{7f}", 1, 0x7F), ("é", 0, 0xC3)] {
        assert_eq!(
            check(DiskConfig {
                product: text,
                ..DiskConfig::new(MIB)
            }),
            Err(E::TextNotPrintableAscii {
                field: "product",
                index,
                byte
            })
        );
    }
}

#[test]
fn device_number_rules() {
    for good in [
        *DeviceNumberClaim::VIRTUAL_RANGE.start(),
        *DeviceNumberClaim::VIRTUAL_RANGE.end(),
        DeviceNumberClaim::from_index(u16::MAX).device_number,
    ] {
        let claim = DeviceNumberClaim { device_number: good };
        let disk = check(DiskConfig {
            device_number: Some(claim),
            ..DiskConfig::new(MIB)
        })
        .unwrap();
        assert_eq!(disk.device_number(), Some(claim));
    }
    for bad in [0, 1, 63, 0x0FFF_FFFF, 0x8000_0000, u32::MAX] {
        assert_eq!(
            check(DiskConfig {
                device_number: Some(DeviceNumberClaim { device_number: bad }),
                ..DiskConfig::new(MIB)
            }),
            Err(E::DeviceNumber { device_number: bad })
        );
    }
}

#[test]
fn transfer_length_rules() {
    for bad in [0, 511, 1000, 4097] {
        assert_eq!(
            check(DiskConfig {
                max_transfer_length: bad,
                ..DiskConfig::new(MIB)
            }),
            Err(E::MaxTransferLength {
                value: bad,
                logical_sector_size: 512
            })
        );
    }
    assert!(
        check(DiskConfig {
            max_transfer_length: 512,
            ..DiskConfig::new(MIB)
        })
        .is_ok()
    );
    assert!(
        check(DiskConfig {
            max_transfer_length: u32::MAX - 511,
            ..DiskConfig::new(MIB)
        })
        .is_ok()
    );
}

#[test]
fn errors_display() {
    let shown = E::NotSectorMultiple {
        size: 1000,
        logical_sector_size: 512,
    }
    .to_string();
    assert!(shown.contains("1000") && shown.contains("512"), "{shown}");
    let error: &dyn std::error::Error = &E::Empty;
    assert_eq!(error.to_string(), "disk size is 0");
}
