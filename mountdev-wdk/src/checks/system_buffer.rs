//! Which transfer methods a device-control view accepts, and the size of its system buffer.

use mountdev::NtStatus;
use mountdev::ioctl::{IoctlCode, Method};

/// The transfer methods a caller accepts for a device-control request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferMethods {
    /// `METHOD_BUFFERED` only: one system buffer shared by input and output (the default, and
    /// every MOUNTDEV, disk and storage code).
    BufferedOnly,
    /// Also `METHOD_IN_DIRECT` / `METHOD_OUT_DIRECT`: input in the system buffer, output in the
    /// IRP's MDL. `METHOD_NEITHER` (raw user addresses) is never accepted.
    BufferedOrDirect,
}

impl TransferMethods {
    /// Whether `method` is accepted.
    pub const fn accepts(self, method: Method) -> bool {
        matches!(
            (self, method),
            (_, Method::Buffered) | (Self::BufferedOrDirect, Method::InDirect | Method::OutDirect)
        )
    }
}

/// The byte length of the system buffer of a device-control request with these lengths:
/// `max(input, output)` for `METHOD_BUFFERED`, `input` for the direct methods, or the refusal.
///
/// A request with a zero length gets no system buffer from the I/O manager; a null buffer is
/// therefore fine (an empty slice) when the length is 0, and `STATUS_INVALID_PARAMETER` when it
/// is not.
///
/// # Errors
/// `STATUS_INVALID_DEVICE_REQUEST` for a method `accepted` refuses, `STATUS_INVALID_PARAMETER`
/// for a null buffer with a non-zero length (or a length beyond `usize`).
///
/// ```
/// use mountdev::NtStatus;
/// use mountdev_wdk::checks::{TransferMethods, system_buffer_len};
/// let buffered = 0x004D_0008; // IOCTL_MOUNTDEV_QUERY_DEVICE_NAME
/// assert_eq!(system_buffer_len(buffered, 0, 4, true, TransferMethods::BufferedOnly), Ok(4));
/// assert_eq!(system_buffer_len(buffered, 0, 0, false, TransferMethods::BufferedOnly), Ok(0));
/// assert_eq!(system_buffer_len(buffered, 0, 4, false, TransferMethods::BufferedOnly), Err(NtStatus::INVALID_PARAMETER));
/// let neither = 0x0007_0003; // METHOD_NEITHER
/// assert_eq!(system_buffer_len(neither, 0, 0, false, TransferMethods::BufferedOrDirect), Err(NtStatus::INVALID_DEVICE_REQUEST));
/// ```
pub fn system_buffer_len(
    code: u32,
    input_len: u32,
    output_len: u32,
    has_buffer: bool,
    accepted: TransferMethods,
) -> Result<usize, NtStatus> {
    let method = IoctlCode(code).method();
    if !accepted.accepts(method) {
        return Err(NtStatus::INVALID_DEVICE_REQUEST);
    }
    let length = if method == Method::Buffered {
        input_len.max(output_len)
    } else {
        input_len
    };
    let length = usize::try_from(length).map_err(|_| NtStatus::INVALID_PARAMETER)?;
    if length != 0 && !has_buffer {
        return Err(NtStatus::INVALID_PARAMETER);
    }
    Ok(if has_buffer { length } else { 0 })
}

#[cfg(test)]
mod tests {
    use mountdev::ioctl::{Access, DeviceType, ctl_code};

    use super::*;

    #[test]
    fn methods_and_lengths() {
        let code = |method| ctl_code(DeviceType(0x22), 0x800, method, Access::ANY);
        for (method, only, direct) in [
            (Method::Buffered, true, true),
            (Method::InDirect, false, true),
            (Method::OutDirect, false, true),
            (Method::Neither, false, false),
        ] {
            let c = code(method);
            assert_eq!(
                system_buffer_len(c, 3, 9, true, TransferMethods::BufferedOnly).is_ok(),
                only
            );
            assert_eq!(
                system_buffer_len(c, 3, 9, true, TransferMethods::BufferedOrDirect).is_ok(),
                direct
            );
            if !only {
                assert_eq!(
                    system_buffer_len(c, 3, 9, true, TransferMethods::BufferedOnly),
                    Err(NtStatus::INVALID_DEVICE_REQUEST)
                );
            }
        }
        assert_eq!(
            system_buffer_len(code(Method::Buffered), 3, 9, true, TransferMethods::BufferedOnly),
            Ok(9)
        );
        assert_eq!(
            system_buffer_len(code(Method::Buffered), 9, 3, true, TransferMethods::BufferedOnly),
            Ok(9)
        );
        assert_eq!(
            system_buffer_len(code(Method::OutDirect), 3, 9, true, TransferMethods::BufferedOrDirect),
            Ok(3)
        );
        assert_eq!(
            system_buffer_len(code(Method::OutDirect), 0, 9, false, TransferMethods::BufferedOrDirect),
            Ok(0)
        );
        assert_eq!(
            system_buffer_len(code(Method::Buffered), 0, 1, false, TransferMethods::BufferedOnly),
            Err(NtStatus::INVALID_PARAMETER)
        );
        assert_eq!(
            system_buffer_len(code(Method::Buffered), 0, 0, false, TransferMethods::BufferedOnly),
            Ok(0)
        );
        assert_eq!(
            system_buffer_len(code(Method::Buffered), u32::MAX, 0, true, TransferMethods::BufferedOnly),
            Ok(u32::MAX as usize)
        );
    }
}
