//! Functions beyond the operation tables — webhook verification, receipt links, the receipt
//! model — declared once with their TypeScript, and exposed to JavaScript generically: a
//! `Method` becomes a method of the provider's class (it sees the client configuration and
//! its secret), a `Static` a static method or a module-level function. Arguments and results
//! cross the boundary as JSON.

use crate::config::Config;
use crate::error::{KassaError, Result};
use crate::json::Json;

pub type StaticFn = fn(&[Json]) -> Result<Json>;
pub type MethodFn = fn(&Config, &[Json]) -> Result<Json>;

#[derive(Clone, Copy, Debug)]
pub enum HelperFn {
    Static(StaticFn),
    Method(MethodFn),
}

#[derive(Clone, Copy, Debug)]
pub struct Helper {
    /// The JavaScript name (camelCase).
    pub name: &'static str,
    pub run: HelperFn,
    /// TypeScript declaration: a class member (`  verifyWebhook(...): ...;`) for provider
    /// helpers, `export declare function ...` (plus its interfaces) for module helpers.
    pub ts: &'static str,
}

/// The `index`-th argument, or a validation error naming it.
pub fn arg<'a>(args: &'a [Json], index: usize, name: &str) -> Result<&'a Json> {
    args.get(index)
        .filter(|v| !v.is_null())
        .ok_or_else(|| KassaError::validation(name, "is required"))
}

/// The `index`-th argument as a string.
pub fn str_arg<'a>(args: &'a [Json], index: usize, name: &str) -> Result<&'a str> {
    arg(args, index, name)?
        .as_str()
        .ok_or_else(|| KassaError::validation(name, "must be a string"))
}
