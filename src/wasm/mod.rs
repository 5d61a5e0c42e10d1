//! The wasm-bindgen boundary. Thin on purpose: one string in, one string out per call
//! (JSON across the boundary is cheaper than walking JS objects field by field). Errors cross
//! as real `KassaError` objects: the entry registers the class (`use_error_class`) and Rust
//! constructs it. What JavaScript needs to know about this build — its classes, operations
//! and functions — is generated from the registry at build time, not asked for at run time.

use crate::error::KassaError;
use crate::helper::HelperFn;
use crate::json::{self, Json};
use crate::registry;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[cfg(feature = "client")]
mod client;
#[cfg(any(feature = "agws", feature = "acquiring"))]
mod sign;

#[cfg(feature = "client")]
pub use client::{code_tables, WasmClient, WasmTask};
#[cfg(any(feature = "agws", feature = "acquiring"))]
pub use sign::{tarlan_sign_buffered, tarlan_verify_buffered, text_buffer, wasm_memory};

/// The allocator of every `.wasm`: talc, 3.4 KB smaller than the standard library's dlmalloc
/// and no slower (README "Size and speed").
#[global_allocator]
// SAFETY: `TalckWasm` requires single-threaded wasm, which every kassa module is: it is built
// for wasm32-unknown-unknown without the `atomics` feature, so no instance shares its memory.
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

/// The JavaScript built-ins the binding calls, declared here rather than taken from js-sys:
/// linking js-sys brings its futures and closure machinery into every module, used or not
/// (5 KB of kassa/tarlan: README "Size and speed").
#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of JSON that Rust wrote (it cannot throw).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &str) -> JsValue;
    #[wasm_bindgen(js_namespace = Reflect, js_name = construct, catch)]
    fn construct(class: &JsValue, arguments: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = assign)]
    fn assign(target: &JsValue, source: &JsValue) -> JsValue;
    /// `Error(message)`: a new `Error`, as with `new`.
    #[wasm_bindgen(js_name = Error)]
    fn plain_error(message: &str) -> JsValue;
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

thread_local! {
    /// The `KassaError` class of the JavaScript package (pkg/src/error.js).
    static ERROR_CLASS: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Called once by each entry right after instantiation: errors leaving wasm are then
/// constructed as instances of this class.
#[wasm_bindgen]
pub fn use_error_class(class: JsValue) {
    ERROR_CLASS.with(|slot| *slot.borrow_mut() = Some(class));
}

/// The JavaScript error for a `KassaError`: `new KassaError(info)` with the registered class,
/// else (the raw glue, without an entry) a plain `Error` named `KassaError` with the same fields.
pub fn to_js(error: KassaError) -> JsValue {
    let info = error.to_json();
    let constructed = ERROR_CLASS.with(|slot| {
        let class = slot.borrow();
        let class = class.as_ref()?;
        // `[info]`: the constructor's argument list, parsed as one JSON array.
        let arguments = json_parse(&Json::Array(vec![info.clone()]).to_compact());
        construct(class, &arguments).ok()
    });
    constructed.unwrap_or_else(|| {
        let mut fields = match info {
            Json::Object(fields) => fields,
            _ => json::Map::new(),
        };
        fields.insert("name", Json::str("KassaError"));
        assign(
            &plain_error(error.message()),
            &json_parse(&Json::Object(fields).to_compact()),
        )
    })
}

/// The JavaScript clock (Unix ms), for requests built now.
pub fn now_ms() -> i64 {
    date_now() as i64
}

fn parse_arg(text: &str, what: &str) -> Result<Json, KassaError> {
    json::parse(text).map_err(|e| KassaError::validation(what, format!("is not valid JSON: {e}")))
}

#[cfg(any(feature = "agws", feature = "acquiring"))]
#[wasm_bindgen]
pub fn canonical_json(text: &str) -> Result<String, JsValue> {
    crate::canonical_json(text).map_err(to_js)
}

fn not_a_provider(provider: &str) -> JsValue {
    to_js(KassaError::config(
        "provider",
        format!("`{provider}` is not a provider of this kassa module"),
    ))
}

fn parse_args(args: &str) -> Result<Vec<Json>, KassaError> {
    match parse_arg(args, "arguments")? {
        Json::Array(items) => Ok(items),
        other => Ok(vec![other]),
    }
}

/// Calls a static helper: of a provider (`provider` = its id) or a module function (`""`).
#[wasm_bindgen]
pub fn invoke_static(provider: &str, name: &str, args: &str) -> Result<String, JsValue> {
    let owner = registry::provider(provider);
    let helper = match owner {
        Some(p) => p.helper(name),
        None if provider.is_empty() => registry::module_helper(name),
        None => return Err(not_a_provider(provider)),
    };
    let run = match helper.map(|h| h.run) {
        Some(HelperFn::Static(run)) => run,
        _ => {
            return Err(to_js(KassaError::validation(
                "function",
                format!("`{name}` is not a kassa function"),
            )))
        }
    };
    let args = parse_args(args).map_err(to_js)?;
    let mut result = run(&args);
    if let Some(p) = owner {
        result = result.map_err(|e| e.with_provider(p.id));
    }
    result.map(|r| r.to_compact()).map_err(to_js)
}
