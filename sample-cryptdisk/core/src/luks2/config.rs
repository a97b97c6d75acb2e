//! Metadata-only changes that need no passphrase (cryptsetup `config`, and the tokens it keeps
//! for other tools): a key slot's [`Priority`], and tokens of an application's own type.
//!
//! Each change rewrites both metadata copies through [`write_metadata`] (crash-safe, `seqid`
//! incremented); nothing else in the JSON changes.

use crate::blockdev::BlockDevice;
use crate::luks2::json::Value;
use crate::luks2::metadata::Priority;
use crate::luks2::write::write_metadata;
use crate::luks2::{Luks2Error, Luks2Header, read_header};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Token ids cryptsetup allows (0 to 31).
pub const MAX_TOKEN_ID: u32 = 31;

/// The prefix of the token types cryptsetup handles itself (and validates); an application's
/// own token must have another type.
pub const RESERVED_TOKEN_PREFIX: &str = "luks2-";

/// Sets the priority of key slot `slot` (cryptsetup `config --priority`): [`Priority::Normal`]
/// removes the member, as cryptsetup does; the others store `0` or `2`.
///
/// # Errors
///
/// [`Luks2Error::SlotInactive`] when no such key slot holds the volume key (nothing written),
/// header and device errors.
pub fn set_priority<D: BlockDevice + ?Sized>(dev: &mut D, slot: u32, priority: Priority) -> Result<(), Luks2Error> {
    let header = read_header(dev)?;
    if !header.metadata.active_keyslots().any(|k| k.id == slot) {
        return Err(Luks2Error::SlotInactive { slot });
    }
    let mut json = header.metadata.json.clone();
    let entry = json
        .get_mut("keyslots")
        .and_then(|k| k.get_mut(&format!("{slot}")))
        .ok_or(Luks2Error::SlotInactive { slot })?;
    match priority {
        Priority::Normal => {
            entry.remove("priority");
        }
        other => {
            entry.insert("priority", Value::number(other.to_json()));
        }
    }
    let mut binary = header.binary.clone();
    write_metadata(dev, &mut binary, &json)
}

/// The first token (lowest id) of type `token_type`, with its id.
///
/// ```
/// use cryptdisk_core::luks2::config::find_token;
/// use cryptdisk_core::luks2::json::Value;
/// let json = Value::parse(br#"{"tokens":{"3":{"type":"x-app","keyslots":[]}}}"#)?;
/// assert_eq!(find_token(&json, "x-app").map(|(id, _)| id), Some(3));
/// assert!(find_token(&json, "luks2-keyring").is_none());
/// # Ok::<(), cryptdisk_core::luks2::json::JsonError>(())
/// ```
pub fn find_token<'a>(json: &'a Value, token_type: &str) -> Option<(u32, &'a Value)> {
    json.get("tokens")?
        .as_object()?
        .iter()
        .filter(|(_, t)| t.get("type").and_then(Value::as_str) == Some(token_type))
        .filter_map(|(id, t)| Some((id.parse::<u32>().ok()?, t)))
        .min_by_key(|(id, _)| *id)
}

/// Stores `members` (besides `type`, and `keyslots`, which is `[]`: the token belongs to no
/// key slot) as the token of type `token_type`: replaces the first token of that type, else
/// takes the lowest free id. Returns the token's id.
///
/// # Errors
///
/// [`Luks2Error::BadOptions`] for a type cryptsetup reserves (`luks2-...`) or empty, or when
/// all 32 token ids are taken (nothing written); header and device errors.
pub fn put_token<D: BlockDevice + ?Sized>(
    dev: &mut D,
    token_type: &str,
    members: Vec<(String, Value)>,
) -> Result<u32, Luks2Error> {
    if token_type.is_empty() || token_type.starts_with(RESERVED_TOKEN_PREFIX) {
        return Err(Luks2Error::BadOptions("token type is empty or reserved by cryptsetup"));
    }
    let header = read_header(dev)?;
    let id = token_id(&header, token_type)?;
    let mut token = alloc::vec![
        (String::from("type"), Value::string(token_type)),
        (String::from("keyslots"), Value::Array(Vec::new())),
    ];
    token.extend(members.into_iter().filter(|(k, _)| k != "type" && k != "keyslots"));
    let mut json = header.metadata.json.clone();
    if json.get("tokens").is_none() {
        json.insert("tokens", Value::Object(Vec::new()));
    }
    json.get_mut("tokens")
        .map(|t| t.insert(&format!("{id}"), Value::Object(token)))
        .filter(|ok| *ok)
        .ok_or(Luks2Error::BadOptions("metadata tokens is not an object"))?;
    let mut binary = header.binary.clone();
    write_metadata(dev, &mut binary, &json)?;
    Ok(id)
}

/// The id for the token of `token_type`: its current one, else the lowest free one.
fn token_id(header: &Luks2Header, token_type: &str) -> Result<u32, Luks2Error> {
    let json = &header.metadata.json;
    if let Some((id, _)) = find_token(json, token_type) {
        return Ok(id);
    }
    let taken: Vec<&str> = json
        .get("tokens")
        .and_then(Value::as_object)
        .map(|t| t.iter().map(|(k, _)| k.as_str()).collect())
        .unwrap_or_default();
    (0..=MAX_TOKEN_ID)
        .find(|i| !taken.contains(&format!("{i}").as_str()))
        .ok_or(Luks2Error::BadOptions("all 32 token ids are taken"))
}
