//! The signing hot path across the boundary (`tarlanSign`, `tarlanVerify`): their texts cross
//! through one reusable buffer in wasm memory that the JavaScript side writes with
//! `TextEncoder.encodeInto` (pkg/src/client.js `Binding`), and the signature comes back in it.
//! Only builds with a Tarlan client have it.

use super::to_js;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// Where JavaScript writes the texts of a `tarlanSign` / `tarlanVerify` call (UTF-8, one
    /// after another) and where a signature comes back. wasm-bindgen's glue for `&str`
    /// arguments and a `String` result allocates and frees each of them on every call, which
    /// measured as much as the canonical JSON itself (README "Size and speed").
    static TEXT_BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The wasm memory, for the JavaScript side of the text buffer.
#[wasm_bindgen]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Makes the text buffer hold at least `capacity` bytes; returns its address in wasm memory.
#[wasm_bindgen]
pub fn text_buffer(capacity: usize) -> usize {
    TEXT_BUFFER.with_borrow_mut(|buffer| {
        if buffer.len() < capacity {
            buffer.resize(capacity, 0);
        }
        buffer.as_ptr() as usize
    })
}

/// Calls `f` with the `N` texts of the given byte lengths at the start of the text buffer.
fn with_texts<const N: usize, T>(
    lengths: [usize; N],
    f: impl FnOnce([&str; N]) -> T,
) -> Result<T, JsValue> {
    TEXT_BUFFER.with_borrow(|buffer| {
        let mut rest = buffer.as_slice();
        let mut texts = [""; N];
        for (text, length) in texts.iter_mut().zip(lengths) {
            let (bytes, after) = rest
                .split_at_checked(length)
                .ok_or_else(|| JsValue::from_str("text buffer overrun"))?;
            *text = std::str::from_utf8(bytes).map_err(|e| JsValue::from_str(&e.to_string()))?;
            rest = after;
        }
        Ok(f(texts))
    })
}

/// `tarlanSign` of the body and secret in the text buffer; the 64 hex characters of the
/// signature are written back at its start. Returns the error, or `undefined`: a `Result`
/// would cross as two values, which V8 hands over in an array (measured, 2% of a signature).
#[wasm_bindgen]
pub fn tarlan_sign_buffered(body_len: usize, secret_len: usize) -> JsValue {
    let signed = with_texts([body_len, secret_len], |[body, secret]| {
        crate::tarlan::sign::sign_digest(body, secret).map_err(to_js)
    })
    .and_then(|digest| digest)
    .and_then(|digest| {
        TEXT_BUFFER.with_borrow_mut(|buffer| {
            let start = buffer.get_mut(..2 * digest.len()).unwrap_or_default();
            hex::encode_to_slice(digest, start).map_err(|e| JsValue::from_str(&e.to_string()))
        })
    });
    signed.err().unwrap_or(JsValue::UNDEFINED)
}

/// `tarlanVerify` of the body, secret and received signature in the text buffer.
#[wasm_bindgen]
pub fn tarlan_verify_buffered(
    body_len: usize,
    secret_len: usize,
    signature_len: usize,
) -> Result<bool, JsValue> {
    with_texts(
        [body_len, secret_len, signature_len],
        |[body, secret, signature]| crate::tarlan_verify(body, secret, signature),
    )?
    .map_err(to_js)
}
