//! The layering of the core, checked from the source: the top-level modules of `src/` import
//! each other without cycles, the generic core never reaches into a provider, and providers
//! never reach into each other. A module "imports" another when its code names
//! `crate::<module>` (in a `use` or inline); `#[cfg(test)]` code does not count.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Provider folders: each may use the core, none may use another.
const PROVIDERS: [&str; 3] = ["tarlan", "assist", "fiscalbox"];
/// Modules that sit above the providers on purpose: the signature diagnosis (Tarlan's
/// signature by definition), the TypeScript generator and the wasm boundary.
const ABOVE_PROVIDERS: [&str; 3] = ["diagnose", "typescript", "wasm"];

type Graph = BTreeMap<String, BTreeSet<String>>;

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
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
            let code = text.split("#[cfg(test)]").next().unwrap();
            let targets = graph.entry(top.clone()).or_default();
            for target in referenced_modules(code) {
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

/// The first path segment after every `crate::` outside comments, including each member
/// of `crate::{a, b::c}` groups.
fn referenced_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for member in group[..end].split(',') {
                    let name: String = member
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        found.insert(name);
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                found.insert(name);
            }
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
