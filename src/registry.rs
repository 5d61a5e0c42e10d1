//! The one registry of what kassa exports to JavaScript: the npm modules (`kassa/tarlan`, ...),
//! the client class of each provider they hold and their module-level functions. Everything
//! that enumerates providers reads it — the wasm binding (which clients exist in this build),
//! `kassa-typegen` (each entry's JavaScript, its `.d.ts`, the `describe` catalog and the
//! metadata the CLI, the emulator and the playground read) — so a provider is listed here
//! once and nowhere else.
//!
//! A module is built as its own `.wasm` from the Cargo feature of the same name; the root entry
//! `kassa` is the build with every feature and exports everything.

use crate::helper::Helper;
use crate::provider::ProviderDef;
use crate::schema::Ty;

/// The npm name of the root entry, which exports every module.
pub const ROOT: &str = "kassa";

/// One npm entry and the `.wasm` it loads.
#[derive(Debug)]
pub struct Module {
    /// The subpath below `kassa` (`tarlan` → `kassa/tarlan`) and the Cargo feature that builds it.
    pub name: &'static str,
    /// What it holds, for the docs (compiled out of the `.wasm`).
    pub summary: &'static str,
    pub providers: &'static [&'static ProviderDef],
    pub functions: &'static [Function],
    /// Named result types only helpers return (webhook bodies), declared with the module's types.
    pub helper_types: &'static [&'static Ty],
    /// TypeScript declarations its results need beyond its own tables, kept next to their Rust.
    pub declarations: &'static [&'static str],
}

/// How one argument of a module function is checked and converted by the JavaScript glue
/// before it crosses into wasm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// A JSON document given as a value or as JSON text; crosses as JSON text, refusing what
    /// `JSON.stringify` would silently corrupt (NaN, lone surrogates, cycles).
    Json,
    /// A secret string.
    Secret,
    /// A string.
    Str,
    /// Any JSON value, passed inside the argument list.
    Value,
}

#[derive(Clone, Copy, Debug)]
pub struct Arg {
    pub name: &'static str,
    pub kind: ArgKind,
    /// Its TypeScript type.
    pub ts: &'static str,
}

impl Arg {
    pub const fn new(name: &'static str, kind: ArgKind, ts: &'static str) -> Arg {
        Arg {
            name,
            kind,
            ts: crate::schema::native_only(ts),
        }
    }
}

/// How a module function reaches Rust.
#[derive(Clone, Copy, Debug)]
pub enum Call {
    /// A dedicated `#[wasm_bindgen]` export taking the converted arguments and returning the
    /// value itself, with no JSON argument list.
    Export {
        /// The export's name in the wasm-bindgen glue.
        wasm: &'static str,
        /// TypeScript type of the result.
        returns: &'static str,
        doc: &'static str,
    },
    /// The signing hot path (src/wasm/sign.rs): the converted texts are written into wasm's text
    /// buffer and the export gets their byte lengths.
    Buffered {
        wasm: &'static str,
        result: BufferedResult,
        /// TypeScript type of the result.
        returns: &'static str,
        doc: &'static str,
    },
    /// The helper of that name in this group (src/helper.rs), run through `invoke_static`:
    /// arguments and result cross as JSON. Its declaration is the helper's own `ts`.
    Helper(&'static [Helper]),
}

/// What a buffered export gives back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BufferedResult {
    /// Its value; an error is thrown.
    Value,
    /// The error, or `undefined` with the 64 hex characters of a signature left in the buffer.
    Signature,
}

/// A module-level JavaScript function.
#[derive(Clone, Copy, Debug)]
pub struct Function {
    pub name: &'static str,
    pub args: &'static [Arg],
    pub call: Call,
}

impl Function {
    /// The helper that runs this function, if it is one.
    pub fn helper(&self) -> Option<&'static Helper> {
        match self.call {
            Call::Helper(group) => group.iter().find(|h| h.name == self.name),
            Call::Export { .. } | Call::Buffered { .. } => None,
        }
    }
}

/// The arguments of the signing functions.
impl Arg {
    pub const BODY: Arg = Arg::new("body", ArgKind::Json, "object | string");
    pub const SECRET: Arg = Arg::new("secret", ArgKind::Secret, "string");
    pub const SIGNATURE: Arg = Arg::new("signature", ArgKind::Str, "string");
}

/// `kassa/tarlan`: both Tarlan Payments hosts and the signature they share.
#[cfg(any(feature = "agws", feature = "acquiring"))]
const TARLAN: Module = Module {
    name: "tarlan",
    summary: crate::schema::native_only("Tarlan Payments: the AGWS showcase gateway and its fiscal receipts, the acquiring gateway, their callbacks and webhooks, and the signature they share."),
    providers: &[
        #[cfg(feature = "agws")]
        &crate::tarlan::agws::PROVIDER,
        #[cfg(feature = "acquiring")]
        &crate::tarlan::acquiring::PROVIDER,
    ],
    functions: &[
        Function {
            name: "canonicalJson",
            args: &[Arg::new("value", ArgKind::Json, "unknown")],
            call: Call::Export {
                wasm: "canonical_json",
                returns: "string",
                doc: crate::schema::native_only("Go `encoding/json` canonical text of a value or of a JSON string."),
            },
        },
        Function {
            name: "tarlanSign",
            args: &[Arg::BODY, Arg::SECRET],
            call: Call::Buffered {
                wasm: "tarlan_sign_buffered",
                result: BufferedResult::Signature,
                returns: "string",
                doc: crate::schema::native_only("Tarlan signature (hex) of a body: object or JSON text; `\"\"` fields and `additional_data` excluded."),
            },
        },
        Function {
            name: "tarlanVerify",
            args: &[Arg::BODY, Arg::SECRET, Arg::SIGNATURE],
            call: Call::Buffered {
                wasm: "tarlan_verify_buffered",
                result: BufferedResult::Value,
                returns: "boolean",
                doc: crate::schema::native_only("Constant-time check of a Tarlan signature (hex, case-insensitive, `Bearer ` prefix allowed)."),
            },
        },
    ],
    helper_types: &[
        #[cfg(feature = "agws")]
        &crate::tarlan::agws::callback::CALLBACK,
        #[cfg(feature = "acquiring")]
        &crate::tarlan::acquiring::webhook::WEBHOOK,
    ],
    declarations: &[],
};

/// `kassa/assist`.
#[cfg(feature = "assist")]
const ASSIST: Module = Module {
    name: "assist",
    summary: crate::schema::native_only(
        "Assist (Kazakhstan): fiscal receipt data and fiscalization of external operations.",
    ),
    providers: &[&crate::assist::PROVIDER],
    functions: &[],
    helper_types: &[],
    declarations: &[],
};

/// `kassa/fiscalbox`.
#[cfg(feature = "fiscalbox")]
const FISCALBOX: Module = Module {
    name: "fiscalbox",
    summary: crate::schema::native_only(
        "FiscalBox (Uzbekistan): the fiscal box and its billing API, and Soliq receipt links.",
    ),
    providers: &[
        &crate::fiscalbox::PROVIDER,
        &crate::fiscalbox::billing::PROVIDER,
    ],
    functions: &[
        Function {
            name: "parseSoliqQr",
            args: &[Arg::new("url", ArgKind::Value, "string")],
            call: Call::Helper(&crate::fiscalbox::soliq::HELPERS),
        },
        Function {
            name: "buildSoliqQr",
            args: &[Arg::new("parts", ArgKind::Value, "SoliqQrParts")],
            call: Call::Helper(&crate::fiscalbox::soliq::HELPERS),
        },
    ],
    helper_types: &[],
    // `qrWalletSale` returns the receipt model too.
    declarations: &[crate::receipt::TS_TYPES],
};

/// `kassa/diagnose`: why a hand-made Tarlan signature does not match.
#[cfg(feature = "diagnose")]
const DIAGNOSE: Module = Module {
    name: "diagnose",
    summary: crate::schema::native_only(
        "Every step of a Tarlan signature, and which common mistake a wrong one contains.",
    ),
    providers: &[],
    functions: &[
        Function {
            name: "explainSignature",
            args: &[Arg::BODY, Arg::SECRET],
            call: Call::Helper(&crate::diagnose::HELPERS),
        },
        Function {
            name: "diagnoseSignature",
            args: &[Arg::BODY, Arg::SECRET, Arg::SIGNATURE],
            call: Call::Helper(&crate::diagnose::HELPERS),
        },
    ],
    helper_types: &[],
    declarations: &[],
};

/// The modules in this build, in the order the root entry exports them.
pub static MODULES: &[Module] = &[
    #[cfg(any(feature = "agws", feature = "acquiring"))]
    TARLAN,
    #[cfg(feature = "assist")]
    ASSIST,
    #[cfg(feature = "fiscalbox")]
    FISCALBOX,
    #[cfg(feature = "diagnose")]
    DIAGNOSE,
];

/// Functions only the root entry exports: they span several modules. Compiled only into the
/// root's build (every provider), so no module's `.wasm` carries them.
pub static ROOT_FUNCTIONS: &[Function] = &[
    #[cfg(all(feature = "tarlan", feature = "assist", feature = "fiscalbox"))]
    Function {
        name: "toFiscalReceipt",
        args: &[
            Arg::new(
                "provider",
                ArgKind::Value,
                "'agws' | 'assist' | 'fiscalbox'",
            ),
            Arg::new("result", ArgKind::Value, "unknown"),
        ],
        call: Call::Helper(&receipts::HELPERS),
    },
];

/// `toFiscalReceipt(provider, result)`: the conversion the provider declares on its
/// `ProviderDef`, chosen among this build's providers by id or class name, in any case.
#[cfg(all(feature = "tarlan", feature = "assist", feature = "fiscalbox"))]
mod receipts {
    use super::providers;
    use crate::error::{KassaError, Result};
    use crate::helper::{arg, str_arg, Helper, HelperFn};
    use crate::json::{self, Json};

    pub static HELPERS: [Helper; 1] = [Helper {
        name: "toFiscalReceipt",
        run: HelperFn::Static(to_fiscal_receipt),
        ts: crate::receipt::TS_FUNCTION,
    }];

    fn to_fiscal_receipt(args: &[Json]) -> Result<Json> {
        let name = str_arg(args, 0, "provider")?;
        let wanted = name.trim().replace('-', "");
        let issuers = || providers().filter(|p| p.receipt.is_some());
        let convert = issuers()
            .find(|p| {
                p.id.eq_ignore_ascii_case(&wanted) || p.class_name.eq_ignore_ascii_case(&wanted)
            })
            .and_then(|p| p.receipt)
            .ok_or_else(|| {
                let known: Vec<String> = issuers().map(|p| format!("'{}'", p.id)).collect();
                KassaError::validation(
                    "provider",
                    format!("must be one of {} (got {name:?})", known.join(", ")),
                )
            })?;
        let result = match arg(args, 1, "result")? {
            // A response body handed over as text.
            Json::String(text) => json::parse(text)
                .map_err(|e| KassaError::validation("result", format!("is not valid JSON: {e}")))?,
            other => other.clone(),
        };
        convert(&result)
    }
}

/// Every provider in this build, in registry order.
pub fn providers() -> impl Iterator<Item = &'static ProviderDef> {
    MODULES.iter().flat_map(|m| m.providers.iter().copied())
}

pub fn provider(id: &str) -> Option<&'static ProviderDef> {
    providers().find(|p| p.id == id)
}

/// Every module-level function in this build (the root's own last).
pub fn functions() -> impl Iterator<Item = &'static Function> {
    MODULES
        .iter()
        .flat_map(|m| m.functions.iter())
        .chain(ROOT_FUNCTIONS.iter())
}

/// The helper behind the module function `name`.
pub fn module_helper(name: &str) -> Option<&'static Helper> {
    functions().find(|f| f.name == name)?.helper()
}

/// The module that holds a provider.
pub fn module_of(provider_id: &str) -> Option<&'static Module> {
    MODULES
        .iter()
        .find(|m| m.providers.iter().any(|p| p.id == provider_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_helper_function_resolves_and_names_are_unique() {
        let mut names: Vec<&str> = providers()
            .map(|p| p.class_name)
            .chain(functions().map(|f| f.name))
            .collect();
        for f in functions() {
            if let Call::Helper(group) = f.call {
                let helper = f
                    .helper()
                    .unwrap_or_else(|| panic!("{} has no helper", f.name));
                assert!(matches!(helper.run, crate::helper::HelperFn::Static(_)));
                assert!(!group.is_empty());
            }
        }
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "an export name is used twice");
    }

    #[test]
    fn every_helper_of_a_module_group_is_exported() {
        for f in functions() {
            if let Call::Helper(group) = f.call {
                for h in group {
                    assert!(
                        functions().any(|g| g.name == h.name),
                        "helper {} is not exported",
                        h.name
                    );
                }
            }
        }
    }

    #[test]
    fn provider_ids_are_unique_and_found() {
        for p in providers() {
            assert_eq!(provider(p.id).map(|q| q.class_name), Some(p.class_name));
            assert!(module_of(p.id).is_some());
        }
    }
}
