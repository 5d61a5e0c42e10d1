//! A configured client of one provider and the generic build/parse pipeline every provider
//! shares: option merging, validation, encoding, the response envelope, decoding.

use crate::config::{as_config_error, option_name, Config};
use crate::error::{KassaError, Result};
use crate::flow::FlowClient;
use crate::http::{HttpRequest, HttpResponse};
use crate::json::{Json, Map};
use crate::operation::{BuildCtx, Operation};
use crate::provider::ProviderDef;
use crate::schema::{self, Extra};

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
        self.parse_op(op, response).map_err(|e| {
            // Every error read from an answer says which HTTP status it came with: a 5xx tells
            // the journal that the request may have been performed before it failed.
            let e = match e.info().http_status {
                Some(_) => e,
                None => e.with_http_status(response.status),
            };
            self.decorate(Some(op), e)
        })
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
        for (k, v) in self.config.describe_settings().iter() {
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

impl FlowClient for Client {
    fn config(&self) -> &Config {
        &self.config
    }

    fn build(&self, operation: &str, params: Json, ctx: &BuildCtx) -> Result<HttpRequest> {
        Client::build(self, operation, params, ctx)
    }
}
