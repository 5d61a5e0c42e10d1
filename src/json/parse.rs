//! Strict RFC 8259 parser. Rejects what Go's `encoding/json` rejects when decoding into
//! `interface{}` (numbers outside float64, invalid escapes) plus lone UTF-16 surrogates,
//! and never recurses deeper than `Limits::max_depth` so hostile input cannot exhaust the
//! wasm stack.

use super::value::Value;
use super::Json;
use std::borrow::Cow;
use std::fmt;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 128,
            max_bytes: 1 << 20,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    /// Byte offset where the problem was found.
    pub offset: usize,
    pub reason: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.reason, self.offset)
    }
}

pub fn parse(text: &str) -> Result<Json, ParseError> {
    parse_with_limits(text, Limits::default())
}

pub fn parse_with_limits(text: &str, limits: Limits) -> Result<Json, ParseError> {
    parse_value(text, limits).map(Value::into_owned)
}

/// Parses into a borrowed tree: strings without escapes point into `text` (no copies), which
/// is what makes signing cheap.
pub fn parse_value(text: &str, limits: Limits) -> Result<Value<'_>, ParseError> {
    let mut p = Parser::new(text, limits)?;
    let value = p.value(0)?;
    p.finish()?;
    Ok(value)
}

/// The tokenizer behind `parse_value`, shared with the one-pass canonical writer
/// (`canonical_text`) so that both accept and reject exactly the same texts.
/// What starts a JSON value: a scalar read whole, or the opening bracket of a container.
pub(super) enum Token<'a> {
    Object,
    Array,
    String(Cow<'a, str>),
    /// The literal exactly as written (validated, within float64's range).
    Number(&'a str),
    Bool(bool),
    Null,
}

pub(super) struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    limits: Limits,
}

impl<'a> Parser<'a> {
    /// A parser positioned at the first value of `text` (leading whitespace skipped).
    pub(super) fn new(text: &'a str, limits: Limits) -> Result<Parser<'a>, ParseError> {
        if text.len() > limits.max_bytes {
            return Err(ParseError {
                offset: limits.max_bytes,
                reason: "input is larger than the size limit",
            });
        }
        let mut p = Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            limits,
        };
        p.skip_ws();
        Ok(p)
    }

    /// Checks that only whitespace follows the value just read.
    pub(super) fn finish(&mut self) -> Result<(), ParseError> {
        self.skip_ws();
        if self.pos != self.bytes.len() {
            return Err(self.error("unexpected text after the JSON value"));
        }
        Ok(())
    }

    fn error(&self, reason: &'static str) -> ParseError {
        ParseError {
            offset: self.pos,
            reason,
        }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(super) fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect_literal(&mut self, word: &'static [u8]) -> Result<(), ParseError> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("invalid literal"))
        }
    }

    /// Refuses a value nested deeper than the limit.
    pub(super) fn check_depth(&self, depth: usize) -> Result<(), ParseError> {
        if depth > self.limits.max_depth {
            return Err(self.error("nesting is deeper than the limit"));
        }
        Ok(())
    }

    /// Reads the start of the value at the cursor: a whole scalar, or just the `{` / `[` of a
    /// container, whose members the caller then reads with `members` / `elements`.
    pub(super) fn token(&mut self, depth: usize) -> Result<Token<'a>, ParseError> {
        self.check_depth(depth)?;
        match self.peek() {
            None => Err(self.error("unexpected end of input")),
            Some(b'{') => Ok(Token::Object),
            Some(b'[') => Ok(Token::Array),
            Some(b'"') => self.string().map(Token::String),
            Some(b't') => self.expect_literal(b"true").map(|()| Token::Bool(true)),
            Some(b'f') => self.expect_literal(b"false").map(|()| Token::Bool(false)),
            Some(b'n') => self.expect_literal(b"null").map(|()| Token::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Token::Number),
            Some(b'N' | b'I') => Err(self.error("NaN and Infinity are not JSON numbers")),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    /// Reads an object from its `{` to its `}`, calling `member` to read each member (with
    /// `key` or `plain_key`, then the value).
    pub(super) fn members(
        &mut self,
        mut member: impl FnMut(&mut Self) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            member(self)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.error("expected ',' or '}' in an object")),
            }
        }
    }

    /// Reads a member's key and its `:`, leaving the cursor on the value.
    pub(super) fn key(&mut self) -> Result<Cow<'a, str>, ParseError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string key"));
        }
        let key = self.string()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.error("expected ':' after an object key"));
        }
        self.pos += 1;
        self.skip_ws();
        Ok(key)
    }

    /// `key` for the common case of a plainly written key directly followed by `:`: returns
    /// the key as written, quotes included, and leaves the cursor after the `:` (whitespace
    /// before the value not skipped); otherwise `None` (cursor unmoved).
    pub(super) fn plain_key(&mut self, stop: &[bool; 256]) -> Option<&'a str> {
        let start = self.pos;
        let key = self.plain_string(stop)?;
        if self.peek() == Some(b':') {
            self.pos += 1;
            return Some(key);
        }
        self.pos = start;
        None
    }

    /// The string at the cursor as written, quotes included, when none of its bytes is in
    /// `stop` (which must hold `"`, `\\` and the control characters: such a string has no
    /// escapes and is valid as it stands); otherwise `None` (cursor unmoved).
    pub(super) fn plain_string(&mut self, stop: &[bool; 256]) -> Option<&'a str> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let rest = self.bytes.get(self.pos + 1..)?;
        let len = rest
            .iter()
            .position(|&b| stop.get(usize::from(b)).copied().unwrap_or(true))?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        let text = self.text.get(self.pos..self.pos + len + 2)?;
        self.pos += len + 2;
        Some(text)
    }

    /// The cursor, as a byte offset into the text.
    pub(super) fn offset(&self) -> usize {
        self.pos
    }

    /// Reads an array from its `[` to its `]`, calling `element` to read each item.
    pub(super) fn elements(
        &mut self,
        mut element: impl FnMut(&mut Self) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            element(self)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.error("expected ',' or ']' in an array")),
            }
        }
    }

    /// The borrowed tree of the value at the cursor.
    fn value(&mut self, depth: usize) -> Result<Value<'a>, ParseError> {
        Ok(match self.token(depth)? {
            Token::Object => {
                let mut entries = Vec::with_capacity(8);
                self.members(|p| {
                    let key = p.key()?;
                    entries.push((key, p.value(depth + 1)?));
                    Ok(())
                })?;
                Value::Object(entries)
            }
            Token::Array => {
                let mut items = Vec::new();
                self.elements(|p| {
                    items.push(p.value(depth + 1)?);
                    Ok(())
                })?;
                Value::Array(items)
            }
            Token::String(s) => Value::String(s),
            Token::Number(literal) => Value::Number(literal),
            Token::Bool(b) => Value::Bool(b),
            Token::Null => Value::Null,
        })
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A validated number literal, borrowed from the input.
    pub(super) fn number(&mut self) -> Result<&'a str, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error("numbers must not have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("expected digits after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected digits in the exponent"));
            }
        }
        let literal = self
            .text
            .get(start..self.pos)
            .ok_or_else(|| self.error("invalid number"))?;
        // Go decodes numbers into float64 and rejects those that overflow it.
        if !super::number::fits_float64(literal) {
            return Err(ParseError {
                offset: start,
                reason: "number is out of the float64 range",
            });
        }
        Ok(literal)
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let chunk = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("truncated \\u escape"))?;
        let mut value = 0u32;
        for &b in chunk {
            let digit = (b as char)
                .to_digit(16)
                .ok_or_else(|| self.error("invalid \\u escape"))?;
            value = value * 16 + digit;
        }
        self.pos += 4;
        Ok(value)
    }

    fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        self.pos += 1;
        let start = self.pos;
        // Fast path: no escapes, so the string is a slice of the (valid UTF-8) input.
        let rest = self.bytes.get(start..).unwrap_or_default();
        let run = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .unwrap_or(rest.len());
        self.pos += run;
        match self.peek() {
            Some(b'"') => {
                let slice = self
                    .text
                    .get(start..self.pos)
                    .ok_or_else(|| self.error("invalid UTF-8"))?;
                self.pos += 1;
                return Ok(Cow::Borrowed(slice));
            }
            Some(b) if b < 0x20 => return Err(self.error("control character inside a string")),
            _ => {}
        }
        let mut out = String::from(self.text.get(start..self.pos).unwrap_or_default());
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(
                self.text
                    .get(run_start..self.pos)
                    .ok_or_else(|| self.error("invalid UTF-8"))?,
            );
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("control character inside a string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let c = self
            .peek()
            .ok_or_else(|| self.error("unterminated escape"))?;
        self.pos += 1;
        match c {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                            return Err(self.error("lone UTF-16 surrogate in \\u escape"));
                        }
                        self.pos += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.error("lone UTF-16 surrogate in \\u escape"));
                        }
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => {
                        return Err(self.error("lone UTF-16 surrogate in \\u escape"))
                    }
                    other => other,
                };
                out.push(char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))?);
            }
            _ => return Err(self.error("invalid escape")),
        }
        Ok(())
    }
}
