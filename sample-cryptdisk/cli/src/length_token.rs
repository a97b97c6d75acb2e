//! The original-length record of a LUKS2 volume: where LUKS1 volumes keep it in a free header
//! sector ([`crate::length_record`]), a LUKS2 volume keeps it in its JSON metadata, as a token
//! of cryptdisk's own type, which cryptsetup keeps through its own changes, lists in `luksDump`
//! (`0: cryptdisk-length`) and otherwise ignores (token types not starting with `luks2-` are
//! left to external plugins; `open` without one falls back to the passphrase):
//!
//! ```json
//! "tokens": { "0": { "type": "cryptdisk-length", "keyslots": [], "length": "1000001" } }
//! ```
//!
//! The token belongs to no key slot, so removing keys never removes it; the length is a decimal
//! string as LUKS2 writes its other 64-bit numbers. Like the LUKS1 record, it reveals only how
//! far into its last sector the image reaches.

use crate::length_record::LengthRecord;
use cryptdisk_core::blockdev::BlockDevice;
use cryptdisk_core::luks2::config::{find_token, put_token};
use cryptdisk_core::luks2::json::Value;
use cryptdisk_core::luks2::{Luks2Error, Luks2Header};

/// The token's type.
pub const TOKEN_TYPE: &str = "cryptdisk-length";

/// Records an image of `length` bytes (replacing an earlier record).
///
/// # Errors
///
/// LUKS2 header and device errors (a full token table).
pub fn write<D: BlockDevice + ?Sized>(dev: &mut D, length: u64) -> Result<(), Luks2Error> {
    put_token(dev, TOKEN_TYPE, vec![("length".to_owned(), Value::decimal(length))]).map(|_| ())
}

/// What the header records, checked against a data area of `data_bytes` bytes in sectors of
/// `sector_size` bytes: the length fits when the data area is that length rounded up to whole
/// sectors.
pub fn read(header: &Luks2Header, data_bytes: u64, sector_size: u64) -> LengthRecord {
    let Some((_, token)) = find_token(&header.metadata.json, TOKEN_TYPE) else {
        return LengthRecord::Absent;
    };
    let Some(length) = token.get("length").and_then(Value::as_u64) else {
        return LengthRecord::Absent;
    };
    let fits =
        length > 0 && length <= data_bytes && data_bytes.checked_sub(length).is_some_and(|pad| pad < sector_size);
    if fits {
        LengthRecord::Valid(length)
    } else {
        LengthRecord::Mismatch(length)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cryptdisk_core::blockdev::MemDevice;
    use cryptdisk_core::kdf_limits::KdfLimits;
    use cryptdisk_core::luks::HashSpec;
    use cryptdisk_core::luks2::{self, KdfChoice, Luks2Options, read_header};
    use cryptdisk_core::rng::OsRandom;

    fn volume() -> MemDevice {
        let mut dev = MemDevice::new(2 * 2048 + 64);
        let kdf = KdfChoice::Pbkdf2 {
            hash: HashSpec::Sha256,
            iterations: 1,
        };
        let opts = Luks2Options {
            data_offset: 2 << 20,
            ..Luks2Options::new(kdf, 1)
        };
        luks2::format(&mut dev, &opts, b"pw", &mut OsRandom).unwrap();
        dev
    }

    #[test]
    fn round_trip_and_fit_check() {
        let mut dev = volume();
        let header = read_header(&mut dev).unwrap();
        assert_eq!(read(&header, 8192, 4096), LengthRecord::Absent);
        write(&mut dev, 4097).unwrap();
        let header = read_header(&mut dev).unwrap();
        assert_eq!(read(&header, 8192, 4096), LengthRecord::Valid(4097));
        assert_eq!(
            read(&header, 8192, 512),
            LengthRecord::Mismatch(4097),
            "8192 is not 4097 in 512s"
        );
        assert_eq!(read(&header, 12288, 4096), LengthRecord::Mismatch(4097));
        assert_eq!(read(&header, 4096, 4096), LengthRecord::Mismatch(4097));
        write(&mut dev, 8192).unwrap();
        let header = read_header(&mut dev).unwrap();
        assert_eq!(read(&header, 8192, 4096), LengthRecord::Valid(8192));
        assert_eq!(header.metadata.tokens, 1, "replaced, not added");
        write(&mut dev, 0).unwrap();
        assert_eq!(
            read(&read_header(&mut dev).unwrap(), 0, 4096),
            LengthRecord::Mismatch(0)
        );
    }

    #[test]
    fn record_survives_key_changes() {
        let mut dev = volume();
        write(&mut dev, 5000).unwrap();
        let kdf = KdfChoice::Pbkdf2 {
            hash: HashSpec::Sha256,
            iterations: 1,
        };
        let limits = KdfLimits::DEFAULT;
        luks2::add_key_with_passphrase(&mut dev, b"pw", b"two", &kdf, &mut OsRandom, &limits).unwrap();
        luks2::change_key(&mut dev, b"pw", b"three", &kdf, &mut OsRandom, &limits).unwrap();
        luks2::remove_key(&mut dev, b"two", &mut OsRandom, &limits).unwrap();
        let header = read_header(&mut dev).unwrap();
        assert_eq!(read(&header, 8192, 4096), LengthRecord::Valid(5000));
    }
}
