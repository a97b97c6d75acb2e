//! Text as the wire carries it: UTF-16LE bytes.

use std::vec::Vec;

/// The UTF-16LE bytes of `text`, as names travel in requests and replies.
///
/// ```
/// use mountdev::testing::utf16;
/// assert_eq!(utf16("Z:"), [b'Z', 0, b':', 0]);
/// ```
pub fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}
