//! Assist's SOAP (and plain XML) answers as a small element tree, read by `roxmltree`.
//!
//! Well-formed XML 1.0 only, and no DOCTYPE at all (`allow_dtd: false`: no entity
//! declarations, so no entity-expansion attacks). Namespace prefixes are resolved: elements
//! are matched by namespace URI and local name, never by prefix. The tree is built without
//! recursion, and size, depth and element-count limits hold, so hostile input can neither
//! exhaust memory nor the wasm stack.

use std::fmt;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_elements: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: crate::http::MAX_RESPONSE_BYTES,
            max_depth: 64,
            max_elements: 100_000,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    pub reason: String,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

fn error(reason: impl Into<String>) -> XmlError {
    XmlError {
        reason: reason.into(),
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
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;
    if text.len() > limits.max_bytes {
        return Err(error(format!(
            "document larger than {} bytes",
            limits.max_bytes
        )));
    }
    let mut reader = quick_xml::NsReader::from_str(text);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = true;
    config.check_comments = true;
    let namespace = |r: ResolveResult<'_>| -> Result<Option<String>, XmlError> {
        match r {
            ResolveResult::Bound(ns) => Ok(Some(ns.as_ref().to_string())),
            ResolveResult::Unbound => Ok(None),
            ResolveResult::Unknown(prefix) => Err(error(format!("unbound prefix `{prefix}`"))),
        }
    };
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    loop {
        let (resolved, event) = reader
            .read_resolved_event()
            .map_err(|e| error(e.to_string()))?;
        let ns = namespace(resolved)?;
        match event {
            Event::Start(start) => {
                count += 1;
                if root.is_some() {
                    return Err(error("content after the root element"));
                }
                if open.len() >= limits.max_depth {
                    return Err(error(format!(
                        "elements nested deeper than {} levels",
                        limits.max_depth
                    )));
                }
                if count > limits.max_elements {
                    return Err(error(format!("more than {} elements", limits.max_elements)));
                }
                let mut attributes = Vec::new();
                for attribute in start.attributes() {
                    let attribute = attribute.map_err(|e| error(e.to_string()))?;
                    if attribute.key.as_namespace_binding().is_some() {
                        continue;
                    }
                    let (ans, local) = reader.resolver().resolve_attribute(attribute.key);
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| error(e.to_string()))?;
                    attributes.push(Attribute {
                        ns: namespace(ans)?,
                        name: local.as_ref().to_string(),
                        value: value.into_owned(),
                    });
                }
                open.push(Element {
                    ns,
                    name: start.local_name().as_ref().to_string(),
                    attributes,
                    ..Element::default()
                });
            }
            Event::End(_) => {
                let done = open
                    .pop()
                    .ok_or_else(|| error("an end tag without a start"))?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                match open.last_mut() {
                    Some(element) => {
                        if content.contains("]]>") {
                            return Err(error("`]]>` in text"));
                        }
                        element.text.push_str(&content);
                    }
                    None if content.trim().is_empty() => {}
                    None => return Err(error("text outside the root element")),
                }
            }
            Event::CData(c) => match open.last_mut() {
                Some(element) => element.text.push_str(&c.xml10_content()),
                None => return Err(error("CDATA outside the root element")),
            },
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                let resolved = match r.resolve_char_ref().map_err(|e| error(e.to_string()))? {
                    Some(c) if c != '\0' => c.to_string(),
                    Some(_) => return Err(error("character reference to U+0000")),
                    None => quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| error(format!("unknown entity `&{name};`")))?
                        .to_string(),
                };
                match open.last_mut() {
                    Some(element) => element.text.push_str(&resolved),
                    None => return Err(error("a reference outside the root element")),
                }
            }
            Event::DocType(_) => return Err(error("a DOCTYPE is not accepted")),
            // `expand_empty_elements` turns `<a/>` into a start and an end.
            Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !open.is_empty() {
        return Err(error("unclosed elements at the end of the document"));
    }
    root.ok_or_else(|| error("no root element"))
}

/// Escapes the text of `field` for element content and attribute values. XML 1.0 cannot carry
/// most control characters (not even as `&#12;`): such text is refused, never sent altered.
pub fn escape(field: &str, text: &str, out: &mut String) -> crate::error::Result<()> {
    let carried = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if let Some(c) = text.chars().find(|c| !carried(*c)) {
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
