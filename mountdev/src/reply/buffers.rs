//! [`IoBuffers`]: the input and output of one IOCTL, split or shared.

/// The buffers of one IOCTL.
///
/// With `METHOD_BUFFERED` the I/O manager passes input and output in one system buffer, so a
/// handler must read everything it needs from the input before it writes any output. This type
/// enforces that order: [`IoBuffers::input`] borrows the input, and [`IoBuffers::into_output`]
/// consumes the buffers, so no input borrow can outlive the first write.
///
/// ```
/// use mountdev::IoBuffers;
/// // A kernel shell hands the shared system buffer over as it is:
/// let mut system = [7u8, 0, 0, 0];
/// let io = IoBuffers::shared(&mut system, 1, 4);
/// assert_eq!(io.input(), &[7]);
/// assert_eq!(io.into_output().len(), 4);
/// // User-mode callers and tests can pass two buffers:
/// let mut out = [0u8; 2];
/// let io = IoBuffers::split(&[1, 2, 3], &mut out);
/// assert_eq!(io.output_len(), 2);
/// ```
#[derive(Debug)]
pub struct IoBuffers<'a> {
    inner: Inner<'a>,
}

#[derive(Debug)]
enum Inner<'a> {
    Split {
        input: &'a [u8],
        output: &'a mut [u8],
    },
    Shared {
        system: &'a mut [u8],
        input_len: usize,
        output_len: usize,
    },
}

impl<'a> IoBuffers<'a> {
    /// Separate input and output buffers.
    pub fn split(input: &'a [u8], output: &'a mut [u8]) -> Self {
        Self {
            inner: Inner::Split { input, output },
        }
    }

    /// One METHOD_BUFFERED system buffer holding `input_len` input bytes and room for
    /// `output_len` output bytes. Lengths beyond the buffer are clamped to it.
    pub fn shared(system: &'a mut [u8], input_len: usize, output_len: usize) -> Self {
        let input_len = input_len.min(system.len());
        let output_len = output_len.min(system.len());
        Self {
            inner: Inner::Shared {
                system,
                input_len,
                output_len,
            },
        }
    }

    /// The input bytes.
    pub fn input(&self) -> &[u8] {
        match &self.inner {
            Inner::Split { input, .. } => input,
            Inner::Shared { system, input_len, .. } => system.get(..*input_len).unwrap_or(&[]),
        }
    }

    /// The output length the caller offered.
    pub fn output_len(&self) -> usize {
        match &self.inner {
            Inner::Split { output, .. } => output.len(),
            Inner::Shared { output_len, .. } => *output_len,
        }
    }

    /// The output buffer, after copying the input bytes `input_range` to `output_offset` of the
    /// output (with `memmove` semantics when the buffer is shared). `None` when either range
    /// leaves its buffer; then nothing was copied.
    ///
    /// This is how a reply can carry part of its own input (e.g. the old unique ID of a
    /// `UNIQUE_ID_CHANGE_NOTIFY` reply) without a second buffer.
    ///
    /// ```
    /// use mountdev::IoBuffers;
    /// let mut system = [1u8, 2, 3, 0, 0, 0];
    /// let out = IoBuffers::shared(&mut system, 3, 6).into_output_with_input_copied(0..3, 2).unwrap();
    /// assert_eq!(out, &[1, 2, 1, 2, 3, 0]);
    /// ```
    pub fn into_output_with_input_copied(
        self,
        input_range: core::ops::Range<usize>,
        output_offset: usize,
    ) -> Option<&'a mut [u8]> {
        let count = input_range.end.checked_sub(input_range.start)?;
        let output_end = output_offset.checked_add(count)?;
        match self.inner {
            Inner::Split { input, output } => {
                let src = input.get(input_range)?;
                output.get_mut(output_offset..output_end)?.copy_from_slice(src);
                Some(output)
            }
            Inner::Shared {
                system,
                input_len,
                output_len,
            } => {
                if input_range.end > input_len || output_end > output_len || output_len > system.len() {
                    return None;
                }
                system.copy_within(input_range, output_offset);
                system.get_mut(..output_len)
            }
        }
    }

    /// The output buffer; the input is gone from here on.
    pub fn into_output(self) -> &'a mut [u8] {
        match self.inner {
            Inner::Split { output, .. } => output,
            Inner::Shared { system, output_len, .. } => system.get_mut(..output_len).unwrap_or(&mut []),
        }
    }
}
