//! Providers, client configuration and the generic build/parse pipeline shared by all of
//! them. A provider contributes a `ProviderDef` (its options, operation table, request
//! encoder, response envelope and code tables); everything else happens here once.

use crate::codes::CodeTable;
use crate::error::{ErrorKind, KassaError, Result};
use crate::http::{encode_component, join_url, validate_base_url, HttpRequest, HttpResponse};
use crate::json::{Json, Map};
use crate::operation::{BuildCtx, EncodeFn, EnvelopeFn, Operation};
use crate::schema::{self, Extra, Field};
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

#[derive(Debug)]
pub struct ProviderDef {
    /// Short id used in errors and tables: "agws", "acquiring", "assist", "fiscalbox".
    pub id: &'static str,
    pub title: &'static str,
    /// The JavaScript class that wraps a client of this provider.
    pub class_name: &'static str,
    /// Client options (camelCase), validated when a client is created.
    pub options: &'static [Field],
    pub ops: &'static [Operation],
    pub configure: fn(&Map) -> Result<Config>,
    pub encode: EncodeFn,
    pub envelope: EnvelopeFn,
    pub tables: &'static [&'static CodeTable],
    /// Functions beyond the table: webhook helpers and the like (see `helper`).
    pub helpers: &'static [crate::helper::Helper],
    /// Multi-step flows driven by the transport (see `flow`).
    pub flows: &'static [crate::flow::FlowDef],
}

impl ProviderDef {
    pub fn op(&self, name: &str) -> Option<&'static Operation> {
        self.ops.iter().find(|op| op.name == name)
    }

    pub fn helper(&self, name: &str) -> Option<&'static crate::helper::Helper> {
        self.helpers.iter().find(|h| h.name == name)
    }

    pub fn flow(&self, name: &str) -> Option<&'static crate::flow::FlowDef> {
        self.flows.iter().find(|f| f.name == name)
    }

    pub fn table(&self, id: &str) -> Option<&'static CodeTable> {
        self.tables.iter().copied().find(|t| t.id == id)
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

/// A configured client of one provider. Holds no I/O: `build` and `parse` are pure.
#[derive(Debug)]
pub struct Client {
    pub provider: &'static ProviderDef,
    pub config: Config,
}

/// A request ready to send, with what the transport needs to know about it.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub op: &'static Operation,
    pub request: HttpRequest,
    /// The validated params (after option merging), for resolving unknown outcomes.
    pub params: Map,
}

impl Client {
    pub fn new(provider: &'static ProviderDef, options: Json) -> Result<Client> {
        let options = match options {
            Json::Object(m) => m,
            Json::Null => Map::new(),
            other => {
                return Err(KassaError::config(
                    "options",
                    format!("must be an object (got {})", other.type_name()),
                ))
            }
        };
        let options = schema::validate_params(provider.options, options, Extra::Reject)
            .map_err(|e| as_config_error(e).with_provider(provider.id))?;
        let config = (provider.configure)(&options).map_err(|e| e.with_provider(provider.id))?;
        Ok(Client { provider, config })
    }

    pub fn operation(&self, name: &str) -> Result<&'static Operation> {
        self.provider.op(name).ok_or_else(|| {
            let known: Vec<&str> = self.provider.ops.iter().map(|o| o.name).collect();
            KassaError::validation(
                "operation",
                format!(
                    "`{name}` is not an operation of {}; known operations: {}",
                    self.provider.class_name,
                    known.join(", ")
                ),
            )
            .with_provider(self.provider.id)
        })
    }

    /// Adds provider, operation and redaction to an error leaving this client.
    pub fn decorate(&self, op: Option<&'static Operation>, error: KassaError) -> KassaError {
        let mut error = error.with_provider(self.provider.id);
        if let Some(op) = op {
            error = error.with_operation(op.name);
        }
        error.redacted(&self.config.secret_values())
    }

    pub fn prepare(&self, op_name: &str, params: Json, ctx: &BuildCtx) -> Result<Prepared> {
        let op = self.operation(op_name)?;
        self.prepare_op(op, params, ctx)
            .map_err(|e| self.decorate(Some(op), e))
    }

    fn prepare_op(&self, op: &'static Operation, params: Json, ctx: &BuildCtx) -> Result<Prepared> {
        let mut params = match params {
            Json::Object(m) => m,
            Json::Null => Map::new(),
            other => {
                return Err(KassaError::validation(
                    "params",
                    format!(
                        "must be an object of request fields (got {})",
                        other.type_name()
                    ),
                ))
            }
        };
        self.merge_options(op, &mut params);
        if let Some(prefill) = op.prefill {
            prefill(&mut params, ctx);
        }
        let params = schema::validate_params(op.params, params, op.extra)
            .map_err(|e| self.explain_missing_option(op, e))?;
        if let Some(check) = op.check {
            check(&params, &self.config)?;
        }
        let encode = op.encode.unwrap_or(self.provider.encode);
        let request = encode(&self.config, op, params.clone(), ctx)?;
        Ok(Prepared {
            op,
            request,
            params,
        })
    }

    pub fn build(&self, op_name: &str, params: Json, ctx: &BuildCtx) -> Result<HttpRequest> {
        self.prepare(op_name, params, ctx).map(|p| p.request)
    }

    fn merge_options(&self, op: &Operation, params: &mut Map) {
        for key in op.from_options {
            let given =
                matches!(params.get(key), Some(v) if !v.is_null() && v.as_str() != Some(""));
            if given {
                continue;
            }
            if let Some(value) = self.config.defaults.get(key) {
                params.insert(*key, value.clone());
            } else if let Some((_, secret)) = self.config.credentials.iter().find(|(k, _)| k == key)
            {
                params.insert(*key, Json::str(secret.expose()));
            }
        }
    }

    fn explain_missing_option(&self, op: &Operation, error: KassaError) -> KassaError {
        let field = error.info().field.clone().unwrap_or_default();
        if op.from_options.contains(&field.as_str()) {
            let advice = format!(
                "Set it once in the client options (`{}`) or pass it in params.",
                option_name(&field)
            );
            return error.with_advice(&advice);
        }
        error
    }

    pub fn parse(&self, op_name: &str, response: &HttpResponse) -> Result<Json> {
        let op = self.operation(op_name)?;
        self.parse_op(op, response)
            .map_err(|e| self.decorate(Some(op), e))
    }

    pub fn parse_op(&self, op: &'static Operation, response: &HttpResponse) -> Result<Json> {
        let envelope = op.envelope.unwrap_or(self.provider.envelope);
        let payload = envelope(&self.config, op, response)?;
        let mut result = schema::decode(&op.result, payload, "result")
            .map_err(|e| e.with_http_status(response.status))?;
        if let Some(finish) = op.finish {
            finish(&mut result, &self.config)?;
        }
        Ok(result)
    }

    /// What `toJSON()`/inspection shows: configuration without any secret.
    pub fn describe(&self) -> Json {
        let mut m = Map::new();
        m.insert("provider", Json::str(self.provider.id));
        m.insert("baseUrl", Json::str(self.config.base_url.clone()));
        for (k, v) in self.config.defaults.iter() {
            m.insert(option_name(k), v.clone());
        }
        for (k, v) in self.config.settings.iter() {
            m.insert(k.clone(), v.clone());
        }
        if self.config.secret.is_some() {
            m.insert("secret", Json::str("[redacted]"));
        }
        for (k, _) in &self.config.credentials {
            m.insert(option_name(k), Json::str("[redacted]"));
        }
        m.insert("timeoutMs", Json::int(self.config.timeout_ms as i64));
        m.insert("maxRetries", Json::int(i64::from(self.config.max_retries)));
        Json::Object(m)
    }
}

fn as_config_error(error: KassaError) -> KassaError {
    let mut error = error.into_kind(ErrorKind::Config);
    let message = format!("client option {}", error.message());
    error.info_mut().message = message;
    error
}

/// Renders a param value for a URL query or path.
pub fn query_value(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.literal().to_string(),
        Json::Bool(b) => b.to_string(),
        Json::Null => String::new(),
        other => other.to_compact(),
    }
}

/// The parts of a request: URL (path filled, query attached) and what remains for the body.
#[derive(Debug)]
pub struct UrlParts {
    pub url: String,
    /// Query params in table order, with their typed values (for GET signing).
    pub query: Map,
    pub body: Map,
}

/// Fills `{param}` path segments, moves query params to the URL (in table order) and leaves
/// the rest for the body.
pub fn split_url(config: &Config, op: &Operation, path: &str, mut params: Map) -> Result<UrlParts> {
    let mut filled = String::new();
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            filled.push('/');
        }
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => {
                let value = params.remove(name).ok_or_else(|| {
                    KassaError::validation(name, "is required (it is part of the URL path)")
                })?;
                encode_component(&query_value(&value), &mut filled);
            }
            None => filled.push_str(segment),
        }
    }
    let mut query = Map::new();
    let order = op
        .params
        .iter()
        .map(|f| f.name)
        .chain(op.query.iter().copied());
    for name in order {
        if query.contains_key(name) || !op.in_query(name) {
            continue;
        }
        if let Some(value) = params.remove(name) {
            query.insert(name, value);
        }
    }
    if op.method == crate::http::Method::Get {
        // Pass-through extras of a GET travel in the query too.
        for (k, v) in params.iter() {
            query.insert(k.clone(), v.clone());
        }
        params = Map::new();
    }
    let mut url = join_url(&config.base_url, &filled);
    if !query.is_empty() {
        url.push(if url.contains('?') { '&' } else { '?' });
        let rendered: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| (k.clone(), query_value(v)))
            .collect();
        url.push_str(&crate::http::encode_pairs(
            rendered.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ));
    }
    Ok(UrlParts {
        url,
        query,
        body: params,
    })
}
