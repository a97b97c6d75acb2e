//! Checked writes into a request buffer.

use mountdev::NtName;

use super::RequestError;

/// The first `needed` bytes of `buf`, zeroed, or [`RequestError::BufferTooSmall`].
pub(crate) fn take_zeroed(buf: &mut [u8], needed: usize) -> Result<&mut [u8], RequestError> {
    let available = buf.len();
    let out = buf
        .get_mut(..needed)
        .ok_or(RequestError::BufferTooSmall { needed, available })?;
    out.fill(0);
    Ok(out)
}

/// Copies `bytes` to `offset` of `buf`.
pub(crate) fn put(buf: &mut [u8], offset: usize, bytes: &[u8]) -> Result<(), RequestError> {
    let end = offset.checked_add(bytes.len()).ok_or(RequestError::TooLarge)?;
    let available = buf.len();
    buf.get_mut(offset..end)
        .ok_or(RequestError::BufferTooSmall { needed: end, available })?
        .copy_from_slice(bytes);
    Ok(())
}

/// Copies a name's UTF-16LE bytes to `offset` of `buf`.
pub(crate) fn put_name(buf: &mut [u8], offset: usize, name: NtName<'_>) -> Result<(), RequestError> {
    put(buf, offset, name.as_le_bytes())
}

/// `a + b`, or [`RequestError::TooLarge`].
pub(crate) fn add(a: usize, b: usize) -> Result<usize, RequestError> {
    a.checked_add(b).ok_or(RequestError::TooLarge)
}

/// `offset` as the 16-bit field `field`.
pub(crate) fn offset_u16(field: &'static str, offset: usize) -> Result<u16, RequestError> {
    u16::try_from(offset).map_err(|_| RequestError::OffsetOverflow { field, offset })
}

/// `offset` as the 32-bit field `field`.
pub(crate) fn offset_u32(field: &'static str, offset: usize) -> Result<u32, RequestError> {
    u32::try_from(offset).map_err(|_| RequestError::OffsetOverflow { field, offset })
}
