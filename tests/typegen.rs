//! What `kassa-typegen` generates from the registry (src/npm.rs, src/typescript.rs): every
//! entry's runtime files declare exactly its modules' classes and functions, its `.d.ts`
//! declares them once, and its `describe` catalog carries the docs of every param.

use kassa::json::Json;
use kassa::npm::{self, Runtime};
use kassa::registry;

fn file(path: &str) -> String {
    npm::files()
        .into_iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} is not generated"))
        .text
}

#[test]
fn the_root_entry_comes_first_with_every_feature_then_one_entry_per_module() {
    let entries = npm::entries();
    assert_eq!(entries[0].name, "kassa");
    assert_eq!(entries[0].features, None);
    assert_eq!(entries[0].modules.len(), registry::MODULES.len());
    for (entry, module) in entries[1..].iter().zip(registry::MODULES) {
        assert_eq!(entry.name, module.name);
        assert_eq!(entry.features, Some(module.name));
        assert_eq!(entry.specifier(), format!("kassa/{}", module.name));
    }
    // Every provider is in exactly one module.
    for p in registry::providers() {
        let holders = registry::MODULES
            .iter()
            .filter(|m| m.providers.iter().any(|q| q.id == p.id))
            .count();
        assert_eq!(holders, 1, "{}", p.id);
    }
}

#[test]
fn each_runtime_file_declares_exactly_its_modules_exports() {
    for entry in npm::entries() {
        let classes: Vec<&str> = entry
            .modules
            .iter()
            .flat_map(|m| m.providers.iter().map(|p| p.class_name))
            .collect();
        let functions: Vec<&str> = entry
            .modules
            .iter()
            .flat_map(|m| m.functions.iter().map(|f| f.name))
            .chain(entry.extra_functions.iter().map(|f| f.name))
            .collect();
        for runtime in Runtime::ALL {
            let js = file(&format!("{}/{}", entry.name, runtime.file()));
            let mut declared: Vec<&str> = js
                .lines()
                .filter_map(|l| {
                    l.strip_prefix("export class ")
                        .or_else(|| l.strip_prefix("export function "))
                })
                .filter_map(|rest| rest.split([' ', '(']).next())
                .collect();
            declared.sort_unstable();
            let mut expected: Vec<&str> = classes.iter().chain(&functions).copied().collect();
            expected.sort_unstable();
            assert_eq!(declared, expected, "{} {:?}", entry.name, runtime);
            assert!(js.contains("export { KassaError };"));
            assert!(js.contains("wasm.use_error_class(KassaError);"));
            // Each file loads its own entry's wasm and nothing else.
            assert_eq!(js.matches("kassa_bg.wasm").count(), 1, "{}", entry.name);
        }
        // Node keeps top-level await out (require(esm) refuses it); the browser needs it.
        assert!(!file(&format!("{}/node.js", entry.name)).contains("await "));
        assert!(file(&format!("{}/browser.js", entry.name)).contains("await wasm.default("));
    }
}

#[test]
fn every_operation_flow_and_helper_becomes_a_method() {
    let js = file("tarlan/node.js");
    for p in registry::MODULES[0].providers {
        for op in p.ops {
            assert!(
                js.contains(&format!(
                    "  {}(params, options) {{\n    return this.call(\"{}\"",
                    op.name, op.name
                )),
                "{}",
                op.name
            );
        }
        for flow in p.flows {
            assert!(js.contains(&format!("return this.runFlow(\"{}\"", flow.name)));
        }
        for helper in p.helpers {
            assert!(
                js.contains(&format!("{}(...args)", helper.name)),
                "{}",
                helper.name
            );
        }
    }
    assert!(js.contains("static callbackAck(...args) {\n    return binding.invokeStatic(\"agws\", \"callbackAck\", args);"));
    assert!(js.contains(
        "verifyWebhook(...args) {\n    return this.invokeHelper(\"verifyWebhook\", args);"
    ));
}

#[test]
fn module_functions_convert_their_arguments_as_declared() {
    let js = file("tarlan/node.js");
    // The signing hot path: texts into the text buffer, the signature back from it.
    assert!(js.contains(
        "export function tarlanSign(body, secret) {\n  const lengths = binding.writeTexts([jsonText(body, \"body\"), secretText(secret, \"secret\")]);\n  return binding.signature(wasm.tarlan_sign_buffered(lengths[0], lengths[1]));"
    ));
    assert!(js.contains("return wasm.tarlan_verify_buffered(lengths[0], lengths[1], lengths[2]);"));
    assert!(js.contains("return wasm.canonical_json(jsonText(value, \"value\"));"));
    let js = file("diagnose/node.js");
    assert!(js.contains("return binding.invokeStatic('', \"diagnoseSignature\", [jsonText(body, \"body\"), secretText(secret, \"secret\"), stringText(signature, \"signature\")]);"));
    let js = file("fiscalbox/node.js");
    assert!(js.contains("return binding.invokeStatic('', \"parseSoliqQr\", [url]);"));
    assert!(
        !js.contains("jsonText"),
        "no converter is imported that nothing uses"
    );
}

#[test]
fn each_entry_declares_its_types_once_without_markers() {
    for entry in npm::entries() {
        let dts = file(&format!("{}/index.d.ts", entry.name));
        assert!(!dts.contains("__"), "a template marker in {}", entry.name);
        assert!(dts.contains("export { KassaError };"));
        for p in entry.modules.iter().flat_map(|m| m.providers.iter()) {
            let class = format!("export declare class {} {{", p.class_name);
            assert_eq!(dts.matches(&class).count(), 1, "{}", p.class_name);
            assert!(dts.contains(&format!(
                "describe(operation: keyof {}Operations): OperationInfo;",
                p.class_name
            )));
        }
        // Interfaces are declared once each.
        let mut names: Vec<&str> = dts
            .lines()
            .filter_map(|l| l.strip_prefix("export interface "))
            .filter_map(|rest| rest.split(' ').next())
            .collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            count,
            "an interface declared twice in {}",
            entry.name
        );
    }
    let fiscalbox = file("fiscalbox/index.d.ts");
    assert!(
        fiscalbox.contains("export interface FiscalReceipt {"),
        "qrWalletSale returns it"
    );
    assert!(!fiscalbox.contains("function toFiscalReceipt"));
    assert!(file("kassa/index.d.ts").contains("export declare function toFiscalReceipt"));
    assert!(!file("tarlan/index.d.ts").contains("AssistFiscal"));
    let shared = file("types.d.ts");
    assert!(shared.contains("export type ErrorKind = 'validation' | 'signature' | 'provider' | 'decode' | 'transport' | 'timeout' | 'unknown_outcome' | 'config';"));
    assert!(shared.contains("export declare class KassaError extends Error {"));
}

#[test]
fn the_catalog_documents_every_param_of_cash_in() {
    let catalog = npm::catalog(&npm::entries()[1]);
    let cash_in = catalog
        .get("agws")
        .and_then(Json::as_array)
        .and_then(|ops| {
            ops.iter()
                .find(|op| op.get("name").and_then(Json::as_str) == Some("cashIn"))
        })
        .expect("cashIn in the kassa/tarlan catalog");
    let params = cash_in.get("params").and_then(Json::as_array).unwrap();
    assert!(params.len() >= 5);
    for param in params {
        let doc = param.get("doc").and_then(Json::as_str).unwrap_or("");
        assert!(!doc.is_empty(), "{param:?} has no doc");
    }
    assert!(
        catalog.get("assist").is_none(),
        "only the entry's own providers"
    );
    // The JSON Node reads and the string the bundled runtimes carry are the same catalog.
    let json = file("tarlan/catalog.json");
    assert_eq!(json, catalog.to_compact());
    assert!(file("tarlan/catalog.js").contains(&Json::str(json).to_compact()));
}

#[test]
fn the_registry_metadata_names_every_entry_and_provider() {
    let meta = npm::registry_json();
    let entries = meta.get("entries").and_then(Json::as_array).unwrap();
    assert_eq!(entries.len(), registry::MODULES.len() + 1);
    let providers = meta.get("providers").and_then(Json::as_array).unwrap();
    assert_eq!(providers.len(), registry::providers().count());
    for p in providers {
        let module = p.get("module").and_then(Json::as_str).unwrap();
        assert!(registry::MODULES.iter().any(|m| m.name == module));
        assert!(!p
            .get("operations")
            .and_then(Json::as_array)
            .unwrap()
            .is_empty());
    }
}
