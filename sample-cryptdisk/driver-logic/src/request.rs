//! [`Request`]: what an IRP asks for, as the driver's decisions see it (the kernel shell decodes
//! it from the IRP's current stack location).

/// What an IRP asks for, decoded from its current stack location.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// `IRP_MJ_CREATE`.
    Create,
    /// `IRP_MJ_CLEANUP`.
    Cleanup,
    /// `IRP_MJ_CLOSE`.
    Close,
    /// `IRP_MJ_READ` of `length` bytes at byte `offset`.
    Read {
        /// Byte offset on the device.
        offset: i64,
        /// Length in bytes.
        length: u32,
    },
    /// `IRP_MJ_WRITE` of `length` bytes at byte `offset`.
    Write {
        /// Byte offset on the device.
        offset: i64,
        /// Length in bytes.
        length: u32,
    },
    /// `IRP_MJ_FLUSH_BUFFERS`.
    Flush,
    /// `IRP_MJ_DEVICE_CONTROL`.
    DeviceControl {
        /// The IOCTL code.
        code: u32,
        /// Input length in bytes.
        input_length: u32,
        /// Output length in bytes.
        output_length: u32,
    },
    /// Any other major function.
    Other(u8),
}
