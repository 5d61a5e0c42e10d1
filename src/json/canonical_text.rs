//! The canonical form written in one pass over JSON text, without building a tree: what
//! `tarlanSign` and `canonicalJson` use. It reads with the same tokenizer as `parse_value`, so
//! it accepts and rejects exactly the same texts, and tests/signing.rs holds its output
//! byte-identical to the tree writer in `canonical.rs`.
//!
//! A top-level member that Go prints exactly as it is written (`"key":value` with a plain key
//! and a plain string, a number in its shortest form, or a literal) stays a slice of the
//! input; any other member is written, canonical, into a side buffer. The members are then
//! sorted by key and handed to the sink in order. Compact bodies (what `JSON.stringify`
//! makes) thus cost one scan and one copy.

use super::canonical::{write_go_string, NEEDS_ESCAPE};
use super::number::{canonical_number_into, is_canonical};
use super::parse::{Limits, ParseError, Parser, Token};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Decides which top-level members of an object are written, given the key and the
/// canonical text of the value (`""` for an empty string).
pub type KeepMember<'k> = &'k dyn Fn(&str, &str) -> bool;

/// Receives canonical text piece by piece.
pub trait Sink {
    fn put(&mut self, text: &str);
}

impl Sink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }
}

/// Writes the canonical text of the JSON document `text` to `sink`. When the document is an
/// object, only the top-level members `keep` accepts are written (after duplicate keys are
/// resolved: the last one wins, as in Go). Nothing reaches the sink unless the whole text is
/// valid.
pub fn write_canonical_text(
    text: &str,
    limits: Limits,
    keep: KeepMember<'_>,
    sink: &mut impl Sink,
) -> Result<(), ParseError> {
    let mut p = Parser::new(text, limits)?;
    let mut writer = Writer {
        members: Vec::new(),
        scratch: String::new(),
        out: String::new(),
    };
    if p.peek() != Some(b'{') {
        writer.value(&mut p, 0)?;
        p.finish()?;
        sink.put(&writer.out);
        return Ok(());
    }
    let mut top = Vec::with_capacity(16);
    p.members(|p| writer.top_member(p, &mut top))?;
    p.finish()?;
    sort_by_key(&mut top);
    sink.put("{");
    let mut first = true;
    for (i, member) in top.iter().enumerate() {
        let overridden = top.get(i + 1).is_some_and(|next| next.same_key(member));
        let source = match member.source {
            Source::Input => text,
            Source::Written => writer.out.as_str(),
        };
        let piece = |from: usize| source.get(from..member.end).unwrap_or_default();
        if overridden || !keep(&member.key, piece(member.value)) {
            continue;
        }
        if !first {
            sink.put(",");
        }
        first = false;
        sink.put(piece(member.start));
    }
    sink.put("}");
    Ok(())
}

/// A member of an object: its decoded key (what Go sorts by) and where its `"key":value`
/// text and its value text start, and where both end, in `source`.
struct Member<'a> {
    key: Cow<'a, str>,
    /// The key's first 8 bytes as a big-endian number, zero-padded: keys whose prefixes differ
    /// compare as their prefixes do, so most comparisons need not look at the keys.
    order: u64,
    source: Source,
    start: usize,
    value: usize,
    end: usize,
}

impl<'a> Member<'a> {
    fn new(key: Cow<'a, str>, source: Source, start: usize, value: usize, end: usize) -> Self {
        let mut prefix = [0u8; 8];
        for (slot, byte) in prefix.iter_mut().zip(key.bytes()) {
            *slot = byte;
        }
        Member {
            order: u64::from_be_bytes(prefix),
            key,
            source,
            start,
            value,
            end,
        }
    }

    fn same_key(&self, other: &Member) -> bool {
        self.order == other.order && self.key == other.key
    }
}

/// Byte-wise key order, as Go sorts map keys.
fn by_key(a: &Member, b: &Member) -> Ordering {
    a.order.cmp(&b.order).then_with(|| a.key.cmp(&b.key))
}

/// Sorts members by key, stably: among equal keys the input order survives, so the last one
/// is the latest. (One sort for every object: each `sort_by` instance costs ~7 KB of wasm.)
fn sort_by_key(members: &mut [Member]) {
    members.sort_by(by_key);
}

#[derive(Clone, Copy)]
enum Source {
    /// The member is canonical as written: offsets into the input text.
    Input,
    /// The member was rewritten: offsets into `Writer::out`.
    Written,
}

struct Writer<'a> {
    /// The members of the nested objects being read, the innermost object's last.
    members: Vec<Member<'a>>,
    /// Holds a nested object's members while they are written back in key order.
    scratch: String,
    /// Canonical text of everything that is not copied from the input.
    out: String,
}

impl<'a> Writer<'a> {
    /// Reads one top-level member, keeping it as a slice of the input when it is canonical
    /// as written.
    fn top_member(
        &mut self,
        p: &mut Parser<'a>,
        top: &mut Vec<Member<'a>>,
    ) -> Result<(), ParseError> {
        let start = p.offset();
        if let Some(quoted) = p.plain_key(&NEEDS_ESCAPE) {
            let key = Cow::Borrowed(quoted.get(1..quoted.len() - 1).unwrap_or_default());
            let value = p.offset();
            p.check_depth(1)?;
            let verbatim = match p.peek() {
                Some(b'"') => p.plain_string(&NEEDS_ESCAPE).is_some(),
                Some(b'-' | b'0'..=b'9') => {
                    let literal = p.number()?;
                    if !is_canonical(literal) {
                        let written = self.out.len();
                        self.out.push_str(quoted);
                        self.out.push(':');
                        canonical_number_into(literal, &mut self.out);
                        let value = written + quoted.len() + 1;
                        let end = self.out.len();
                        top.push(Member::new(key, Source::Written, written, value, end));
                        return Ok(());
                    }
                    true
                }
                Some(b't' | b'f' | b'n') => {
                    p.token(1)?;
                    true
                }
                _ => false,
            };
            if verbatim {
                let end = p.offset();
                top.push(Member::new(key, Source::Input, start, value, end));
                return Ok(());
            }
            p.skip_ws();
            return self.written_top_member(p, key, top);
        }
        let key = p.key()?;
        self.written_top_member(p, key, top)
    }

    /// A top-level member whose canonical text differs from the input, written into `out`.
    fn written_top_member(
        &mut self,
        p: &mut Parser<'a>,
        key: Cow<'a, str>,
        top: &mut Vec<Member<'a>>,
    ) -> Result<(), ParseError> {
        let start = self.out.len();
        write_go_string(&key, &mut self.out);
        self.out.push(':');
        let value = self.out.len();
        self.value(p, 1)?;
        let end = self.out.len();
        top.push(Member::new(key, Source::Written, start, value, end));
        Ok(())
    }

    /// Writes the canonical text of the value at the cursor into `out`.
    fn value(&mut self, p: &mut Parser<'a>, depth: usize) -> Result<(), ParseError> {
        match p.token(depth)? {
            Token::Object => return self.object(p, depth),
            Token::Array => {
                self.out.push('[');
                let mut first = true;
                p.elements(|p| {
                    if !first {
                        self.out.push(',');
                    }
                    first = false;
                    self.value(p, depth + 1)
                })?;
                self.out.push(']');
            }
            Token::String(s) => write_go_string(&s, &mut self.out),
            Token::Number(literal) => canonical_number_into(literal, &mut self.out),
            Token::Bool(true) => self.out.push_str("true"),
            Token::Bool(false) => self.out.push_str("false"),
            Token::Null => self.out.push_str("null"),
        }
        Ok(())
    }

    /// A nested object: its members are written as they come, then put in key order.
    fn object(&mut self, p: &mut Parser<'a>, depth: usize) -> Result<(), ParseError> {
        let base = self.members.len();
        let open = self.out.len();
        self.out.push('{');
        p.members(|p| {
            let key = p.key()?;
            if self.members.len() > base {
                self.out.push(',');
            }
            let start = self.out.len();
            write_go_string(&key, &mut self.out);
            self.out.push(':');
            let value = self.out.len();
            self.value(p, depth + 1)?;
            let end = self.out.len();
            let member = Member::new(key, Source::Written, start, value, end);
            self.members.push(member);
            Ok(())
        })?;
        self.out.push('}');
        self.put_in_order(open, base);
        self.members.truncate(base);
        Ok(())
    }

    /// Rewrites the object written from `open` (whose members are `members[base..]`) with its
    /// members sorted byte-wise by key and the last of duplicate keys kept.
    fn put_in_order(&mut self, open: usize, base: usize) {
        let members = self.members.get_mut(base..).unwrap_or_default();
        if members
            .windows(2)
            .all(|pair| matches!(pair, [a, b] if by_key(a, b) == Ordering::Less))
        {
            return;
        }
        sort_by_key(members);
        let out = &mut self.out;
        let scratch = &mut self.scratch;
        scratch.clear();
        scratch.push_str(out.get(open..).unwrap_or_default());
        out.truncate(open);
        out.push('{');
        let mut first = true;
        for (i, m) in members.iter().enumerate() {
            if members.get(i + 1).is_some_and(|next| next.same_key(m)) {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(
                scratch
                    .get(m.start - open..m.end - open)
                    .unwrap_or_default(),
            );
        }
        out.push('}');
    }
}
