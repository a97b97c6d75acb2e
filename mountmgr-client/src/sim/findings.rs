//! Conformance findings: each protocol rule a volume broke while the simulated mount manager
//! talked to it, with the rule and the `protocol.md` section it comes from.

use alloc::string::String;
use core::fmt;

/// A protocol rule a volume (or a driver's request) can break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// A counted name holds a NUL unit, e.g. a length that counts the terminator.
    NulInName,
    /// A UTF-16 name length field is odd.
    OddNameLength,
    /// An error other than `STATUS_BUFFER_OVERFLOW` answered an output of at least the C
    /// `sizeof`: the mount manager does not retry and abandons the volume.
    TooSmallBufferStatus,
    /// `Information` larger than the output buffer: the I/O manager would copy past it.
    InformationExceedsBuffer,
    /// `STATUS_BUFFER_OVERFLOW` without a length field that asks for more than was offered.
    OverflowWithoutLength,
    /// `STATUS_BUFFER_OVERFLOW` with `Information` other than the C `sizeof`.
    OverflowInformation,
    /// `STATUS_SUCCESS` with fewer bytes than the reply's own length field announces.
    SuccessWithoutData,
    /// A suggested link that was meant as a drive letter but is not one (lowercase, or longer
    /// than 28 bytes such as `\DosDevices\Z:\0`).
    SuggestedLinkNotDriveLetter,
    /// The unique ID differs between two queries of the same device object.
    UniqueIdChanged,
    /// A unique ID of zero bytes: the database would key the volume with nothing.
    EmptyUniqueId,
    /// `UNIQUE_ID_CHANGE_NOTIFY` completed with success but no valid change record.
    ChangeNotifyGarbage,
    /// The device name the volume reports differs from the name it was opened by.
    DeviceNameMismatch,
    /// A mandatory MOUNTDEV query (device name, unique ID) failed outright.
    MandatoryQueryFailed,
    /// `LINK_CREATED` / `LINK_DELETED` failed; a volume should accept both codes.
    LinkNotificationFailed,
}

impl Rule {
    /// The `protocol.md` sections the rule comes from.
    pub const fn section(self) -> &'static str {
        match self {
            Self::NulInName => "§2.1, §8.1",
            Self::OddNameLength => "§2.1",
            Self::TooSmallBufferStatus => "§3.2, §3.3",
            Self::InformationExceedsBuffer => "§3.1",
            Self::OverflowWithoutLength | Self::OverflowInformation | Self::SuccessWithoutData => "§3.2",
            Self::SuggestedLinkNotDriveLetter => "§2.18, §4.3",
            Self::UniqueIdChanged | Self::EmptyUniqueId => "§4.5",
            Self::ChangeNotifyGarbage => "§1.2",
            Self::DeviceNameMismatch => "§4.2, §7",
            Self::MandatoryQueryFailed => "§1.2, §3.3",
            Self::LinkNotificationFailed => "§1.2, §8.11",
        }
    }

    /// The rule in a few words.
    pub const fn summary(self) -> &'static str {
        match self {
            Self::NulInName => "NUL inside a counted name",
            Self::OddNameLength => "odd UTF-16 name length",
            Self::TooSmallBufferStatus => "wrong status for a too-small output buffer",
            Self::InformationExceedsBuffer => "Information larger than the output buffer",
            Self::OverflowWithoutLength => "BUFFER_OVERFLOW without the length field filled",
            Self::OverflowInformation => "BUFFER_OVERFLOW with Information other than sizeof",
            Self::SuccessWithoutData => "success without the data it announces",
            Self::SuggestedLinkNotDriveLetter => "suggested drive letter is not a drive letter",
            Self::UniqueIdChanged => "unique ID changed between queries",
            Self::EmptyUniqueId => "empty unique ID",
            Self::ChangeNotifyGarbage => "UNIQUE_ID_CHANGE_NOTIFY succeeded with garbage",
            Self::DeviceNameMismatch => "reported device name differs from the registered name",
            Self::MandatoryQueryFailed => "mandatory MOUNTDEV query failed",
            Self::LinkNotificationFailed => "link notification refused",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.summary())
    }
}

/// One broken rule: which, where in `protocol.md`, which device, and what exactly happened.
///
/// ```
/// use mountmgr_client::sim::{Finding, Rule};
/// let finding = Finding::new(Rule::NulInName, "\\Device\\X", "QUERY_DEVICE_NAME returned ...");
/// assert_eq!(finding.section, "§2.1, §8.1");
/// assert!(finding.to_string().starts_with("[§2.1, §8.1] NUL inside a counted name: \\Device\\X"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Where the rule is written (`protocol.md` sections).
    pub section: &'static str,
    /// The device (or, for a request, the name) concerned.
    pub device: String,
    /// What happened, with the values seen.
    pub detail: String,
}

impl Finding {
    /// A finding of `rule` about `device`.
    pub fn new(rule: Rule, device: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            rule,
            section: rule.section(),
            device: device.into(),
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {}: {}: {}",
            self.section,
            self.rule.summary(),
            self.device,
            self.detail
        )
    }
}
