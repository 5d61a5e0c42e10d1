//! A client's validated configuration: the options every provider shares (base URL,
//! deadline, retries), the credentials (only ever inside `Secret`), values merged into
//! requests, and the provider's own typed settings.

use crate::error::{ErrorKind, KassaError, Result};
use crate::http::validate_base_url;
use crate::json::{Json, Map};
use crate::schema::{self, Field};
use std::any::Any;
use std::fmt;
use std::sync::Arc;

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
    /// The provider's own switches chosen in the options (e.g. AGWS `getSigning`), typed.
    settings: Arc<dyn ProviderSettings>,
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
            .field("settings", &self.settings)
            .finish()
    }
}

/// A provider's own settings: each provider declares a struct of typed switches, stores it in
/// its `configure` (`Config::with_settings`) and reads it back with `Config::settings`.
/// Nothing about a provider is looked up by string.
pub trait ProviderSettings: Any + fmt::Debug + Send + Sync {
    /// The options that chose these settings, by option name (never a secret).
    fn describe(&self) -> Map;
}

/// A setting chosen by name among fixed values (`getSigning: 'query' | 'empty'`). Declared
/// with `choice!`, which writes each name once: the option's `Ty::Enum` uses `NAMES` too.
pub trait Choice: Copy + 'static {
    /// Every option spelling; the first is the default's.
    const NAMES: &'static [&'static str];
    const DEFAULT: Self;
    fn from_name(name: &str) -> Option<Self>;
    fn name(self) -> &'static str;

    /// The value an option chose, or `None` when it was not given (the option schema has
    /// already refused any other spelling).
    fn given(options: &Map, option: &str) -> Option<Self> {
        options
            .get(option)
            .and_then(Json::as_str)
            .and_then(Self::from_name)
    }

    /// The value an option chose, the default when it was not given.
    fn read(options: &Map, option: &str) -> Self {
        Self::given(options, option).unwrap_or(Self::DEFAULT)
    }
}

/// Declares a `Choice` enum; the first value is the default:
/// `choice!(pub enum GetSigning { Query = "query", EmptyObject = "empty" })`.
#[macro_export]
macro_rules! choice {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $(#[$dmeta:meta])* $default:ident = $dtext:literal
        $(, $(#[$vmeta:meta])* $variant:ident = $text:literal)* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name {
            $(#[$dmeta])* $default,
            $($(#[$vmeta])* $variant),*
        }

        impl $crate::config::Choice for $name {
            const NAMES: &'static [&'static str] = &[$dtext $(, $text)*];
            const DEFAULT: $name = $name::$default;

            fn from_name(name: &str) -> Option<$name> {
                match name {
                    $dtext => Some($name::$default),
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }

            fn name(self) -> &'static str {
                match self {
                    $name::$default => $dtext,
                    $($name::$variant => $text),*
                }
            }
        }
    };
}

/// The settings of a provider that has none.
#[derive(Debug)]
pub struct NoSettings;

impl ProviderSettings for NoSettings {
    fn describe(&self) -> Map {
        Map::new()
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
            settings: Arc::new(NoSettings),
            timeout_ms,
            max_retries,
        })
    }

    /// Stores the provider's typed settings (its `configure` does, once).
    pub fn with_settings(mut self, settings: impl ProviderSettings) -> Config {
        self.settings = Arc::new(settings);
        self
    }

    /// The provider's settings, when they are of type `S` (they always are for the provider
    /// whose `configure` made this config).
    pub fn settings<S: ProviderSettings>(&self) -> Option<&S> {
        let any: &dyn Any = self.settings.as_ref();
        any.downcast_ref()
    }

    /// What the settings say, by option name, for `toJSON()`.
    pub fn describe_settings(&self) -> Map {
        self.settings.describe()
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
