//! A small JSON reader and writer for the LUKS2 metadata area (RFC 8259, `no_std` + `alloc`).
//!
//! Objects keep their members in document order (so a header written back keeps unmodelled
//! members such as tokens where they were); numbers keep their text and are read as `u64` on
//! demand (LUKS2 stores every large value as a decimal string, small ones as integers).
//! Nesting is limited to [`MAX_DEPTH`] levels, so a hostile metadata area cannot exhaust the
//! stack; nothing here panics. Parsing allocates fallibly: with no memory it fails with
//! [`JsonError::OUT_OF_MEMORY`] (the kernel driver parses the metadata on MOUNT).

use crate::luks2::fallible::{try_extend, try_push, try_string};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Deepest nesting of arrays and objects accepted (LUKS2 metadata uses 4).
pub const MAX_DEPTH: usize = 32;

/// A JSON value.
///
/// ```
/// use cryptdisk_core::luks2::json::Value;
/// let v = Value::parse(br#"{"a": [1, "2", true, null], "b": {}}"#)?;
/// assert_eq!(v.get("a").and_then(|a| a.as_array()).map(|a| a.len()), Some(4));
/// assert_eq!(v.to_text(), r#"{"a":[1,"2",true,null],"b":{}}"#);
/// # Ok::<(), cryptdisk_core::luks2::json::JsonError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (validated JSON number syntax).
    Number(String),
    /// A string (unescaped).
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in document order.
    Object(Vec<(String, Value)>),
}

/// Why a metadata area is not valid JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What was wrong.
    pub reason: &'static str,
}

impl JsonError {
    /// The [`reason`](Self::reason) of a parse that ran out of memory (not a fault of the text).
    pub const OUT_OF_MEMORY: &'static str = "out of memory";

    /// Whether the parse failed for lack of memory rather than because of the text.
    ///
    /// ```
    /// use cryptdisk_core::luks2::json::Value;
    /// assert!(!Value::parse(b"[").unwrap_err().is_out_of_memory());
    /// ```
    pub fn is_out_of_memory(&self) -> bool {
        self.reason == Self::OUT_OF_MEMORY
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at byte {}: {}", self.offset, self.reason)
    }
}

impl core::error::Error for JsonError {}

struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn fail<T>(&self, reason: &'static str) -> Result<T, JsonError> {
        Err(JsonError {
            offset: self.pos,
            reason,
        })
    }

    fn oom<T>(&self) -> Result<T, JsonError> {
        self.fail(JsonError::OUT_OF_MEMORY)
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos = self.pos.saturating_add(1);
        Some(b)
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos = self.pos.saturating_add(1);
        }
    }

    fn expect_word(&mut self, word: &[u8]) -> Result<(), JsonError> {
        let end = self.pos.saturating_add(word.len());
        if self.text.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            self.fail("unexpected token")
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.skip_ws();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b't') => self.expect_word(b"true").map(|()| Value::Bool(true)),
            Some(b'f') => self.expect_word(b"false").map(|()| Value::Bool(false)),
            Some(b'n') => self.expect_word(b"null").map(|()| Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.fail("unexpected character"),
            None => self.fail("unexpected end"),
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        if depth >= MAX_DEPTH {
            return self.fail("nested too deeply");
        }
        Ok(depth.saturating_add(1))
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        let depth = self.enter(depth)?;
        self.bump();
        let mut members: Vec<(String, Value)> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return self.fail("expected a member name");
            }
            let key = self.string()?;
            if members.iter().any(|(k, _)| *k == key) {
                return self.fail("duplicate member name");
            }
            self.skip_ws();
            if self.bump() != Some(b':') {
                return self.fail("expected ':'");
            }
            let v = self.value(depth)?;
            if try_push(&mut members, (key, v)).is_err() {
                return self.oom();
            }
            self.skip_ws();
            match self.bump() {
                Some(b',') => {}
                Some(b'}') => return Ok(Value::Object(members)),
                _ => return self.fail("expected ',' or '}'"),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        let depth = self.enter(depth)?;
        self.bump();
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(Value::Array(items));
        }
        loop {
            let item = self.value(depth)?;
            if try_push(&mut items, item).is_err() {
                return self.oom();
            }
            self.skip_ws();
            match self.bump() {
                Some(b',') => {}
                Some(b']') => return Ok(Value::Array(items)),
                _ => return self.fail("expected ',' or ']'"),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos = self.pos.saturating_add(1);
        }
        self.pos.saturating_sub(start)
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        let int_start = self.pos;
        let n = self.digits();
        if n == 0 || (n > 1 && self.text.get(int_start) == Some(&b'0')) {
            return self.fail("malformed number");
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if self.digits() == 0 {
                return self.fail("malformed number");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            if self.digits() == 0 {
                return self.fail("malformed number");
            }
        }
        let raw = self.text.get(start..self.pos).unwrap_or(&[]);
        let text = core::str::from_utf8(raw).map_err(|_| JsonError {
            offset: start,
            reason: "malformed number",
        })?;
        try_string(text).map(Value::Number).or_else(|_| self.oom())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.bump() {
                Some(c @ b'0'..=b'9') => c.wrapping_sub(b'0'),
                Some(c @ b'a'..=b'f') => c.wrapping_sub(b'a').wrapping_add(10),
                Some(c @ b'A'..=b'F') => c.wrapping_sub(b'A').wrapping_add(10),
                _ => return self.fail("bad \\u escape"),
            };
            v = (v << 4) | u32::from(d);
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.bump(); // opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.bump() {
                None => return self.fail("unterminated string"),
                Some(b'"') => break,
                Some(b'\\') => {
                    let c = match self.bump() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return self.fail("bad escape"),
                    };
                    let mut tmp = [0u8; 4];
                    if try_extend(&mut out, c.encode_utf8(&mut tmp).as_bytes()).is_err() {
                        return self.oom();
                    }
                }
                Some(c) if c < 0x20 => return self.fail("control character in string"),
                Some(c) => {
                    if try_push(&mut out, c).is_err() {
                        return self.oom();
                    }
                }
            }
        }
        String::from_utf8(out).or_else(|_| self.fail("string is not UTF-8"))
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            self.expect_word(b"\\u")?;
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return self.fail("unpaired surrogate");
            }
            0x10000u32
                .saturating_add((hi.saturating_sub(0xD800)) << 10)
                .saturating_add(lo.saturating_sub(0xDC00))
        } else {
            hi
        };
        char::from_u32(code).map_or_else(|| self.fail("bad \\u escape"), Ok)
    }
}

impl Value {
    /// Parses one JSON value filling `text` (surrounding whitespace allowed).
    ///
    /// # Errors
    ///
    /// [`JsonError`] with the offset of the first problem (also for trailing garbage, duplicate
    /// member names and nesting deeper than [`MAX_DEPTH`]); with no memory, one whose reason is
    /// [`JsonError::OUT_OF_MEMORY`].
    ///
    /// ```
    /// use cryptdisk_core::luks2::json::Value;
    /// assert!(Value::parse(b"{\"a\":1,}").is_err());
    /// assert!(Value::parse(b"[1] x").is_err());
    /// ```
    pub fn parse(text: &[u8]) -> Result<Self, JsonError> {
        let mut p = Parser { text, pos: 0 };
        let v = p.value(0)?;
        p.skip_ws();
        if p.pos != text.len() {
            return p.fail("trailing characters after the value");
        }
        Ok(v)
    }

    /// The member `key` of an object (`None` for other values or a missing member).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Self::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The member `key` of an object, mutable.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Self::Object(m) => m.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets member `key` of an object (replacing it in place, or appending it); `false` when
    /// `self` is not an object.
    ///
    /// ```
    /// use cryptdisk_core::luks2::json::Value;
    /// let mut v = Value::parse(br#"{"a":1}"#)?;
    /// assert!(v.insert("b", Value::Bool(true)));
    /// assert!(v.insert("a", Value::Null));
    /// assert_eq!(v.remove("b"), Some(Value::Bool(true)));
    /// assert_eq!(v.to_text(), r#"{"a":null}"#);
    /// # Ok::<(), cryptdisk_core::luks2::json::JsonError>(())
    /// ```
    pub fn insert(&mut self, key: &str, value: Value) -> bool {
        let Self::Object(m) = self else {
            return false;
        };
        match m.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => m.push((String::from(key), value)),
        }
        true
    }

    /// Removes member `key` of an object.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let Self::Object(m) = self else {
            return None;
        };
        let i = m.iter().position(|(k, _)| k == key)?;
        Some(m.remove(i).1)
    }

    /// A string value.
    pub fn string(s: &str) -> Self {
        Self::String(String::from(s))
    }

    /// An integer value written as a JSON number.
    pub fn number(n: u64) -> Self {
        Self::Number(alloc::format!("{n}"))
    }

    /// An integer value written as a decimal string (LUKS2's form for 64-bit values).
    pub fn decimal(n: u64) -> Self {
        Self::String(alloc::format!("{n}"))
    }

    /// An object from `(name, value)` pairs.
    pub fn object<const N: usize>(members: [(&str, Value); N]) -> Self {
        Self::Object(members.into_iter().map(|(k, v)| (String::from(k), v)).collect())
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Self::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Self::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// A non-negative integer, written as a JSON number or (the LUKS2 way for 64-bit values) as
    /// a string of decimal digits.
    ///
    /// ```
    /// use cryptdisk_core::luks2::json::Value;
    /// assert_eq!(Value::parse(b"\"16777216\"")?.as_u64(), Some(16_777_216));
    /// assert_eq!(Value::parse(b"4000")?.as_u64(), Some(4000));
    /// assert_eq!(Value::parse(b"-1")?.as_u64(), None);
    /// assert_eq!(Value::parse(b"\"18446744073709551616\"")?.as_u64(), None);
    /// # Ok::<(), cryptdisk_core::luks2::json::JsonError>(())
    /// ```
    pub fn as_u64(&self) -> Option<u64> {
        let text = match self {
            Self::Number(t) | Self::String(t) => t.as_str(),
            _ => return None,
        };
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    }

    /// Serializes compactly (no whitespace), members in order.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(true) => out.push_str("true"),
            Self::Bool(false) => out.push_str("false"),
            Self::Number(t) => out.push_str(t),
            Self::String(s) => write_string(out, s),
            Self::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            Self::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let v = u32::from(c);
                out.push_str("\\u00");
                for shift in [4u32, 0] {
                    let d = (v >> shift) & 0xF;
                    out.push(char::from_digit(d, 16).unwrap_or('0'));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_escapes() {
        let v = Value::parse(br#" {"k\u00e9": ["a\"b\\c\n", -1.5e3, false], "z": {"y": null}} "#).unwrap();
        let t = v.to_text();
        assert_eq!(t, "{\"k\u{e9}\":[\"a\\\"b\\\\c\\n\",-1.5e3,false],\"z\":{\"y\":null}}");
        assert_eq!(Value::parse(t.as_bytes()).unwrap(), v);
        assert_eq!(
            Value::parse(br#""\ud83d\ude00""#).unwrap(),
            Value::String("\u{1F600}".into())
        );
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            &b""[..],
            b"{",
            b"{\"a\"}",
            b"{\"a\":1 \"b\":2}",
            b"[01]",
            b"1.",
            b"\"\\x\"",
            b"\"\\ud800\"",
            b"\"a\nb\"",
            b"{\"a\":1,\"a\":2}",
            b"nul",
            b"\"\xff\"",
        ] {
            assert!(Value::parse(bad).is_err(), "{:?}", core::str::from_utf8(bad));
        }
        let deep: Vec<u8> = core::iter::repeat_n(b'[', 10_000).collect();
        assert_eq!(Value::parse(&deep).unwrap_err().reason, "nested too deeply");
        let ok: Vec<u8> = [vec![b'['; MAX_DEPTH], vec![b']'; MAX_DEPTH]].concat();
        assert!(Value::parse(&ok).is_ok());
    }
}
