//! The test kit itself: each rule is broken by one planted handler bug and reported at the output
//! size where it first shows, and a correct handler passes.
#![allow(clippy::restriction, reason = "not shipping code: may panic")]
// The test kit is on in the workspace (mountdev's self dev-dependency); a packaged copy of the
// crate runs these tests with `--all-features` (ci/package-check.sh).
#![cfg(feature = "testing")]

use mountdev::ioctl::{
    IOCTL_DISK_GET_LENGTH_INFO, IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME,
    IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, IOCTL_STORAGE_QUERY_PROPERTY,
};
use mountdev::layout::StoragePropertyQuery;
use mountdev::reply::{write_counted, write_fixed};
use mountdev::storage::write_descriptor;
use mountdev::testing::{ContractCheck, InputShape, Request, Rule, SENTINEL, Violation, check_handler};
use mountdev::{IoBuffers, NameError, NtStatus, Reply};

/// `\A` as UTF-16LE.
const NAME: [u8; 4] = [b'\\', 0, b'A', 0];

fn counted_name(out: &mut [u8]) -> Reply {
    write_counted(out, 4, &[4, 0], &NAME)
}

fn violation(code: u32, input: &[u8], handler: impl Fn(u32, IoBuffers<'_>) -> Reply) -> Violation {
    check_handler(handler, code, input).expect_err("the planted bug must be found")
}

#[test]
fn a_correct_counted_reply_passes() {
    let checked = check_handler(
        |_, io: IoBuffers<'_>| counted_name(io.into_output()),
        IOCTL_MOUNTDEV_QUERY_DEVICE_NAME,
        &[],
    )
    .unwrap();
    assert_eq!(checked.whole(), Reply::success(6));
    assert_eq!(checked.bytes(), &[4, 0, b'\\', 0, b'A', 0]);
    assert_eq!(checked.replies().len(), 9);
    assert_eq!(checked.replies()[4], Reply::new(NtStatus::BUFFER_OVERFLOW, 4));
}

#[test]
fn panic_is_reported_with_its_message() {
    let v = violation(IOCTL_DISK_GET_LENGTH_INFO, &[], |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        out[7] = 1; // indexes without checking the length
        Reply::success(8)
    });
    assert_eq!(v.output_len, 0);
    assert!(
        matches!(&v.rule, Rule::Panic { message } if message.contains("index out of bounds")),
        "{v}"
    );
}

#[test]
fn information_past_the_output() {
    // VeraCrypt's anti-pattern (protocol.md §3.2): OVERFLOW with Information = 8 in a short buffer.
    let v = violation(IOCTL_DISK_GET_LENGTH_INFO, &[], |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        match out.get_mut(..8) {
            Some(dst) => {
                dst.fill(1);
                Reply::success(8)
            }
            None => Reply::new(NtStatus::BUFFER_OVERFLOW, 8),
        }
    });
    assert_eq!((v.output_len, &v.rule), (0, &Rule::InformationPastOutput));
}

#[test]
fn error_with_information() {
    assert!(check_handler(|_, _io: IoBuffers<'_>| Reply::error(NtStatus::NOT_SUPPORTED), 1, &[]).is_ok());
    let v = violation(IOCTL_DISK_GET_LENGTH_INFO, &[], |_, io: IoBuffers<'_>| {
        Reply::new(NtStatus::INVALID_PARAMETER, io.output_len().min(2))
    });
    assert_eq!(
        (v.output_len, &v.rule),
        (ContractCheck::FIRST_WHOLE_LEN, &Rule::ErrorWithInformation)
    );
}

#[test]
fn wrote_past_information() {
    // Writes the whole 8-byte value, but reports 4.
    let v = violation(IOCTL_DISK_GET_LENGTH_INFO, &[], |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        if write_fixed(out, &[1; 8]).status.is_error() {
            return Reply::error(NtStatus::BUFFER_TOO_SMALL);
        }
        Reply::success(4)
    });
    assert_eq!(v.rule, Rule::WrotePastInformation { offset: 4 });
    assert_eq!(v.bytes[4], 1);
    assert_eq!(v.bytes[8..].iter().filter(|&&b| b != SENTINEL).count(), 0);
}

#[test]
fn unwritten_bytes_inside_information() {
    // The overflow reply of the MOUNTDEV contract, but without zeroing bytes 2..4.
    let v = violation(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        if (4..6).contains(&out.len()) {
            out[..2].copy_from_slice(&[4, 0]);
            return Reply::new(NtStatus::BUFFER_OVERFLOW, 4);
        }
        counted_name(out)
    });
    assert_eq!((v.output_len, &v.rule), (4, &Rule::UnwrittenOutput { offset: 2 }));
}

#[test]
fn reply_depends_on_the_buffer_contents() {
    let v = violation(IOCTL_DISK_GET_LENGTH_INFO, &[], |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        if out.first() == Some(&SENTINEL) {
            return Reply::error(NtStatus::INVALID_PARAMETER);
        }
        write_fixed(out, &[0; 8])
    });
    assert_eq!(v.output_len, 1);
    assert!(matches!(v.rule, Rule::DependsOnOutputContents { .. }), "{v}");
}

#[test]
fn shared_buffer_differs() {
    // Reads its "input" through the output pointer, as a kernel handler that knows the system
    // buffer is shared might: right in the kernel by accident, wrong for any other caller.
    let input = [7u8, 0, 0, 0];
    let v = violation(IOCTL_DISK_GET_LENGTH_INFO, &input, |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        if out.first() == Some(&7) {
            Reply::success(0)
        } else {
            Reply::error(NtStatus::INVALID_PARAMETER)
        }
    });
    assert_eq!(v.output_len, 1);
    assert_eq!(v.reply, Reply::error(NtStatus::INVALID_PARAMETER));
    let shared = Reply::success(0);
    assert_eq!(
        v.rule,
        Rule::SharedDiffers {
            shared,
            shared_bytes: vec![]
        }
    );
}

#[test]
fn differs_from_the_whole_reply() {
    // Successful at every size >= 8 but with bytes that depend on the size.
    let v = violation(IOCTL_DISK_GET_LENGTH_INFO, &[], |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        let byte = u8::try_from(out.len() % 251).unwrap();
        write_fixed(out, &[byte; 8])
    });
    assert_eq!((v.output_len, &v.rule), (8, &Rule::DiffersFromWholeReply { offset: 0 }));
}

#[test]
fn counted_reply_too_small_to_the_probe() {
    let v = violation(IOCTL_MOUNTDEV_QUERY_UNIQUE_ID, &[], |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        if out.len() < 6 {
            return Reply::error(NtStatus::BUFFER_TOO_SMALL);
        }
        write_counted(out, 4, &[4, 0], b"abcd")
    });
    let expected = Reply::new(NtStatus::BUFFER_OVERFLOW, 4);
    assert_eq!((v.output_len, &v.rule), (4, &Rule::CountedReply { expected }));
    assert_eq!(v.reply, Reply::error(NtStatus::BUFFER_TOO_SMALL));
}

#[test]
fn counted_reply_warning_below_sizeof() {
    // VeraCrypt's anti-pattern: OVERFLOW below sizeof (with Information 0 to pass the generic rule).
    let v = violation(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        if out.len() < 4 {
            return Reply::new(NtStatus::BUFFER_OVERFLOW, 0);
        }
        counted_name(out)
    });
    let expected = Reply::error(NtStatus::BUFFER_TOO_SMALL);
    assert_eq!((v.output_len, &v.rule), (0, &Rule::CountedReply { expected }));
}

#[test]
fn counted_length_field_wrong_in_the_probe_reply() {
    // The overflow header says 2 bytes, the whole reply needs 4.
    let v = violation(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        if (4..6).contains(&out.len()) {
            out[..4].copy_from_slice(&[2, 0, 0, 0]);
            return Reply::new(NtStatus::BUFFER_OVERFLOW, 4);
        }
        counted_name(out)
    });
    assert_eq!(
        (v.output_len, &v.rule),
        (4, &Rule::CountedLength { field: 2, expected: 4 })
    );
}

#[test]
fn counted_length_field_disagrees_with_information() {
    // NameLength counts a terminator that is not sent: 6 in the field, 4 name bytes.
    let v = violation(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], |_, io: IoBuffers<'_>| {
        write_counted(io.into_output(), 4, &[6, 0], &NAME)
    });
    assert_eq!(v.output_len, ContractCheck::FIRST_WHOLE_LEN);
    assert_eq!(v.rule, Rule::CountedLength { field: 6, expected: 4 });
}

#[test]
fn counted_name_with_a_nul_and_odd_length() {
    let v = violation(IOCTL_MOUNTDEV_QUERY_SUGGESTED_LINK_NAME, &[], |_, io: IoBuffers<'_>| {
        write_counted(io.into_output(), 6, &[0, 0, 6, 0], &[b'\\', 0, b'A', 0, 0, 0])
    });
    let reason = NameError::Nul { index: 2 };
    assert_eq!(v.rule, Rule::CountedName { reason });
    let v = violation(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], |_, io: IoBuffers<'_>| {
        write_counted(io.into_output(), 4, &[3, 0], b"\\\0A")
    });
    assert_eq!(
        v.rule,
        Rule::CountedName {
            reason: NameError::OddByteLength { bytes: 3 }
        }
    );
}

fn property_input() -> Vec<u8> {
    InputShape::PropertyQuery {
        property_id: StoragePropertyQuery::STORAGE_DEVICE_SEEK_PENALTY_PROPERTY,
        query_type: StoragePropertyQuery::PROPERTY_STANDARD_QUERY,
    }
    .to_bytes()
}

const SEEK_PENALTY: [u8; 12] = [12, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0];

#[test]
fn descriptor_probe_answered_with_an_error() {
    // The CryptDisk log's "(8,40)": the 8-byte header probe treated as too small.
    let v = violation(
        IOCTL_STORAGE_QUERY_PROPERTY,
        &property_input(),
        |_, io: IoBuffers<'_>| write_fixed(io.into_output(), &SEEK_PENALTY),
    );
    let expected = Reply::success(8);
    assert_eq!((v.output_len, &v.rule), (8, &Rule::DescriptorProbe { expected }));
    // The contract's own writer passes; an exists query is not a descriptor reply.
    let request = Request {
        code: IOCTL_STORAGE_QUERY_PROPERTY,
        input: property_input(),
    };
    assert!(
        request
            .check(|_, io: IoBuffers<'_>| write_descriptor(io.into_output(), &SEEK_PENALTY))
            .is_ok()
    );
    let exists = InputShape::PropertyQuery {
        property_id: 7,
        query_type: StoragePropertyQuery::PROPERTY_EXISTS_QUERY,
    };
    let request = Request::new(IOCTL_STORAGE_QUERY_PROPERTY, &exists);
    assert!(
        request
            .check(|_, io: IoBuffers<'_>| write_fixed(io.into_output(), &SEEK_PENALTY))
            .is_ok()
    );
}

#[test]
fn descriptor_size_field_wrong() {
    let mut descriptor = SEEK_PENALTY;
    descriptor[4] = 16;
    let v = violation(
        IOCTL_STORAGE_QUERY_PROPERTY,
        &property_input(),
        move |_, io: IoBuffers<'_>| write_descriptor(io.into_output(), &descriptor),
    );
    assert_eq!(v.rule, Rule::DescriptorSize { size: 16, expected: 12 });
}

#[test]
fn violations_display_the_code_size_rule_and_bytes() {
    let v = violation(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        if (4..6).contains(&out.len()) {
            return Reply::error(NtStatus::BUFFER_TOO_SMALL);
        }
        counted_name(out)
    });
    let text = v.to_string();
    assert!(
        text.starts_with("IOCTL_MOUNTDEV_QUERY_DEVICE_NAME with a 4-byte output: counted-reply rule"),
        "{text}"
    );
    assert!(text.ends_with("a5 a5 a5 a5"), "{text}");
}

/// A reply larger than the first try: the kit doubles the buffer until the reply is complete, and
/// still finds a bug at the probe size.
#[test]
#[cfg_attr(miri, ignore = "thousands of output sizes: too slow under Miri")]
fn replies_larger_than_the_first_try() {
    let name: Vec<u8> = "\\Device\\"
        .repeat(200)
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert!(name.len() > 2 * ContractCheck::FIRST_WHOLE_LEN);
    let header = u16::try_from(name.len()).unwrap().to_le_bytes();
    let checked = check_handler(
        |_, io: IoBuffers<'_>| write_counted(io.into_output(), 4, &header, &name),
        IOCTL_MOUNTDEV_QUERY_DEVICE_NAME,
        &[],
    )
    .unwrap();
    assert_eq!(checked.whole(), Reply::success(2 + name.len()));
    assert_eq!(checked.replies().len(), 2 + name.len() + 3);
    let v = violation(IOCTL_MOUNTDEV_QUERY_DEVICE_NAME, &[], |_, io: IoBuffers<'_>| {
        let out = io.into_output();
        if out.len() == 4 {
            return Reply::error(NtStatus::BUFFER_TOO_SMALL);
        }
        write_counted(out, 4, &header, &name)
    });
    assert_eq!(v.output_len, 4);
}
