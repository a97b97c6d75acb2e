//! The reply rules the kit knows per IOCTL code: the MOUNTDEV counted reply (`protocol.md` §3.2)
//! and the storage descriptor probe (§3.5). The sizes come from [`crate::layout`], stated once.

use crate::ioctl::Ioctl;
use crate::layout::{
    MountdevName, MountdevSuggestedLinkName, MountdevUniqueId, StorageDescriptorHeader, StoragePropertyQuery,
};
use crate::{NtName, NtStatus, Reply};

use super::violation::Rule;

/// What the payload of a counted reply holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Payload {
    /// A counted UTF-16 name: even, non-empty, no NUL unit.
    Name,
    /// Opaque bytes (a unique ID).
    Bytes,
}

/// The code-specific rule a request falls under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KnownRule {
    /// A MOUNTDEV counted reply.
    Counted {
        /// C `sizeof`: the smallest buffer that gets `BUFFER_OVERFLOW`.
        c_sizeof: usize,
        /// Offset of the payload; the `u16` length field sits just before it.
        header: usize,
        /// What the payload holds.
        payload: Payload,
    },
    /// A storage property descriptor answering a standard query.
    Descriptor,
    /// No code-specific rule: only the rules every reply keeps.
    None,
}

impl KnownRule {
    /// The rule for `code` with `input`.
    pub(super) fn of(code: u32, input: &[u8]) -> Self {
        match Ioctl::decode(code) {
            Ioctl::MountdevQueryDeviceName => Self::Counted {
                c_sizeof: MountdevName::C_SIZEOF,
                header: MountdevName::HEADER_SIZE,
                payload: Payload::Name,
            },
            Ioctl::MountdevQueryUniqueId => Self::Counted {
                c_sizeof: MountdevUniqueId::C_SIZEOF,
                header: MountdevUniqueId::HEADER_SIZE,
                payload: Payload::Bytes,
            },
            Ioctl::MountdevQuerySuggestedLinkName => Self::Counted {
                c_sizeof: MountdevSuggestedLinkName::C_SIZEOF,
                header: MountdevSuggestedLinkName::HEADER_SIZE,
                payload: Payload::Name,
            },
            Ioctl::StorageQueryProperty if is_standard_query(input) => Self::Descriptor,
            _ => Self::None,
        }
    }

    /// The smallest output size that must be tried whatever the whole reply is.
    pub(super) fn header_len(self) -> usize {
        match self {
            Self::Counted { c_sizeof, .. } => c_sizeof,
            Self::Descriptor => StorageDescriptorHeader::C_SIZEOF,
            Self::None => 0,
        }
    }

    /// Whether a reply says a larger buffer would get more: a descriptor probe answer whose `Size`
    /// is larger than what came back.
    pub(super) fn wants_more(self, reply: Reply, bytes: &[u8]) -> bool {
        self == Self::Descriptor
            && reply.status == NtStatus::SUCCESS
            && usize::try_from(descriptor_size(bytes)).is_ok_and(|size| size > reply.information)
    }

    /// Checks the complete reply (taken with the largest buffer) on its own.
    pub(super) fn check_whole(self, whole: Reply, bytes: &[u8]) -> Result<(), Rule> {
        if whole.status != NtStatus::SUCCESS {
            return Ok(());
        }
        match self {
            Self::Counted { header, payload, .. } => {
                let field = length_field(bytes, header);
                let implied = whole.information.saturating_sub(header);
                if whole.information < header || usize::from(field) != implied {
                    return Err(Rule::CountedLength {
                        field,
                        expected: implied,
                    });
                }
                if payload == Payload::Name {
                    let name = bytes.get(header..whole.information).unwrap_or(&[]);
                    NtName::from_le_bytes(name).map_err(|reason| Rule::CountedName { reason })?;
                }
                Ok(())
            }
            Self::Descriptor => {
                let size = descriptor_size(bytes);
                if whole.information < StorageDescriptorHeader::C_SIZEOF
                    || usize::try_from(size).ok() != Some(whole.information)
                {
                    return Err(Rule::DescriptorSize {
                        size,
                        expected: whole.information,
                    });
                }
                Ok(())
            }
            Self::None => Ok(()),
        }
    }

    /// Checks the reply at output length `len` against the complete reply `whole`.
    pub(super) fn check_at(
        self,
        len: usize,
        reply: Reply,
        out: &[u8],
        whole: Reply,
        whole_bytes: &[u8],
    ) -> Result<(), Rule> {
        if whole.status != NtStatus::SUCCESS {
            return Ok(());
        }
        match self {
            Self::Counted { c_sizeof, header, .. } => {
                if len < c_sizeof {
                    // protocol.md §3.2: classpnp answers BUFFER_TOO_SMALL, MSDN INVALID_PARAMETER
                    // for the suggested link; both are errors the mount manager does not retry.
                    let accepted = [NtStatus::BUFFER_TOO_SMALL, NtStatus::INVALID_PARAMETER];
                    if accepted.contains(&reply.status) && reply.information == 0 {
                        return Ok(());
                    }
                    return Err(Rule::CountedReply {
                        expected: Reply::error(NtStatus::BUFFER_TOO_SMALL),
                    });
                }
                if len < whole.information {
                    let expected = Reply::new(NtStatus::BUFFER_OVERFLOW, c_sizeof);
                    if reply != expected {
                        return Err(Rule::CountedReply { expected });
                    }
                    // The header (with the length field) is what the caller reads to retry.
                    let field = length_field(out, header);
                    if out.get(..header) != whole_bytes.get(..header) {
                        return Err(Rule::CountedLength {
                            field,
                            expected: whole.information.saturating_sub(header),
                        });
                    }
                    return Ok(());
                }
                if reply != whole {
                    return Err(Rule::CountedReply { expected: whole });
                }
                Ok(())
            }
            Self::Descriptor => {
                let probe = StorageDescriptorHeader::C_SIZEOF;
                let expected = if len < probe {
                    Reply::error(NtStatus::BUFFER_TOO_SMALL)
                } else if len < whole.information {
                    Reply::success(probe)
                } else {
                    whole
                };
                if reply != expected {
                    return Err(Rule::DescriptorProbe { expected });
                }
                if reply == Reply::success(probe) && out.get(..probe) != whole_bytes.get(..probe) {
                    return Err(Rule::DescriptorSize {
                        size: descriptor_size(out),
                        expected: whole.information,
                    });
                }
                Ok(())
            }
            Self::None => Ok(()),
        }
    }
}

/// Whether `input` is a whole `STORAGE_PROPERTY_QUERY` with `QueryType` = standard query.
fn is_standard_query(input: &[u8]) -> bool {
    input.len() >= StoragePropertyQuery::C_SIZEOF
        && input.get(4..8) == Some(&StoragePropertyQuery::PROPERTY_STANDARD_QUERY.to_le_bytes()[..])
}

/// The `u16` length field just before the payload at `header`; 0 when out of range.
fn length_field(bytes: &[u8], header: usize) -> u16 {
    header
        .checked_sub(2)
        .and_then(|at| bytes.get(at..header))
        .and_then(|b| <[u8; 2]>::try_from(b).ok())
        .map_or(0, u16::from_le_bytes)
}

/// `STORAGE_DESCRIPTOR_HEADER.Size`; 0 when out of range.
fn descriptor_size(bytes: &[u8]) -> u32 {
    bytes
        .get(4..8)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, u32::from_le_bytes)
}
