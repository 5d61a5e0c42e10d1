//! A client's validated configuration: the options every provider shares (base URL,
//! deadline, retries), the credentials (only ever inside `Secret`), values merged into
//! requests, and the provider's own typed settings.

use crate::error::{ErrorKind, KassaError, Result};
use crate::http::validate_base_url;
use crate::json::{Json, Map};
use crate::schema::{self, Field};
use std::fmt;

/// A credential. Its `Debug` never shows the value and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for signing or for the one request field that must carry it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// A validated client configuration. Secrets live only in `secret` and `credentials`.
#[derive(Clone)]
pub struct Config {
    pub provider: &'static str,
    pub base_url: String,
    pub secret: Option<Secret>,
    /// Non-secret values merged into requests (`agent`, `merchant_id`, ...), by wire name.
    pub defaults: Map,
    /// Secret values merged into requests (Assist `Password`), by wire name.
    pub credentials: Vec<(&'static str, Secret)>,
    /// Provider switches chosen in the options (e.g. `getSigning: "empty"`).
    pub settings: Map,
    pub timeout_ms: u64,
    pub max_retries: u32,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("provider", &self.provider)
            .field("base_url", &self.base_url)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("defaults", &self.defaults.to_compact())
            .field(
                "credentials",
                &self.credentials.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            )
            .field("settings", &self.settings.to_compact())
            .finish()
    }
}

pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// Option fields every client accepts (merged into each provider's option table).
pub const TRANSPORT_OPTIONS: [Field; 2] = [
    Field::opt(
        "timeoutMs",
        schema::Ty::Int,
        "Deadline for one request, including reading the body (default 30000).",
    ),
    Field::opt(
        "maxRetries",
        schema::Ty::Int,
        "Retries for reads and idempotent writes on network errors, 429 and 5xx (default 2).",
    ),
];

impl Config {
    /// Starts a config from the options every provider shares.
    pub fn from_options(
        provider: &'static str,
        options: &Map,
        default_base: Option<&str>,
    ) -> Result<Config> {
        let base_url = match options.get("baseUrl").and_then(Json::as_str) {
            Some(url) => validate_base_url(url)?,
            None => default_base
                .map(str::to_string)
                .ok_or_else(|| KassaError::config("baseUrl", "is required for this provider"))?,
        };
        let timeout_ms = match options.get("timeoutMs").and_then(Json::as_i64) {
            Some(ms) if (1..=600_000).contains(&ms) => ms as u64,
            Some(_) => {
                return Err(KassaError::config(
                    "timeoutMs",
                    "must be between 1 and 600000",
                ))
            }
            None => DEFAULT_TIMEOUT_MS,
        };
        let max_retries = match options.get("maxRetries").and_then(Json::as_i64) {
            Some(n) if (0..=10).contains(&n) => n as u32,
            Some(_) => return Err(KassaError::config("maxRetries", "must be between 0 and 10")),
            None => DEFAULT_MAX_RETRIES,
        };
        Ok(Config {
            provider,
            base_url,
            secret: None,
            defaults: Map::new(),
            credentials: Vec::new(),
            settings: Map::new(),
            timeout_ms,
            max_retries,
        })
    }

    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings.get(key).and_then(Json::as_str)
    }

    pub fn secret_values(&self) -> Vec<&str> {
        self.secret
            .iter()
            .map(Secret::expose)
            .chain(self.credentials.iter().map(|(_, s)| s.expose()))
            .collect()
    }

    /// The signing secret, or a config error saying how to provide it.
    pub fn signing_secret(&self) -> Result<&str> {
        self.secret
            .as_ref()
            .map(Secret::expose)
            .ok_or_else(|| KassaError::config("secret", "is required to sign requests"))
    }
}

/// `merchant_id` → `merchantId`, `Merchant_ID` → `merchantId`: the option name of a wire field.
pub fn option_name(wire: &str) -> String {
    let mut out = String::new();
    for (i, part) in wire.split('_').filter(|p| !p.is_empty()).enumerate() {
        let lower = part.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.extend(chars);
            }
        }
    }
    out
}

/// Turns an option's validation error into a config error ("client option `x` ...").
pub fn as_config_error(error: KassaError) -> KassaError {
    let mut error = error.into_kind(ErrorKind::Config);
    let message = format!("client option {}", error.message());
    error.info_mut().message = message;
    error
}
