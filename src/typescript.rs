//! Generates the package's TypeScript declarations from the registry and the provider tables,
//! so params, results and options are described once (in Rust) and no `.d.ts` can drift. A
//! declaration file is built as a list of items — interfaces, classes with their members,
//! functions — and rendered once; nothing is spliced into a text template. Declarations that
//! live next to their Rust (helpers, flows, the receipt model) are items of their own.
//!
//! Files: `types.d.ts` (what every entry shares: `KassaError`, `HttpRequest`, ...) and one
//! `index.d.ts` per entry (`module`), self-contained apart from `types.d.ts`.

use crate::config::option_name;
use crate::error::ErrorKind;
use crate::provider::ProviderDef;
use crate::registry::{self, Call, Function, Module};
use crate::schema::{Extra, Field, Presence, Ty};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The path of the shared declarations, relative to an entry's `index.d.ts`.
pub const SHARED_FROM: &str = "../types.js";

// ---------------------------------------------------------------------------------------
// The declaration model

/// A parameter of a function, method or constructor.
pub struct Param {
    pub name: String,
    pub ty: String,
    pub optional: bool,
}

impl Param {
    pub fn new(name: impl Into<String>, ty: impl Into<String>) -> Param {
        Param {
            name: name.into(),
            ty: ty.into(),
            optional: false,
        }
    }

    pub fn optional(self) -> Param {
        Param {
            optional: true,
            ..self
        }
    }
}

/// A member of an interface or class.
pub enum Member {
    Property {
        doc: String,
        name: String,
        ty: String,
        optional: bool,
        readonly: bool,
        is_static: bool,
    },
    /// `[key: string]: unknown;`
    Index {
        doc: String,
        ty: String,
    },
    Constructor(Vec<Param>),
    Method {
        doc: String,
        is_static: bool,
        name: String,
        /// Type parameters without the angle brackets (`K extends keyof X`), or empty.
        generics: String,
        params: Vec<Param>,
        returns: String,
    },
    /// A member declared next to its Rust (a helper or a flow).
    Verbatim(&'static str),
}

impl Member {
    pub fn property(name: impl Into<String>, ty: impl Into<String>) -> Member {
        Member::Property {
            doc: String::new(),
            name: name.into(),
            ty: ty.into(),
            optional: false,
            readonly: false,
            is_static: false,
        }
    }

    pub fn method(
        name: impl Into<String>,
        params: Vec<Param>,
        returns: impl Into<String>,
    ) -> Member {
        Member::Method {
            doc: String::new(),
            is_static: false,
            name: name.into(),
            generics: String::new(),
            params,
            returns: returns.into(),
        }
    }

    /// Adds a doc comment.
    pub fn doc(mut self, text: impl Into<String>) -> Member {
        match &mut self {
            Member::Property { doc, .. }
            | Member::Index { doc, .. }
            | Member::Method { doc, .. } => *doc = text.into(),
            Member::Constructor(_) | Member::Verbatim(_) => {}
        }
        self
    }

    pub fn optional(mut self) -> Member {
        if let Member::Property { optional, .. } = &mut self {
            *optional = true;
        }
        self
    }

    pub fn readonly(mut self) -> Member {
        if let Member::Property { readonly, .. } = &mut self {
            *readonly = true;
        }
        self
    }

    pub fn static_(mut self) -> Member {
        match &mut self {
            Member::Property { is_static, .. } | Member::Method { is_static, .. } => {
                *is_static = true
            }
            _ => {}
        }
        self
    }

    pub fn generic(mut self, type_params: impl Into<String>) -> Member {
        if let Member::Method { generics, .. } = &mut self {
            *generics = type_params.into();
        }
        self
    }
}

/// A top-level declaration.
pub enum Item {
    /// `import type { a, b } from 'x';` (or a value import when `type_only` is false).
    Import {
        names: Vec<String>,
        from: String,
        type_only: bool,
    },
    /// `export { a, b };` of names in scope.
    Export { names: Vec<String>, type_only: bool },
    Alias {
        doc: String,
        name: String,
        ty: String,
    },
    Interface {
        doc: String,
        name: String,
        members: Vec<Member>,
    },
    Class {
        doc: String,
        name: String,
        extends: Option<String>,
        members: Vec<Member>,
    },
    Function {
        doc: String,
        name: String,
        params: Vec<Param>,
        returns: String,
    },
    /// Declarations kept next to their Rust (a module helper's, the receipt model).
    Verbatim(&'static str),
}

/// A declaration file: a header comment and its items, rendered once.
pub struct Dts {
    pub header: String,
    pub items: Vec<Item>,
}

fn doc_comment(doc: &str, indent: &str, out: &mut String) {
    if !doc.is_empty() {
        let _ = writeln!(out, "{indent}/** {} */", doc.replace("*/", "* /"));
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn property_name(name: &str) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        name.to_string()
    } else {
        quote(name)
    }
}

fn params_text(params: &[Param]) -> String {
    params
        .iter()
        .map(|p| {
            let optional = if p.optional { "?" } else { "" };
            format!("{}{optional}: {}", p.name, p.ty)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The members of an interface, class or inline object type, one per line at `indent`.
pub fn render_members(members: &[Member], indent: &str, out: &mut String) {
    for member in members {
        match member {
            Member::Property {
                doc,
                name,
                ty,
                optional,
                readonly,
                is_static,
            } => {
                doc_comment(doc, indent, out);
                let _ = writeln!(
                    out,
                    "{indent}{}{}{}{}: {ty};",
                    if *is_static { "static " } else { "" },
                    if *readonly { "readonly " } else { "" },
                    property_name(name),
                    if *optional { "?" } else { "" },
                );
            }
            Member::Index { doc, ty } => {
                doc_comment(doc, indent, out);
                let _ = writeln!(out, "{indent}[key: string]: {ty};");
            }
            Member::Constructor(params) => {
                let _ = writeln!(out, "{indent}constructor({});", params_text(params));
            }
            Member::Method {
                doc,
                is_static,
                name,
                generics,
                params,
                returns,
            } => {
                doc_comment(doc, indent, out);
                let generics = if generics.is_empty() {
                    String::new()
                } else {
                    format!("<{generics}>")
                };
                let _ = writeln!(
                    out,
                    "{indent}{}{name}{generics}({}): {returns};",
                    if *is_static { "static " } else { "" },
                    params_text(params)
                );
            }
            Member::Verbatim(text) => {
                out.push_str(text.trim_end_matches('\n'));
                out.push('\n');
            }
        }
    }
}

impl Dts {
    pub fn render(&self) -> String {
        let mut out = String::new();
        for line in self.header.lines() {
            let _ = writeln!(out, "// {line}");
        }
        out.push('\n');
        for item in &self.items {
            match item {
                Item::Import {
                    names,
                    from,
                    type_only,
                } => {
                    let _ = writeln!(
                        out,
                        "import {}{{ {} }} from '{from}';",
                        if *type_only { "type " } else { "" },
                        names.join(", ")
                    );
                }
                Item::Export { names, type_only } => {
                    let _ = writeln!(
                        out,
                        "export {}{{ {} }};",
                        if *type_only { "type " } else { "" },
                        names.join(", ")
                    );
                }
                Item::Alias { doc, name, ty } => {
                    out.push('\n');
                    doc_comment(doc, "", &mut out);
                    let _ = writeln!(out, "export type {name} = {ty};");
                }
                Item::Interface { doc, name, members } => {
                    out.push('\n');
                    doc_comment(doc, "", &mut out);
                    let _ = writeln!(out, "export interface {name} {{");
                    render_members(members, "  ", &mut out);
                    out.push_str("}\n");
                }
                Item::Class {
                    doc,
                    name,
                    extends,
                    members,
                } => {
                    out.push('\n');
                    doc_comment(doc, "", &mut out);
                    let extends = extends
                        .as_ref()
                        .map(|e| format!(" extends {e}"))
                        .unwrap_or_default();
                    let _ = writeln!(out, "export declare class {name}{extends} {{");
                    render_members(members, "  ", &mut out);
                    out.push_str("}\n");
                }
                Item::Function {
                    doc,
                    name,
                    params,
                    returns,
                } => {
                    out.push('\n');
                    doc_comment(doc, "", &mut out);
                    let _ = writeln!(
                        out,
                        "export declare function {name}({}): {returns};",
                        params_text(params)
                    );
                }
                Item::Verbatim(text) => {
                    out.push('\n');
                    out.push_str(text.trim_end_matches('\n'));
                    out.push('\n');
                }
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// Types of the schema tables

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Params,
    Result,
    /// A field the SDK computes: its enums are closed (we know every value).
    Computed,
}

/// Renders schema types, collecting the named interfaces they use.
#[derive(Default)]
struct Renderer {
    named: BTreeMap<String, Vec<Member>>,
}

impl Renderer {
    fn ty(&mut self, ty: &Ty, mode: Mode, indent: &str) -> String {
        match ty {
            Ty::Str => "string".into(),
            Ty::Int | Ty::Num => "number".into(),
            Ty::Money { .. } | Ty::Decimal => match (ty, mode) {
                (_, Mode::Params) => "number | string".into(),
                (Ty::Decimal, _) => "string".into(),
                _ => "number".into(),
            },
            Ty::Bool => "boolean".into(),
            Ty::Enum(values) => {
                let mut parts: Vec<String> = values.iter().map(|v| quote(v)).collect();
                if mode == Mode::Result {
                    // Providers add values over time: keep autocompletion, accept the rest.
                    parts.push("(string & {})".into());
                }
                parts.join(" | ")
            }
            Ty::Object(fields) => {
                let members = self.members(fields, mode, &[], indent);
                inline_object(&members, indent)
            }
            Ty::Named(name, fields) => {
                let name = match mode {
                    Mode::Params => format!("{name}Input"),
                    Mode::Result | Mode::Computed => name.to_string(),
                };
                if !self.named.contains_key(&name) {
                    // Reserve the name first: a type may refer to itself.
                    self.named.insert(name.clone(), Vec::new());
                    let members = self.members(fields, mode, &[], "  ");
                    self.named.insert(name.clone(), members);
                }
                name
            }
            Ty::Array(item) => format!("Array<{}>", self.ty(item, mode, indent)),
            Ty::AnyObject => "Record<string, unknown>".into(),
            Ty::Any => "unknown".into(),
            Ty::OneOf(options) => options
                .iter()
                .map(|o| self.ty(o, mode, indent))
                .collect::<Vec<_>>()
                .join(" | "),
            Ty::Nullable(inner) => format!("{} | null", self.ty(inner, mode, indent)),
        }
    }

    /// One property per field; `optional_too` names params the caller may leave out.
    fn members(
        &mut self,
        fields: &[Field],
        mode: Mode,
        optional_too: &[&str],
        indent: &str,
    ) -> Vec<Member> {
        let inner = format!("{indent}  ");
        fields
            .iter()
            .filter(|f| !(mode == Mode::Params && f.presence == Presence::Computed))
            .map(|field| {
                let optional = match mode {
                    Mode::Params => {
                        !field.is_required()
                            || field.sdk_default
                            || optional_too.contains(&field.name)
                    }
                    Mode::Result | Mode::Computed => field.presence == Presence::Optional,
                };
                let mut doc = field.doc.to_string();
                if let (Mode::Params, Some(check)) = (mode, field.check) {
                    let _ = write!(doc, " Rule: {}.", check.rule);
                }
                let field_mode = match (mode, field.presence) {
                    (Mode::Result, Presence::Computed) => Mode::Computed,
                    _ => mode,
                };
                let member = Member::property(field.name, self.ty(&field.ty, field_mode, &inner))
                    .doc(doc.trim());
                if optional {
                    member.optional()
                } else {
                    member
                }
            })
            .collect()
    }

    /// The named interfaces collected so far, as items.
    fn take_named(&mut self) -> Vec<Item> {
        std::mem::take(&mut self.named)
            .into_iter()
            .map(|(name, members)| Item::Interface {
                doc: String::new(),
                name,
                members,
            })
            .collect()
    }
}

fn inline_object(members: &[Member], indent: &str) -> String {
    let mut out = String::from("{\n");
    render_members(members, &format!("{indent}  "), &mut out);
    out.push_str(indent);
    out.push('}');
    out
}

fn pascal_case(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// The shared declarations

/// Every name `types.d.ts` declares, the value (the class) first.
const SHARED_VALUES: [&str; 1] = ["KassaError"];
const SHARED_TYPES: [&str; 10] = [
    "ErrorKind",
    "KassaErrorInfo",
    "HttpRequest",
    "HttpResponseLike",
    "FetchLike",
    "CallOptions",
    "CodeEntry",
    "OperationInfo",
    "ParamInfo",
    "Outcome",
];

const HEADER: &str = "Generated by `kassa-typegen` from src/registry.rs and the operation tables. Do not edit by hand.";

fn error_fields(readonly: bool) -> Vec<Member> {
    let field = |name: &str, ty: &str, doc: &str| {
        let m = Member::property(name, ty).doc(doc);
        if readonly {
            m.readonly()
        } else {
            m
        }
    };
    vec![
        field("kind", "ErrorKind", ""),
        field("provider", "string | null", "Provider id: 'agws' | 'acquiring' | 'assist' | 'fiscalbox' | 'fiscalboxBilling'."),
        field("operation", "string | null", "Operation name, when the error belongs to one."),
        field("code", "number | string | null", "The provider's own code, when it gave one."),
        field("field", "string | null", "The offending field (validation, decode, config)."),
        field("httpStatus", "number | null", ""),
        field("retryable", "boolean", "True when repeating the same call later may succeed."),
        field("reference", "Record<string, unknown>", "For `unknown_outcome`: what identifies the payment (e.g. `{ external_id: '200001' }`).").optional(),
        field("details", "Record<string, unknown>", "Provider specifics: second codes, per-field messages, the provider's raw message."),
    ]
}

/// `types.d.ts`: what every entry shares.
pub fn shared() -> Dts {
    let kinds = ErrorKind::ALL
        .iter()
        .map(|k| quote(k.as_str()))
        .collect::<Vec<_>>()
        .join(" | ");
    let mut error_members = vec![Member::property("name", "'KassaError'").readonly()];
    error_members.extend(error_fields(true));
    error_members.push(Member::Constructor(vec![Param::new(
        "info",
        "Partial<KassaErrorInfo> & { kind: ErrorKind; message: string }",
    )]));
    error_members.push(Member::method("toJSON", vec![], "KassaErrorInfo"));
    let mut info_members = vec![Member::property("message", "string")];
    info_members.extend(error_fields(false));
    let methods = ["GET", "POST", "DELETE"].map(quote).join(" | ");
    let classes = crate::operation::OpClass::ALL
        .iter()
        .map(|c| quote(c.as_str()))
        .collect::<Vec<_>>()
        .join(" | ");
    let outcomes = crate::codes::Outcome::ALL
        .iter()
        .map(|o| quote(o.as_str()))
        .collect::<Vec<_>>()
        .join(" | ");
    Dts {
        header: format!("{HEADER}\nWhat every kassa entry shares."),
        items: vec![
            Item::Alias {
                doc: "What went wrong, as one of a closed set of kinds.".into(),
                name: "ErrorKind".into(),
                ty: kinds,
            },
            Item::Alias {
                doc: "Where a payment stands, as far as the caller needs to act.".into(),
                name: "Outcome".into(),
                ty: outcomes,
            },
            Item::Class {
                doc: "The one error class kassa throws, whichever entry threw it. Messages say what to do and never contain a secret.".into(),
                name: "KassaError".into(),
                extends: Some("Error".into()),
                members: error_members,
            },
            Item::Interface {
                doc: String::new(),
                name: "KassaErrorInfo".into(),
                members: info_members,
            },
            Item::Interface {
                doc: "A request ready to send: exactly the bytes kassa signed.".into(),
                name: "HttpRequest".into(),
                members: vec![
                    Member::property("method", methods.as_str()),
                    Member::property("url", "string"),
                    Member::property("headers", "Record<string, string>"),
                    Member::property("body", "string | null")
                        .doc("JSON (or form/SOAP) text, or null for GET."),
                ],
            },
            Item::Interface {
                doc: "A response to parse, e.g. from your own HTTP client.".into(),
                name: "HttpResponseLike".into(),
                members: vec![
                    Member::property("status", "number"),
                    Member::property("headers", "Record<string, string> | Headers").optional(),
                    Member::property("body", "string | null"),
                ],
            },
            Item::Alias {
                doc: "A `fetch`-compatible function (Node 18+, Workers, browsers, undici, node-fetch).".into(),
                name: "FetchLike".into(),
                ty: "(input: string, init?: RequestInit) => Promise<Response>".into(),
            },
            Item::Interface {
                doc: "Per-call overrides of the client's transport options.".into(),
                name: "CallOptions".into(),
                members: vec![
                    Member::property("timeoutMs", "number")
                        .optional()
                        .doc("Deadline for this call, including reading the body."),
                    Member::property("maxRetries", "number")
                        .optional()
                        .doc("Retries for reads and idempotent writes."),
                    Member::property("signal", "AbortSignal")
                        .optional()
                        .doc("Cancels the call."),
                ],
            },
            Item::Interface {
                doc: "One row of a provider code table (errors, statuses, reasons).".into(),
                name: "CodeEntry".into(),
                members: vec![
                    Member::property("code", "number | string"),
                    Member::property("message", "string"),
                    Member::property("meaning", "string"),
                    Member::property("action", "string").optional(),
                    Member::property("kind", "ErrorKind").optional(),
                    Member::property("retryable", "boolean"),
                    Member::property("outcome", "Outcome").optional(),
                    Member::property("legacy", "boolean")
                        .optional()
                        .doc("True for a spelling only an older revision of the provider's docs uses."),
                    Member::property("current", "string")
                        .optional()
                        .doc("For a legacy spelling: the current code it stands for."),
                ],
            },
            Item::Interface {
                doc: "One parameter of an operation, as `describe()` shows it.".into(),
                name: "ParamInfo".into(),
                members: vec![
                    Member::property("name", "string").doc("The provider's wire name."),
                    Member::property("type", "string").doc("Its TypeScript type."),
                    Member::property("required", "boolean"),
                    Member::property("doc", "string").doc("What the provider's docs say about it."),
                    Member::property("fromOptions", "boolean")
                        .doc("Filled from a client option when not given."),
                    Member::property("option", "string").doc("That client option's name."),
                ],
            },
            Item::Interface {
                doc: "How an operation is declared: what `describe()` returns.".into(),
                name: "OperationInfo".into(),
                members: vec![
                    Member::property("name", "string"),
                    Member::property("summary", "string"),
                    Member::property("method", methods.as_str()),
                    Member::property("path", "string"),
                    Member::property("class", classes.as_str()),
                    Member::property("params", "ParamInfo[]"),
                ],
            },
        ],
    }
}

// ---------------------------------------------------------------------------------------
// One entry

fn provider_items(r: &mut Renderer, p: &ProviderDef, out: &mut Vec<Item>) {
    let class = p.class_name;
    let mut options = r.members(p.options, Mode::Params, &[], "  ");
    options.push(
        Member::property("fetch", "FetchLike")
            .optional()
            .doc("The `fetch` to use; defaults to globalThis.fetch."),
    );
    out.push(Item::Interface {
        doc: String::new(),
        name: format!("{class}Options"),
        members: options,
    });
    let operations = format!("{class}Operations");
    let mut table = Vec::new();
    let mut methods = Vec::new();
    for op in p.ops {
        let pascal = pascal_case(op.name);
        let params_name = format!("{class}{pascal}Params");
        let result_name = format!("{class}{pascal}Result");
        let mut params = r.members(op.params, Mode::Params, op.from_options, "  ");
        if op.extra == Extra::PassThrough {
            // The table is known to be incomplete upstream: undocumented parameters go through.
            params.push(
                Member::Index {
                    doc: String::new(),
                    ty: "unknown".into(),
                }
                .doc("Parameters the docs do not list are sent as given."),
            );
        }
        out.push(Item::Interface {
            doc: String::new(),
            name: params_name.clone(),
            members: params,
        });
        out.push(Item::Alias {
            doc: String::new(),
            name: result_name.clone(),
            ty: r.ty(&op.result, Mode::Result, ""),
        });
        table.push(Member::property(
            op.name,
            format!("{{ params: {params_name}; result: {result_name} }}"),
        ));
        let may_omit_params = op
            .params
            .iter()
            .all(|f| !f.is_required() || f.sdk_default || op.from_options.contains(&f.name));
        let params = Param::new("params", params_name);
        methods.push(
            Member::method(
                op.name,
                vec![
                    if may_omit_params {
                        params.optional()
                    } else {
                        params
                    },
                    Param::new("options", "CallOptions").optional(),
                ],
                format!("Promise<{result_name}>"),
            )
            .doc(format!(
                "{} ({} {}, {})",
                op.summary,
                op.method.as_str(),
                op.path,
                op.class.as_str()
            )),
        );
    }
    out.push(Item::Interface {
        doc: String::new(),
        name: operations.clone(),
        members: table,
    });
    let tables: Vec<Member> = p
        .tables
        .iter()
        .map(|t| Member::property(t.id, "CodeEntry[]").doc(t.title))
        .collect();
    // `name<K extends keyof XOperations>(operation: K, ...)`: the generic methods over operations.
    let by_operation = |name: &str, rest: &[&str], returns: &str| {
        let mut params = vec![Param::new("operation", "K")];
        params.extend(rest.iter().map(|arg| match *arg {
            "params" => Param::new("params", format!("{operations}[K]['params']")),
            "response" => Param::new("response", "HttpResponseLike"),
            _ => Param::new("options", "CallOptions").optional(),
        }));
        Member::method(name, params, returns).generic(format!("K extends keyof {operations}"))
    };
    let mut members = vec![
        Member::Constructor(vec![Param::new("options", format!("{class}Options"))]),
        Member::property("codes", inline_object(&tables, "  "))
            .static_()
            .readonly()
            .doc("The provider's code tables, with messages and what to do."),
        Member::method("operations", vec![], format!("Array<keyof {operations}>"))
            .doc("Every operation this client supports."),
        Member::method("describe", vec![], "OperationInfo[]")
            .doc("How each operation is declared (method, path, params with their docs)."),
        Member::method(
            "describe",
            vec![Param::new("operation", format!("keyof {operations}"))],
            "OperationInfo",
        )
        .doc("How one operation is declared, with the docs of its params."),
        by_operation("build", &["params"], "HttpRequest")
            .doc("Builds the signed request without sending it."),
        by_operation("curl", &["params"], "string")
            .doc("The same request as a copy-pasteable curl command."),
        by_operation(
            "parse",
            &["response"],
            &format!("{operations}[K]['result']"),
        )
        .doc("Parses a response into the typed result, or throws a KassaError."),
        by_operation(
            "call",
            &["params", "options"],
            &format!("Promise<{operations}[K]['result']>"),
        )
        .doc("Builds, sends with retries as safe for the operation, and parses."),
    ];
    members.extend(methods);
    members.push(
        Member::method("toJSON", vec![], "Record<string, unknown>")
            .doc("Configuration without secrets."),
    );
    members.extend(p.helpers.iter().map(|h| Member::Verbatim(h.ts)));
    members.extend(p.flows.iter().map(|f| Member::Verbatim(f.ts)));
    out.push(Item::Class {
        doc: p.title.to_string(),
        name: class.to_string(),
        extends: None,
        members,
    });
}

fn function_item(f: &Function) -> Item {
    match f.call {
        Call::Export { returns, doc, .. } | Call::Buffered { returns, doc, .. } => Item::Function {
            doc: doc.to_string(),
            name: f.name.to_string(),
            params: f.args.iter().map(|a| Param::new(a.name, a.ts)).collect(),
            returns: returns.to_string(),
        },
        Call::Helper(_) => Item::Verbatim(f.helper().map(|h| h.ts).unwrap_or_default()),
    }
}

/// The `index.d.ts` of an entry holding these modules and these extra functions.
pub fn entry(title: &str, modules: &[&Module], extra_functions: &[Function]) -> Dts {
    let mut items = vec![
        Item::Import {
            names: SHARED_VALUES.iter().map(|s| s.to_string()).collect(),
            from: SHARED_FROM.into(),
            type_only: false,
        },
        Item::Import {
            names: SHARED_TYPES.iter().map(|s| s.to_string()).collect(),
            from: SHARED_FROM.into(),
            type_only: true,
        },
        Item::Export {
            names: SHARED_VALUES.iter().map(|s| s.to_string()).collect(),
            type_only: false,
        },
        Item::Export {
            names: SHARED_TYPES.iter().map(|s| s.to_string()).collect(),
            type_only: true,
        },
    ];
    let mut r = Renderer::default();
    let mut declared = Vec::new();
    for module in modules {
        for p in module.providers {
            provider_items(&mut r, p, &mut declared);
        }
        for ty in module.helper_types {
            r.ty(ty, Mode::Result, "");
        }
        declared.extend(module.declarations.iter().map(|d| Item::Verbatim(d)));
        declared.extend(module.functions.iter().map(function_item));
    }
    declared.extend(extra_functions.iter().map(function_item));
    items.extend(r.take_named());
    items.extend(declared);
    Dts {
        header: format!("{HEADER}\n{title}"),
        items,
    }
}

/// The `index.d.ts` of a module's own entry (`kassa/tarlan`, ...).
pub fn module(name: &str) -> Option<String> {
    let m = registry::MODULES.iter().find(|m| m.name == name)?;
    Some(entry(&format!("kassa/{}: {}", m.name, m.summary), &[m], &[]).render())
}

/// The `index.d.ts` of the root entry `kassa`: every module.
pub fn root() -> String {
    let modules: Vec<&Module> = registry::MODULES.iter().collect();
    entry(
        "kassa: every module in one entry.",
        &modules,
        registry::ROOT_FUNCTIONS,
    )
    .render()
}

/// `{name, summary, method, path, class, params: [...]}` for every operation (JSON), with the
/// docs of the params: what `describe()` returns.
pub fn describe_operations(p: &ProviderDef) -> crate::json::Json {
    use crate::json::{obj, Json};
    let mut r = Renderer::default();
    Json::Array(
        p.ops
            .iter()
            .map(|op| {
                let params = op
                    .params
                    .iter()
                    .map(|f| {
                        obj([
                            ("name", Json::str(f.name)),
                            ("type", Json::str(r.ty(&f.ty, Mode::Params, ""))),
                            ("required", Json::Bool(f.is_required())),
                            ("doc", Json::str(f.doc)),
                            ("fromOptions", Json::Bool(op.from_options.contains(&f.name))),
                            ("option", Json::str(option_name(f.name))),
                        ])
                    })
                    .collect();
                obj([
                    ("name", Json::str(op.name)),
                    ("summary", Json::str(op.summary)),
                    ("method", Json::str(op.method.as_str())),
                    ("path", Json::str(op.path)),
                    ("class", Json::str(op.class.as_str())),
                    ("params", Json::Array(params)),
                ])
            })
            .collect(),
    )
}
