//! IOCTL codes: `CTL_CODE`, every code a volume driver sends or answers, and a typed decode.

mod code;
mod known;

pub use code::{Access, DeviceType, IoctlCode, Method, ctl_code};
pub use known::*;
