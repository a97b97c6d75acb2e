//! Names missing.md, which is not in the repository.
//! Cites `protocol.md` §9.9, which does not exist.
//! A bare §4.7 that protocol.md lacks, and a chain protocol.md §1.2, §7.7.
//! A range whose end is missing: protocol.md §1.2-1.9.
//! As the development log says.
//! Over two lines: `protocol.md`
//! §3.3.
//! Errata 3 does not.
pub fn f() {}
