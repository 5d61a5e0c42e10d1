//! A small, strict, namespace-aware XML reader for Assist's SOAP (and plain XML) answers.
//!
//! It accepts well-formed XML 1.0 documents without a DOCTYPE (no entity declarations, so no
//! entity-expansion attacks), resolves namespace prefixes (any prefix is fine: elements are
//! matched by namespace URI and local name, never by prefix), and builds a small element tree.
//! It never recurses (an explicit stack), never panics, and enforces limits on size, depth and
//! element count so hostile input cannot exhaust memory or the wasm stack.

use std::fmt;

pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
pub const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_elements: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 4 << 20,
            max_depth: 64,
            max_elements: 100_000,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    /// Byte offset where the problem was found.
    pub offset: usize,
    pub reason: String,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.reason, self.offset)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// Namespace URI (unprefixed attributes have none).
    pub ns: Option<String>,
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    /// Namespace URI of the element, after prefix resolution.
    pub ns: Option<String>,
    /// Local name (without prefix).
    pub name: String,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Element>,
    /// Concatenated character data directly inside this element (entities decoded, CDATA kept).
    pub text: String,
}

impl Element {
    /// True when the local name matches (ASCII case-insensitive) and, if `ns` is given, the
    /// namespace URI matches exactly.
    pub fn is(&self, ns: Option<&str>, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name) && ns.is_none_or(|n| self.ns.as_deref() == Some(n))
    }

    /// The first child with this local name (any namespace, case-insensitive).
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(None, name))
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.ns.is_none() && a.name.eq_ignore_ascii_case(name))
            .map(|a| a.value.as_str())
    }
}

/// Parses a complete document and returns its root element.
pub fn parse(text: &str, limits: Limits) -> Result<Element, XmlError> {
    if text.len() > limits.max_bytes {
        return Err(XmlError {
            offset: limits.max_bytes,
            reason: format!("document larger than {} bytes", limits.max_bytes),
        });
    }
    Parser {
        src: text,
        pos: 0,
        limits,
        elements: 0,
    }
    .document()
}

struct Open {
    qname: String,
    element: Element,
    /// How many namespace bindings this element pushed.
    bindings: usize,
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    limits: Limits,
    elements: usize,
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':' || !c.is_ascii()
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '-' || c == '.'
}

fn is_xml_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

impl<'a> Parser<'a> {
    fn err<T>(&self, reason: impl Into<String>) -> Result<T, XmlError> {
        Err(XmlError {
            offset: self.pos,
            reason: reason.into(),
        })
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.src.len());
    }

    fn expect(&mut self, s: &str) -> Result<(), XmlError> {
        if self.starts_with(s) {
            self.bump(s.len());
            Ok(())
        } else {
            self.err(format!("expected `{s}`"))
        }
    }

    fn skip_whitespace(&mut self) -> bool {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if !is_xml_whitespace(c) {
                break;
            }
            self.bump(c.len_utf8());
        }
        self.pos > start
    }

    /// Reads up to (not including) `end`, returning the text and moving past `end`.
    fn until(&mut self, end: &str, what: &str) -> Result<&'a str, XmlError> {
        let rest = self.rest();
        match rest.find(end) {
            Some(i) => {
                let text = rest.get(..i).unwrap_or("");
                if let Some(bad) = text.chars().find(|c| !is_xml_char(*c)) {
                    return self.err(format!(
                        "character U+{:04X} is not allowed in XML",
                        u32::from(bad)
                    ));
                }
                self.bump(i + end.len());
                Ok(text)
            }
            None => self.err(format!("unterminated {what}")),
        }
    }

    fn name(&mut self) -> Result<&'a str, XmlError> {
        let rest = self.rest();
        let mut len = 0;
        for (i, c) in rest.char_indices() {
            let ok = if i == 0 {
                is_name_start(c)
            } else {
                is_name_char(c)
            };
            if !ok {
                break;
            }
            len = i + c.len_utf8();
        }
        if len == 0 {
            return self.err("expected a name");
        }
        let name = rest.get(..len).unwrap_or("");
        self.bump(len);
        Ok(name)
    }

    /// Skips comments, processing instructions and whitespace (the "Misc" of the grammar).
    fn misc(&mut self) -> Result<(), XmlError> {
        loop {
            self.skip_whitespace();
            if self.starts_with("<!--") {
                self.comment()?;
            } else if self.starts_with("<?") {
                self.processing_instruction()?;
            } else {
                return Ok(());
            }
        }
    }

    fn comment(&mut self) -> Result<(), XmlError> {
        self.expect("<!--")?;
        let body = self.until("-->", "comment")?;
        if body.contains("--") || body.ends_with('-') {
            return self.err("`--` is not allowed inside a comment");
        }
        Ok(())
    }

    fn processing_instruction(&mut self) -> Result<(), XmlError> {
        self.expect("<?")?;
        let target = self.name()?;
        if target.eq_ignore_ascii_case("xml") {
            return self.err("the XML declaration is only allowed at the very start");
        }
        self.until("?>", "processing instruction")?;
        Ok(())
    }

    fn declaration(&mut self) -> Result<(), XmlError> {
        if !self.starts_with("<?xml") {
            return Ok(());
        }
        let after = self.rest().chars().nth(5);
        if !after.is_some_and(is_xml_whitespace) {
            return Ok(());
        }
        self.bump(5);
        let body = self.until("?>", "XML declaration")?;
        if !body.trim_start().starts_with("version") {
            return self.err("the XML declaration must start with `version`");
        }
        Ok(())
    }

    fn document(mut self) -> Result<Element, XmlError> {
        if self.starts_with("\u{FEFF}") {
            self.bump(3);
        }
        self.declaration()?;
        self.misc()?;
        if self.starts_with("<!DOCTYPE") || self.starts_with("<!doctype") {
            return self.err("DOCTYPE declarations are not accepted");
        }
        if !self.starts_with("<") {
            return self.err("expected the root element");
        }
        let root = self.root_element()?;
        self.misc()?;
        if self.pos < self.src.len() {
            return self.err("content after the root element");
        }
        Ok(root)
    }

    fn root_element(&mut self) -> Result<Element, XmlError> {
        let mut scopes: Vec<(String, String)> = vec![
            ("xml".to_string(), XML_NS.to_string()),
            ("xmlns".to_string(), XMLNS_NS.to_string()),
        ];
        let mut stack: Vec<Open> = Vec::new();
        loop {
            if self.starts_with("</") {
                self.bump(2);
                let qname = self.name()?;
                self.skip_whitespace();
                self.expect(">")?;
                let Some(open) = stack.pop() else {
                    return self.err(format!("unexpected closing tag `{qname}`"));
                };
                if open.qname != qname {
                    return self.err(format!(
                        "closing tag `{qname}` does not match `{}`",
                        open.qname
                    ));
                }
                scopes.truncate(scopes.len().saturating_sub(open.bindings));
                match stack.last_mut() {
                    Some(parent) => parent.element.children.push(open.element),
                    None => return Ok(open.element),
                }
            } else if self.starts_with("<!--") {
                self.comment()?;
            } else if self.starts_with("<![CDATA[") {
                self.bump(9);
                let data = self.until("]]>", "CDATA section")?;
                match stack.last_mut() {
                    Some(open) => open.element.text.push_str(data),
                    None => return self.err("CDATA outside the root element"),
                }
            } else if self.starts_with("<?") {
                self.processing_instruction()?;
            } else if self.starts_with("<!") {
                return self.err("declarations are not accepted inside the document");
            } else if self.starts_with("<") {
                if stack.is_empty() && self.elements > 0 {
                    return self.err("a second root element");
                }
                if stack.len() >= self.limits.max_depth {
                    return self.err(format!(
                        "elements nested deeper than {}",
                        self.limits.max_depth
                    ));
                }
                self.elements += 1;
                if self.elements > self.limits.max_elements {
                    return self.err(format!("more than {} elements", self.limits.max_elements));
                }
                let (open, empty) = self.start_tag(&mut scopes)?;
                if empty {
                    scopes.truncate(scopes.len().saturating_sub(open.bindings));
                    match stack.last_mut() {
                        Some(parent) => parent.element.children.push(open.element),
                        None => return Ok(open.element),
                    }
                } else {
                    stack.push(open);
                }
            } else {
                if stack.is_empty() {
                    return self.err("expected the root element");
                }
                let text = self.char_data()?;
                if let Some(open) = stack.last_mut() {
                    open.element.text.push_str(&text);
                }
            }
            if self.pos >= self.src.len() {
                return self.err("unexpected end of document (unclosed element)");
            }
        }
    }

    fn char_data(&mut self) -> Result<String, XmlError> {
        let rest = self.rest();
        let end = rest.find('<').unwrap_or(rest.len());
        let raw = rest.get(..end).unwrap_or("");
        if raw.contains("]]>") {
            return self.err("`]]>` is not allowed in text");
        }
        let decoded = self.decode_text(raw)?;
        self.bump(end);
        Ok(decoded)
    }

    /// Decodes the five predefined entities and character references.
    fn decode_text(&self, raw: &str) -> Result<String, XmlError> {
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(amp) = rest.find('&') {
            let before = rest.get(..amp).unwrap_or("");
            self.check_chars(before)?;
            out.push_str(before);
            let after = rest.get(amp + 1..).unwrap_or("");
            let Some(semi) = after.find(';') else {
                return self.err("`&` must start an entity reference such as `&amp;`");
            };
            let entity = after.get(..semi).unwrap_or("");
            let c = match entity {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let number = if let Some(hex) = entity
                        .strip_prefix("#x")
                        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
                    {
                        u32::from_str_radix(hex, 16).ok()
                    } else if let Some(dec) = entity
                        .strip_prefix('#')
                        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
                    {
                        dec.parse::<u32>().ok()
                    } else {
                        return self.err(format!("unknown entity `&{entity};`"));
                    };
                    match number.and_then(char::from_u32).filter(|c| is_xml_char(*c)) {
                        Some(c) => c,
                        None => {
                            return self.err(format!("invalid character reference `&{entity};`"))
                        }
                    }
                }
            };
            out.push(c);
            rest = after.get(semi + 1..).unwrap_or("");
        }
        self.check_chars(rest)?;
        out.push_str(rest);
        Ok(out)
    }

    fn check_chars(&self, text: &str) -> Result<(), XmlError> {
        match text.chars().find(|c| !is_xml_char(*c)) {
            Some(bad) => self.err(format!(
                "character U+{:04X} is not allowed in XML",
                u32::from(bad)
            )),
            None => Ok(()),
        }
    }

    fn attribute_value(&mut self) -> Result<String, XmlError> {
        let quote = match self.peek() {
            Some(q @ ('"' | '\'')) => q,
            _ => return self.err("attribute values must be quoted"),
        };
        self.bump(1);
        let rest = self.rest();
        let Some(end) = rest.find(quote) else {
            return self.err("unterminated attribute value");
        };
        let raw = rest.get(..end).unwrap_or("");
        if raw.contains('<') {
            return self.err("`<` is not allowed in an attribute value");
        }
        let mut value = self.decode_text(raw)?;
        // Attribute-value normalization of literal whitespace characters.
        if value.contains(['\t', '\n', '\r']) {
            value = value.replace(['\t', '\n', '\r'], " ");
        }
        self.bump(end + 1);
        Ok(value)
    }

    /// Reads `<name attr="v" ...>` or `<.../>`; resolves namespaces; pushes bindings.
    fn start_tag(&mut self, scopes: &mut Vec<(String, String)>) -> Result<(Open, bool), XmlError> {
        self.expect("<")?;
        let qname = self.name()?.to_string();
        let mut raw_attributes: Vec<(String, String)> = Vec::new();
        let mut bindings = 0;
        let empty = loop {
            let had_space = self.skip_whitespace();
            if self.starts_with("/>") {
                self.bump(2);
                break true;
            }
            if self.starts_with(">") {
                self.bump(1);
                break false;
            }
            if !had_space {
                return self.err("expected whitespace, `>` or `/>` in a start tag");
            }
            let name = self.name()?.to_string();
            self.skip_whitespace();
            self.expect("=")?;
            self.skip_whitespace();
            let value = self.attribute_value()?;
            if raw_attributes.iter().any(|(n, _)| *n == name) {
                return self.err(format!("attribute `{name}` appears twice"));
            }
            if name == "xmlns" {
                scopes.push((String::new(), value.clone()));
                bindings += 1;
            } else if let Some(prefix) = name.strip_prefix("xmlns:") {
                if value.is_empty() {
                    return self.err(format!(
                        "prefix `{prefix}` cannot be bound to an empty namespace"
                    ));
                }
                if prefix == "xmlns" || (prefix == "xml") != (value == XML_NS) {
                    return self.err(format!("prefix `{prefix}` cannot be rebound"));
                }
                scopes.push((prefix.to_string(), value.clone()));
                bindings += 1;
            }
            raw_attributes.push((name, value));
        };
        let (prefix, local) = split_qname(&qname).map_err(|reason| XmlError {
            offset: self.pos,
            reason,
        })?;
        let ns = self.resolve(scopes, prefix.unwrap_or(""), prefix.is_some())?;
        let mut attributes: Vec<Attribute> = Vec::new();
        for (name, value) in raw_attributes {
            if name == "xmlns" || name.starts_with("xmlns:") {
                continue;
            }
            let (prefix, local) = split_qname(&name).map_err(|reason| XmlError {
                offset: self.pos,
                reason,
            })?;
            let ns = match prefix {
                Some(p) => self.resolve(scopes, p, true)?,
                None => None,
            };
            if attributes
                .iter()
                .any(|a| a.ns == ns && a.name == local && ns.is_some())
            {
                return self.err(format!("attribute `{name}` appears twice"));
            }
            attributes.push(Attribute {
                ns,
                name: local.to_string(),
                value,
            });
        }
        let element = Element {
            ns,
            name: local.to_string(),
            attributes,
            children: Vec::new(),
            text: String::new(),
        };
        Ok((
            Open {
                qname,
                element,
                bindings,
            },
            empty,
        ))
    }

    fn resolve(
        &self,
        scopes: &[(String, String)],
        prefix: &str,
        explicit: bool,
    ) -> Result<Option<String>, XmlError> {
        match scopes.iter().rev().find(|(p, _)| p == prefix) {
            Some((_, uri)) if uri.is_empty() => Ok(None),
            Some((_, uri)) => Ok(Some(uri.clone())),
            None if explicit => self.err(format!("namespace prefix `{prefix}` is not declared")),
            None => Ok(None),
        }
    }
}

fn split_qname(qname: &str) -> Result<(Option<&str>, &str), String> {
    match qname.split_once(':') {
        None => Ok((None, qname)),
        Some((prefix, local)) => {
            let ok = |s: &str| {
                s.chars()
                    .next()
                    .is_some_and(|c| is_name_start(c) && c != ':')
                    && !s.contains(':')
            };
            if ok(prefix) && ok(local) {
                Ok((Some(prefix), local))
            } else {
                Err(format!("`{qname}` is not a valid qualified name"))
            }
        }
    }
}

/// Escapes the text of `field` for element content and attribute values. XML 1.0 cannot carry
/// most control characters (not even as `&#12;`): such text is refused, never sent altered.
pub fn escape(field: &str, text: &str, out: &mut String) -> crate::error::Result<()> {
    if let Some(c) = text.chars().find(|c| !is_xml_char(*c)) {
        return Err(crate::error::KassaError::validation(
            field,
            format!(
                "contains the character U+{:04X}, which XML (the SOAP format) cannot carry; remove it, or use format 'json'",
                u32::from(c)
            ),
        ));
    }
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Element, XmlError> {
        parse(s, Limits::default())
    }

    #[test]
    fn namespaces_resolve_whatever_the_prefix() {
        let a = p(r#"<?xml version="1.0"?><a:E xmlns:a="urn:x"><b xmlns="urn:y">t&amp;<![CDATA[<x>]]></b></a:E>"#).unwrap();
        assert_eq!(a.ns.as_deref(), Some("urn:x"));
        let b = a.child("b").unwrap();
        assert_eq!(b.ns.as_deref(), Some("urn:y"));
        assert_eq!(b.text, "t&<x>");
    }

    #[test]
    fn rejects_malformed_input() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "<x:a/>",
            "<a b=1/>",
            "<a b='1' b='2'/>",
            "<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>",
            "<a>&unknown;</a>",
            "<a>&#0;</a>",
            "text<a/>",
            "<a/>text",
            "<a><!-- -- --></a>",
            "<a>]]></a>",
        ] {
            assert!(p(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn depth_and_size_limits_hold() {
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(p(&deep).unwrap_err().reason.contains("deeper"));
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        assert!(parse("<a>0123456789</a>", limits).is_err());
    }
}
