//! The layering of the core, checked from the source: the top-level modules of `src/` import
//! each other without cycles, the generic core never reaches into a provider, and providers
//! never reach into each other. A module "imports" another when its code names
//! `crate::<module>` (in a `use` or inline), or a name the crate root re-exports from that
//! module (`crate::Client` is `client`); `#[cfg(test)]` items do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Provider folders: each may use the core, none may use another.
const PROVIDERS: [&str; 3] = ["tarlan", "assist", "fiscalbox"];
/// Modules that sit above the providers on purpose: the signature diagnosis (Tarlan's
/// signature by definition), the registry (the one list of providers and the entries that hold
/// them), the TypeScript generator and the wasm boundary.
const ABOVE_PROVIDERS: [&str; 4] = ["diagnose", "registry", "typescript", "wasm"];

type Graph = BTreeMap<String, BTreeSet<String>>;

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let root = root(&fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut graph = Graph::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().unwrap() != "bin" {
                    stack.push(path);
                }
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let top = relative
                .iter()
                .next()
                .unwrap()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string();
            if top == "lib" {
                continue; // the crate root declares every module: it is the registry
            }
            let text = fs::read_to_string(&path).unwrap();
            let targets = graph.entry(top.clone()).or_default();
            for target in referenced_modules(&text, &root) {
                if target != top {
                    targets.insert(target);
                }
            }
        }
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for targets in graph.values_mut() {
        targets.retain(|t| modules.contains(t)); // `crate::tarlan_sign` is a function, not a module
    }
    graph
}

/// Rust source as tokens: identifiers (and numbers), `::`, and single punctuation characters.
/// Comments, string and character literals are dropped, so `crate::` in them does not count.
fn tokens(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}'), or a lifetime ('a) whose name
            // stays a token.
            if at(i + 1) == '\\' {
                i += 3; // past the quote, the backslash and the escaped character
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let hashes = chars[i..].iter().take_while(|&&h| h == '#').count();
            if matches!(word.as_str(), "r" | "br" | "cr") && at(i + hashes) == '"' {
                // A raw string: ends at `"` followed by as many `#` as it opened with.
                i += hashes + 1;
                while i < chars.len()
                    && !(chars[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#'))
                {
                    i += 1;
                }
                i += 1 + hashes;
            } else if word == "r" && hashes == 1 {
                i += 1; // a raw identifier: r#name is the token name
            } else {
                out.push(word);
            }
        } else if c == ':' && at(i + 1) == ':' {
            out.push("::".to_string());
            i += 2;
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

/// The tokens without the items marked `#[cfg(test)]`: the attribute, any attributes after it
/// and the item up to its `;` or the end of its `{ .. }` body, wherever in the file it is.
fn without_test_items(tokens: Vec<String>) -> Vec<String> {
    const CFG_TEST: [&str; 7] = ["#", "[", "cfg", "(", "test", ")", "]"];
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let is_cfg_test = tokens
            .get(i..i + CFG_TEST.len())
            .is_some_and(|window| window.iter().zip(CFG_TEST).all(|(t, e)| t == e));
        if !is_cfg_test {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        i += CFG_TEST.len();
        let mut depth = 0;
        while i < tokens.len() {
            let token = tokens[i].as_str();
            i += 1;
            match token {
                "{" | "[" | "(" => depth += 1,
                "}" | "]" | ")" => {
                    depth -= 1;
                    if depth == 0 && token == "}" {
                        break;
                    }
                }
                ";" if depth == 0 => break,
                _ => {}
            }
        }
    }
    out
}

/// One path of a `use` tree (or of an inline path): its segments, and the name it binds
/// (the last segment, or the name after `as`).
#[derive(Debug, PartialEq)]
struct UsePath {
    segments: Vec<String>,
    binds: String,
}

/// Reads the use tree at `tokens[i..]` below `prefix` (`a::b`, `a::{b, c::{d}}`, `a as b`,
/// `a::*`) into `out`; returns the index after it.
fn use_tree(tokens: &[String], mut i: usize, prefix: &[String], out: &mut Vec<UsePath>) -> usize {
    let mut segments = prefix.to_vec();
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                while i < tokens.len() && tokens[i] != "}" {
                    let member = i;
                    i = use_tree(tokens, i, &segments, out);
                    if i == member || tokens.get(i).map(String::as_str) == Some(",") {
                        i += 1;
                    }
                }
                return i + 1;
            }
            Some(word)
                if word == "*" || word.starts_with(|c: char| c.is_alphanumeric() || c == '_') =>
            {
                segments.push(word.to_string());
                i += 1;
                if tokens.get(i).map(String::as_str) == Some("::") {
                    i += 1;
                    continue;
                }
                let mut binds = word.to_string();
                if tokens.get(i).map(String::as_str) == Some("as") {
                    binds = tokens.get(i + 1).cloned().unwrap_or_default();
                    i += 2;
                }
                out.push(UsePath { segments, binds });
                return i;
            }
            _ => {
                // An inline path going on with `::<T>` or `::` before a non-name: what was read
                // names the module.
                if segments.len() > prefix.len() {
                    let binds = segments.last().cloned().unwrap_or_default();
                    out.push(UsePath { segments, binds });
                }
                return i;
            }
        }
    }
}

/// Every path starting with `crate::`, in `use` statements and inline, outside comments,
/// literals and `#[cfg(test)]` items, as the segments after `crate`.
fn crate_paths(code: &str) -> Vec<UsePath> {
    let tokens = without_test_items(tokens(code));
    paths_after(&tokens, ["crate", "::"])
}

/// The use trees following every occurrence of the two tokens `lead`.
fn paths_after(tokens: &[String], lead: [&str; 2]) -> Vec<UsePath> {
    let mut paths = Vec::new();
    for (i, pair) in tokens.windows(2).enumerate() {
        if pair[0] == lead[0] && pair[1] == lead[1] {
            use_tree(tokens, i + 2, &[], &mut paths);
        }
    }
    paths
}

/// What the crate root declares: its modules, and its `pub use` re-exports as the name
/// `crate::<name>` reaches and the module it comes from (`pub use client::Client;` maps
/// `Client` to `client`).
struct Root {
    modules: BTreeSet<String>,
    reexports: BTreeMap<String, String>,
}

fn root(lib: &str) -> Root {
    let tokens = without_test_items(tokens(lib));
    let modules = tokens
        .windows(2)
        .filter(|pair| pair[0] == "mod")
        .map(|pair| pair[1].clone())
        .collect();
    let reexports = paths_after(&tokens, ["pub", "use"])
        .into_iter()
        .filter_map(|p| {
            let first = p.segments.first()?.clone();
            let first = if first == "crate" || first == "self" {
                p.segments.get(1)?.clone()
            } else {
                first
            };
            Some((p.binds, first))
        })
        .collect();
    Root { modules, reexports }
}

/// The modules a source file imports: the first segment of every `crate::` path, or, for a
/// name the crate root re-exports, the module it is re-exported from. A module and a
/// re-exported function may share a name (`provider`): a path going on past it (`::`) names
/// the module, a lone one may name either, so it counts as both.
fn referenced_modules(code: &str, root: &Root) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for path in crate_paths(code) {
        let Some(first) = path.segments.first() else {
            continue;
        };
        let is_module = root.modules.contains(first);
        if is_module {
            found.insert(first.clone());
        }
        if !is_module || path.segments.len() == 1 {
            found.insert(root.reexports.get(first).unwrap_or(first).clone());
        }
    }
    found
}

fn reaches(graph: &Graph, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(module) = stack.pop() {
        for next in graph.get(&module).into_iter().flatten() {
            if next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                stack.push(next.clone());
            }
        }
    }
    false
}

#[test]
fn the_graph_is_read() {
    let graph = graph();
    // A parser that found nothing would make the other tests pass vacuously.
    assert!(graph["client"].contains("provider"), "{graph:?}");
    assert!(graph["transport"].contains("client"), "{graph:?}");
    assert!(graph["tarlan"].contains("operation"), "{graph:?}");
}

#[test]
fn core_modules_import_each_other_without_cycles() {
    let graph = graph();
    let cycles: Vec<String> = graph
        .iter()
        .flat_map(|(from, targets)| targets.iter().map(move |to| (from, to)))
        .filter(|(from, to)| reaches(&graph, to, from))
        .map(|(from, to)| format!("{from} -> {to}"))
        .collect();
    assert!(cycles.is_empty(), "import cycles: {cycles:?}");
}

#[test]
fn the_generic_core_never_imports_a_provider() {
    let graph = graph();
    for (module, targets) in &graph {
        if PROVIDERS.contains(&module.as_str()) || ABOVE_PROVIDERS.contains(&module.as_str()) {
            continue;
        }
        let into_providers: Vec<&String> = targets
            .iter()
            .filter(|t| PROVIDERS.contains(&t.as_str()))
            .collect();
        assert!(
            into_providers.is_empty(),
            "{module} imports {into_providers:?}"
        );
    }
}

#[test]
fn providers_never_import_each_other() {
    let graph = graph();
    for provider in PROVIDERS {
        let others: Vec<&String> = graph[provider]
            .iter()
            .filter(|t| PROVIDERS.contains(&t.as_str()))
            .collect();
        assert!(others.is_empty(), "{provider} imports {others:?}");
    }
}

#[test]
fn the_extraction_reads_every_form_of_path() {
    let lib = "pub mod client;\n#[cfg(feature = \"x\")]\npub mod provider;\npub mod registry;\n\
               pub use client::Client;\npub use error::{ErrorKind, KassaError};\n\
               pub use registry::{module_helper as helper_of, provider};\n";
    let root = root(lib);
    assert_eq!(
        root.modules.iter().collect::<Vec<_>>(),
        ["client", "provider", "registry"]
    );
    assert_eq!(root.reexports["Client"], "client");
    assert_eq!(root.reexports["KassaError"], "error");
    assert_eq!(root.reexports["helper_of"], "registry");
    assert_eq!(root.reexports["provider"], "registry");
    let read =
        |code: &str| -> Vec<String> { referenced_modules(code, &root).into_iter().collect() };
    // A group over several lines.
    assert_eq!(
        read("use crate::{\n    operation::Operation,\n};"),
        ["operation"]
    );
    // Nested groups: every top-level member counts, also after an inner group.
    assert_eq!(read("use crate::{a::{b, c}, d};"), ["a", "d"]);
    assert_eq!(
        read("use crate::{\n    a::{self, b::{c, d}},\n    e as f,\n    g::*,\n};"),
        ["a", "e", "g"]
    );
    // Names the crate root re-exports, in a `use` and inline.
    assert_eq!(read("use crate::Client;"), ["client"]);
    assert_eq!(
        read("use crate::{Client, money::Amount};"),
        ["client", "money"]
    );
    assert_eq!(read("fn f() -> crate::KassaError { todo!() }"), ["error"]);
    // A module and a re-exported function of the same name: the path decides.
    assert_eq!(read("use crate::provider::ProviderDef;"), ["provider"]);
    assert_eq!(
        read("let p = crate::provider(\"x\");"),
        ["provider", "registry"]
    );
    // Inline paths, with generics after them.
    assert_eq!(read("let a = crate::money::Amount::new(1);"), ["money"]);
    assert_eq!(read("let v = crate::json::parse::<u8>(x);"), ["json"]);
    // A `#[cfg(test)]` item anywhere is skipped, and only that item.
    assert_eq!(
        read(
            "#[cfg(test)]\nmod tests {\n    use crate::a;\n    fn f() { let x = [1; 2]; }\n}\n\
             use crate::b;\n#[cfg(test)]\n#[allow(dead_code)]\nuse crate::c;\n\
             #[cfg(test)]\nfn g() -> [u8; 2] { crate::d::x() }\nfn h() { crate::e::y() }\n\
             #[cfg(test)]\nmod more_tests;\nuse crate::f;"
        ),
        ["b", "e", "f"]
    );
    // Comments and literals are not code.
    assert_eq!(
        read(
            "// use crate::a;\n/* crate::b /* nested */ crate::c */\n/// [`crate::d`]\n\
             let s = \"crate::e\\\" crate::f\";\nlet r = r#\"crate::g \"quoted\" \"#;\n\
             let q = '\"'; let e = '\\''; fn l<'a>(x: &'a str) {}\nuse crate::h;"
        ),
        ["h"]
    );
    // `pub(crate)` is a visibility, not a path.
    assert!(read("pub(crate) fn f() {}").is_empty());
}
