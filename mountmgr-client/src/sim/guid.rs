//! [`GuidSource`]: the deterministic GUID generator behind volume names and `#{GUID}` markers.
//!
//! The real mount manager calls `ExUuidCreate` when a volume has no stable GUID
//! (`protocol.md` §4.2 step 6) or when it records a "no drive letter" marker (§4.5). Tests must be
//! reproducible, so the simulator draws those GUIDs from a seeded SplitMix64 stream instead of the
//! clock: the same seed and the same sequence of requests give the same names.

use mountdev::Guid;

/// A seeded stream of version-4-shaped GUIDs.
#[derive(Clone, Debug)]
pub(crate) struct GuidSource {
    state: u64,
}

impl GuidSource {
    /// A stream starting at `seed`.
    pub(crate) const fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// SplitMix64 (Steele, Lea and Flood, 2014): a full-period 64-bit generator.
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// The next GUID, with the RFC 4122 version (4) and variant bits set like `ExUuidCreate`'s.
    pub(crate) fn next_guid(&mut self) -> Guid {
        let high = self.next_u64().to_be_bytes();
        let low = self.next_u64().to_be_bytes();
        let mut bytes = [0u8; 16];
        for (dst, src) in bytes.iter_mut().zip(high.iter().chain(low.iter())) {
            *dst = *src;
        }
        if let Some(version) = bytes.get_mut(6) {
            *version = (*version & 0x0F) | 0x40;
        }
        if let Some(variant) = bytes.get_mut(8) {
            *variant = (*variant & 0x3F) | 0x80;
        }
        Guid::from_uuid_bytes(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_guids_and_v4_shape() {
        let mut a = GuidSource::new(7);
        let mut b = GuidSource::new(7);
        let first = a.next_guid();
        assert_eq!(first, b.next_guid());
        assert_ne!(first, a.next_guid());
        assert_eq!(first.data3 >> 12, 4);
        assert_eq!(first.data4[0] >> 6, 0b10);
        assert_ne!(GuidSource::new(8).next_guid(), first);
    }
}
