//! The decisions the kernel wrappers make, as plain functions over numbers: no `wdk-sys`, so they
//! are unit-tested on the host (`cargo test --no-default-features`).

mod completion;
mod counted;
mod system_buffer;

pub use completion::completion_information;
pub use counted::{UnicodeError, counted_byte_len, counted_name};
pub use system_buffer::{TransferMethods, system_buffer_len};
