//! The driver's reading of an IRP, on top of the adapter's [`Irp`]: the portable
//! `cryptdisk_driver_logic::request::Request` the dispatch decisions take ([`IrpExt::request`]),
//! the buffers of a volume IOCTL ([`IrpExt::ioctl_buffers`]) and those of a control request
//! with write access to the input ([`IrpExt::control_buffers`], so MOUNT can scrub the key).

use cryptdisk_driver_logic::control::ControlBuffers;
pub use cryptdisk_driver_logic::request::Request;
use mountdev::IoBuffers;
pub use mountdev_wdk::Irp;
use mountdev_wdk::{Major, TransferKind};

/// What this driver reads from an [`Irp`] (see the module docs).
pub trait IrpExt {
    /// The request, decoded from the current stack location.
    fn request(&self) -> Request;

    /// The buffers of a `METHOD_BUFFERED` IOCTL (one system buffer shared by input and
    /// output). Other methods, other requests and a missing buffer get empty buffers: the
    /// volume answers only buffered codes.
    fn ioctl_buffers(&mut self) -> IoBuffers<'_>;

    /// The system buffer of a `METHOD_BUFFERED` control-device IOCTL, with write access to the
    /// input; `None` for other requests and methods, or a missing buffer.
    fn control_buffers(&mut self) -> Option<ControlBuffers<'_>>;
}

impl IrpExt for Irp {
    fn request(&self) -> Request {
        if let Some(transfer) = self.transfer_parameters() {
            let (offset, length) = (transfer.offset, transfer.length);
            return match transfer.kind {
                TransferKind::Read => Request::Read { offset, length },
                TransferKind::Write => Request::Write { offset, length },
            };
        }
        if let Some(control) = self.device_control_parameters() {
            return Request::DeviceControl {
                code: control.code,
                input_length: control.input_len,
                output_length: control.output_len,
            };
        }
        match self.major() {
            Major::Create => Request::Create,
            Major::Cleanup => Request::Cleanup,
            Major::Close => Request::Close,
            Major::Flush => Request::Flush,
            // Read, write and device control carry parameters, read above.
            other => Request::Other(other.code()),
        }
    }

    fn ioctl_buffers(&mut self) -> IoBuffers<'_> {
        let Some(control) = self.device_control_parameters() else {
            return IoBuffers::split(&[], &mut []);
        };
        let (input, output) = (control.input_len as usize, control.output_len as usize);
        match self.buffered_system_buffer() {
            Ok(buffer) => IoBuffers::shared(buffer, input, output),
            Err(_) => IoBuffers::split(&[], &mut []),
        }
    }

    fn control_buffers(&mut self) -> Option<ControlBuffers<'_>> {
        let control = self.device_control_parameters()?;
        let (input, output) = (control.input_len as usize, control.output_len as usize);
        let buffer = self.buffered_system_buffer().ok()?;
        Some(ControlBuffers::shared(buffer, input, output))
    }
}
