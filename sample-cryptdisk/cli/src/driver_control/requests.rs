//! MOUNT, UNMOUNT and LIST over any [`Channel`] to the control device: the request bytes
//! (`cryptdisk_core::control`), the exact status of each completion, and the reply parsing,
//! including LIST's Size-then-retry convention. The Windows channel is
//! `device::ControlDevice` (Windows only); the tests use a fake driver.

use cryptdisk_core::control::{
    ControlError, IOCTL_CRYPTDISK_LIST, IOCTL_CRYPTDISK_MOUNT, IOCTL_CRYPTDISK_UNMOUNT, LIST_HEADER_SIZE, ListReply,
    MountReply, UnmountRequest, UnmountTarget,
};
use mountdev::{DriveLetterLink, Reply};
use zeroize::Zeroize;

use super::error::{DriverError, Request};

/// Requests sent at most for one LIST (the first and its retries).
pub const LIST_ATTEMPTS: usize = 4;

/// The first output LIST offers (room for a few volumes); the driver says when it needs more.
pub const LIST_INITIAL_OUTPUT: usize = 1024;

/// Sends one METHOD_BUFFERED request to the control device and returns the status and
/// `Information` exactly as the driver completed it.
pub trait Channel {
    /// One request.
    fn control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply;
}

/// The letter of a drive-letter link, as a `char`.
fn letter_of(link: DriveLetterLink) -> char {
    link.letter()
}

/// Sends MOUNT with the request bytes `request` (which hold the master key: they are zeroized
/// here, whatever happens) and parses the reply.
///
/// # Errors
///
/// [`DriverError::Refused`] with the driver's status, [`DriverError::BadReply`].
pub fn mount(
    channel: &mut impl Channel,
    request: &mut [u8],
    letter: Option<DriveLetterLink>,
) -> Result<MountReply, DriverError> {
    let mut output = [0u8; size_of::<MountReply>()];
    let reply = channel.control(IOCTL_CRYPTDISK_MOUNT, request, &mut output);
    request.zeroize();
    if !reply.status.is_success() {
        return Err(DriverError::Refused {
            request: Request::Mount {
                letter: letter.map(letter_of),
            },
            status: reply.status,
        });
    }
    let bytes = output.get(..reply.information).unwrap_or(&[]);
    MountReply::parse(bytes).map_err(DriverError::BadReply)
}

/// Sends UNMOUNT for `target`. Without `force` the driver refuses (`STATUS_FILES_OPEN`) while
/// handles are open on the volume or files on its file system; with it, the driver dismounts the
/// file system and unmounts anyway.
///
/// # Errors
///
/// [`DriverError::Refused`] with the driver's status.
pub fn unmount(channel: &mut impl Channel, target: UnmountTarget, force: bool) -> Result<(), DriverError> {
    let request = UnmountRequest { target, force };
    let reply = channel.control(IOCTL_CRYPTDISK_UNMOUNT, &request.to_bytes(), &mut []);
    if reply.status.is_success() {
        Ok(())
    } else {
        Err(DriverError::Refused {
            request: Request::Unmount { target },
            status: reply.status,
        })
    }
}

/// Sends LIST, growing the output to the `Size` the driver asks for (at most
/// [`LIST_ATTEMPTS`] requests), and returns the reply bytes, validated by
/// [`ListReply::parse`] (parse them again to read the entries).
///
/// # Errors
///
/// [`DriverError::Refused`] for a failed request, [`DriverError::BadReply`] for a reply that
/// does not parse or keeps growing.
pub fn list(channel: &mut impl Channel) -> Result<Vec<u8>, DriverError> {
    let mut size = LIST_INITIAL_OUTPUT;
    let mut last = ControlError::NeedsRetry { size };
    for _ in 0..LIST_ATTEMPTS {
        let mut output = vec![0u8; size.max(LIST_HEADER_SIZE)];
        let reply = channel.control(IOCTL_CRYPTDISK_LIST, &[], &mut output);
        if reply.status.is_error() {
            return Err(DriverError::Refused {
                request: Request::List,
                status: reply.status,
            });
        }
        output.truncate(reply.information);
        match ListReply::parse(&output) {
            Ok(_) if reply.status.is_success() => return Ok(output),
            Err(ControlError::NeedsRetry { size: needed }) if needed > size => {
                size = needed;
                last = ControlError::NeedsRetry { size: needed };
            }
            Ok(_) => return Err(DriverError::BadReply(ControlError::NeedsRetry { size })),
            Err(error) => return Err(DriverError::BadReply(error)),
        }
    }
    Err(DriverError::BadReply(last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cryptdisk_core::control::{MountReplyFlags, VolumeSummary, write_list_reply};
    use cryptdisk_core::uuid::Uuid;
    use mountdev::NtStatus;

    /// A driver with `volumes` mounted that records what it was sent.
    struct FakeDriver {
        volumes: usize,
        sent: Vec<(u32, Vec<u8>, usize)>,
        status: NtStatus,
    }

    impl FakeDriver {
        fn new(volumes: usize) -> Self {
            Self {
                volumes,
                sent: Vec::new(),
                status: NtStatus::SUCCESS,
            }
        }
    }

    impl Channel for FakeDriver {
        fn control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
            self.sent.push((code, input.to_vec(), output.len()));
            if self.status != NtStatus::SUCCESS {
                return Reply::error(self.status);
            }
            match code {
                IOCTL_CRYPTDISK_MOUNT => {
                    // The 32-byte reply as the driver lays it out: magic, version, flags, device
                    // number, letter, reserved, volume GUID.
                    let mut reply = Vec::new();
                    reply.extend_from_slice(b"CDMA");
                    reply.extend_from_slice(&1u16.to_le_bytes());
                    reply.extend_from_slice(&MountReplyFlags::FALLBACK_LINK.bits().to_le_bytes());
                    reply.extend_from_slice(&2u32.to_le_bytes());
                    reply.extend_from_slice(&[b'M', 0, 0, 0]);
                    reply.extend_from_slice(&[0; 16]);
                    mountdev::reply::write_fixed(output, &reply)
                }
                IOCTL_CRYPTDISK_UNMOUNT => Reply::success(0),
                IOCTL_CRYPTDISK_LIST => {
                    let path = mountdev::nt_name!("\\??\\C:\\a-rather-long-container-path-name.luks");
                    let volumes: Vec<VolumeSummary<'_>> = (0..self.volumes)
                        .map(|n| VolumeSummary {
                            device_number: u32::try_from(n + 1).unwrap(),
                            drive_letter: None,
                            read_only: false,
                            removable: false,
                            fallback_link: false,
                            data_sectors: 8,
                            uuid: Uuid::from_bytes([1; 16]),
                            path,
                        })
                        .collect();
                    write_list_reply(&volumes, output)
                }
                _ => Reply::error(NtStatus::INVALID_DEVICE_REQUEST),
            }
        }
    }

    #[test]
    fn mount_zeroizes_the_request_and_parses_the_reply() {
        let mut driver = FakeDriver::new(0);
        let mut request = vec![0xAAu8; 130];
        let reply = mount(&mut driver, &mut request, DriveLetterLink::new(b'M')).unwrap();
        assert_eq!(reply.flags(), MountReplyFlags::FALLBACK_LINK);
        assert_eq!((reply.device_number.get(), reply.drive_letter), (2, b'M'));
        assert!(request.iter().all(|&b| b == 0));
        assert_eq!(driver.sent[0].0, IOCTL_CRYPTDISK_MOUNT);
        assert_eq!(
            driver.sent[0].1,
            vec![0xAA; 130],
            "the driver got the request before the zeroize"
        );
        assert_eq!(driver.sent[0].2, 32);
    }

    #[test]
    fn a_refused_mount_carries_the_status_and_still_zeroizes() {
        let mut driver = FakeDriver::new(0);
        driver.status = NtStatus::OBJECT_NAME_COLLISION;
        let mut request = vec![0xAAu8; 130];
        let error = mount(&mut driver, &mut request, DriveLetterLink::new(b'C')).unwrap_err();
        assert!(matches!(
            error,
            DriverError::Refused {
                request: Request::Mount { letter: Some('C') },
                status: NtStatus::OBJECT_NAME_COLLISION
            }
        ));
        assert!(request.iter().all(|&b| b == 0));
    }

    #[test]
    fn unmount_sends_the_target_and_the_force_flag() {
        let mut driver = FakeDriver::new(1);
        unmount(&mut driver, UnmountTarget::Letter(b'M'), false).unwrap();
        let request = UnmountRequest::parse(&driver.sent[0].1).unwrap();
        assert_eq!(request.target, UnmountTarget::Letter(b'M'));
        assert!(!request.force);
        unmount(&mut driver, UnmountTarget::DeviceNumber(3), true).unwrap();
        let request = UnmountRequest::parse(&driver.sent[1].1).unwrap();
        assert_eq!(request.target, UnmountTarget::DeviceNumber(3));
        assert!(request.force);
        driver.status = NtStatus::NOT_FOUND;
        let error = unmount(&mut driver, UnmountTarget::Letter(b'M'), false).unwrap_err();
        assert!(
            error.to_string().contains("no cryptdisk volume is mounted at M:"),
            "{error}"
        );
        let error = unmount(&mut driver, UnmountTarget::DeviceNumber(3), false).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("no cryptdisk volume is mounted at \\Device\\CryptDiskVolume3"),
            "{error}"
        );
    }

    #[test]
    fn list_retries_with_the_size_the_driver_asks_for() {
        // 30 volumes need more than the first 1024 bytes.
        let mut driver = FakeDriver::new(30);
        let bytes = list(&mut driver).unwrap();
        assert_eq!(ListReply::parse(&bytes).unwrap().len(), 30);
        assert_eq!(driver.sent.len(), 2);
        assert_eq!(driver.sent[0].2, LIST_INITIAL_OUTPUT);
        assert_eq!(driver.sent[1].2, bytes.len());

        let mut empty = FakeDriver::new(0);
        let bytes = list(&mut empty).unwrap();
        assert!(ListReply::parse(&bytes).unwrap().is_empty());
        assert_eq!(empty.sent.len(), 1);
    }

    #[test]
    fn a_list_that_keeps_growing_is_refused() {
        /// Always asks for more than it was given.
        struct Greedy(usize);
        impl Channel for Greedy {
            fn control(&mut self, _code: u32, _input: &[u8], output: &mut [u8]) -> Reply {
                self.0 += 1;
                let size = u32::try_from(output.len() + 16).unwrap();
                output[..4].copy_from_slice(b"CDLS");
                output[4..6].copy_from_slice(&1u16.to_le_bytes());
                output[6..8].copy_from_slice(&[0, 0]);
                output[8..12].copy_from_slice(&size.to_le_bytes());
                output[12..16].copy_from_slice(&0u32.to_le_bytes());
                Reply::new(NtStatus::BUFFER_OVERFLOW, 16)
            }
        }
        let mut greedy = Greedy(0);
        assert!(matches!(list(&mut greedy), Err(DriverError::BadReply(_))));
        assert_eq!(greedy.0, LIST_ATTEMPTS);
    }
}
