//! The canonical form written in one pass over JSON text, without building a tree: what
//! `tarlanSign` and `canonicalJson` use. Each object's `"key":value` pieces are written as they
//! are read and put in key order afterwards (nothing to do when they came sorted). It reads
//! with the same tokenizer as `parse_value`, so it accepts and rejects exactly the same texts,
//! and tests/signing.rs holds it byte-identical to the tree writer in `canonical.rs`.

use super::canonical::write_go_string;
use super::number::canonical_number_into;
use super::parse::{Limits, ParseError, Parser, Token};
use std::borrow::Cow;

/// Decides which top-level members of an object are written, given the key and the
/// canonical text of the value (`""` for an empty string).
pub type KeepMember<'k> = &'k dyn Fn(&str, &str) -> bool;

/// Appends the canonical text of the JSON document `text` to `out`. When the document is an
/// object, only the top-level members `keep` accepts are written (after duplicate keys are
/// resolved: the last one wins, as in Go).
pub fn write_canonical_text(
    text: &str,
    limits: Limits,
    keep: KeepMember<'_>,
    out: &mut String,
) -> Result<(), ParseError> {
    let mut parser = Parser::new(text, limits)?;
    let mut writer = Writer {
        members: Vec::with_capacity(16),
        scratch: String::new(),
        out,
    };
    writer.value(&mut parser, 0, Some(keep))?;
    parser.finish()
}

/// A member of an object being written: its decoded key (what Go sorts by) and where its
/// `"key":value` text and its value text start, and where both end, in the output.
struct Member<'a> {
    key: Cow<'a, str>,
    start: usize,
    value: usize,
    end: usize,
}

struct Writer<'a, 'o> {
    /// The members of every object being read, the innermost object's last.
    members: Vec<Member<'a>>,
    /// Holds an object's members while they are written back in key order.
    scratch: String,
    out: &'o mut String,
}

impl<'a> Writer<'a, '_> {
    fn value(
        &mut self,
        p: &mut Parser<'a>,
        depth: usize,
        keep: Option<KeepMember<'_>>,
    ) -> Result<(), ParseError> {
        match p.token(depth)? {
            Token::Object => return self.object(p, depth, keep),
            Token::Array => {
                self.out.push('[');
                let mut first = true;
                p.elements(|p| {
                    if !first {
                        self.out.push(',');
                    }
                    first = false;
                    self.value(p, depth + 1, None)
                })?;
                self.out.push(']');
            }
            Token::String(s) => write_go_string(&s, self.out),
            Token::Number(literal) => canonical_number_into(literal, self.out),
            Token::Bool(true) => self.out.push_str("true"),
            Token::Bool(false) => self.out.push_str("false"),
            Token::Null => self.out.push_str("null"),
        }
        Ok(())
    }

    fn object(
        &mut self,
        p: &mut Parser<'a>,
        depth: usize,
        keep: Option<KeepMember<'_>>,
    ) -> Result<(), ParseError> {
        let base = self.members.len();
        let open = self.out.len();
        self.out.push('{');
        p.members(|p, key| {
            if self.members.len() > base {
                self.out.push(',');
            }
            let start = self.out.len();
            write_go_string(&key, self.out);
            self.out.push(':');
            let value = self.out.len();
            self.value(p, depth + 1, None)?;
            let end = self.out.len();
            self.members.push(Member {
                key,
                start,
                value,
                end,
            });
            Ok(())
        })?;
        self.out.push('}');
        self.put_in_order(open, base, keep);
        self.members.truncate(base);
        Ok(())
    }

    /// Rewrites the object written from `open` (whose members are `members[base..]`) with its
    /// members sorted byte-wise by key, the last of duplicate keys kept, and only the members
    /// `keep` accepts.
    fn put_in_order(&mut self, open: usize, base: usize, keep: Option<KeepMember<'_>>) {
        let members = self.members.get_mut(base..).unwrap_or_default();
        let out = &mut *self.out;
        let text = |m: &Member, from: usize| out.get(from..m.end).unwrap_or_default();
        let sorted = members
            .windows(2)
            .all(|pair| matches!(pair, [a, b] if a.key < b.key));
        let all_kept =
            keep.is_none_or(|keep| members.iter().all(|m| keep(&m.key, text(m, m.value))));
        if sorted && all_kept {
            return;
        }
        // Stable: among equal keys the input order survives, so the last one is the latest.
        members.sort_by(|a, b| a.key.cmp(&b.key));
        let scratch = &mut self.scratch;
        scratch.clear();
        scratch.push_str(out.get(open..).unwrap_or_default());
        out.truncate(open);
        out.push('{');
        let piece =
            |from: usize, to: usize| scratch.get(from - open..to - open).unwrap_or_default();
        let mut first = true;
        for (i, m) in members.iter().enumerate() {
            let overridden = members.get(i + 1).is_some_and(|next| next.key == m.key);
            if overridden || !keep.is_none_or(|keep| keep(&m.key, piece(m.value, m.end))) {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(piece(m.start, m.end));
        }
        out.push('}');
    }
}
