//! Cites `protocol.md` §4.6a, docs/protocol.md §1.2, protocol.md §8 item 12 and
//! `other.md` §3.1-3.1; a chain: other.md §3, §3.1 and §3.1.
//! A reference over two lines: `protocol.md`
//! §8.12. A bare section means protocol.md: §4.6a, §1.2 step 3.

/// Outside standards are skipped: IEEE 1619-2007 §5.3.2 / §5.4.2, the LUKS1 On-Disk Format
/// Specification §2.4, and a URL https://example.org/notes.md is not a document.
pub fn f() {} // other.md section 3.1; ../README.md from here.
//! Errata 2 and Errata 1-2 exist.
