//! One `Operation` per provider endpoint, declared in each provider's table. Everything
//! generic — option merging, validation, path expansion, decoding, hooks, the JS method, the
//! TypeScript types, how the transport may retry it — is driven from this declaration.

use crate::codes::Outcome;
use crate::config::Config;
use crate::error::{KassaError, Result};
use crate::http::{encode_component, encode_pairs, join_url, HttpRequest, HttpResponse, Method};
use crate::json::{Json, Map};
use crate::schema::{Extra, Field, Ty};

/// How the transport may treat an operation when the network misbehaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpClass {
    /// No side effects: retried on network errors, 429 and 5xx.
    Read,
    /// Has effects but the provider deduplicates on a key (AGWS `external_id`): retried, and a
    /// "duplicate" answer on a retry is resolved through `Operation::resolve`.
    IdempotentWrite,
    /// Moves money (or registers a fiscal receipt) with no provider deduplication: never sent
    /// twice; an unknown outcome is reported with the reference that resolves it.
    MoneyMoving,
    /// Has effects, moves no money, no deduplication (print, open a shift): never re-sent
    /// once it may have reached the device.
    Write,
}

impl OpClass {
    pub const ALL: [OpClass; 4] = [
        OpClass::Read,
        OpClass::IdempotentWrite,
        OpClass::MoneyMoving,
        OpClass::Write,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OpClass::Read => "read",
            OpClass::IdempotentWrite => "idempotent-write",
            OpClass::MoneyMoving => "money-moving",
            OpClass::Write => "write",
        }
    }

    pub fn may_resend(self) -> bool {
        matches!(self, OpClass::Read | OpClass::IdempotentWrite)
    }
}

/// How to find the true state of an operation whose answer was lost: call `operation` with
/// params copied from the original request (`(to, from)` pairs), plus fixed values.
#[derive(Clone, Copy, Debug)]
pub struct Resolve {
    pub operation: &'static str,
    pub copy: &'static [(&'static str, &'static str)],
    pub fixed: &'static [(&'static str, &'static str)],
    /// Provider codes that mean "already exists" when this operation is repeated.
    pub duplicate_codes: &'static [i64],
}

/// How the payment journal (`crate::journal`) finds out afterwards what a request did whose
/// answer it never recorded: the one definition that the journal and the fault matrix share.
#[derive(Clone, Copy, Debug)]
pub struct Settle {
    /// Params whose values name the request: the journal key. Empty when the request carries
    /// no reference of its own (a pin-pad payment, a partial refund): the caller names it.
    pub key: &'static [&'static str],
    /// The state of a performed request whose answer reports no `outcome`: `Pending` where a
    /// status call follows the payment to its end, else `Success`.
    pub answered: Outcome,
    pub probe: Probe,
    /// Reads the probe's answer (with the baseline read before sending) into a verdict.
    pub judge: JudgeFn,
}

/// The call that shows what became of a request.
#[derive(Clone, Copy, Debug)]
pub enum Probe {
    /// The operation's `resolve` call (`Operation::resolve`), params copied from the request.
    Resolve,
    /// The same request again, where a repeat is harmless: the provider deduplicates it, or
    /// the request moves no money (an invoice nobody was shown).
    Repeat,
    /// No call shows what became of it, and no source says a repeat is safe: a lost answer
    /// leaves the record `unknown`, for the user to check with the provider.
    Unavailable,
    /// `operation` with params copied from the request (`copy`, `(to, from)` pairs), given by
    /// the caller (`needs`: what the request does not carry, e.g. the refunded payment's
    /// reference) and `fixed`. With `before`, it is also read before sending: the baseline the
    /// answer after is compared with (a pin-pad's operation count, the device's last receipt).
    Read {
        operation: &'static str,
        copy: &'static [(&'static str, &'static str)],
        needs: &'static [&'static str],
        fixed: &'static [(&'static str, &'static str)],
        before: Option<MeasureFn>,
    },
}

/// What the probe showed, for a judge.
#[derive(Clone, Copy, Debug)]
pub struct Evidence<'a> {
    /// The request's validated params.
    pub params: &'a Map,
    /// What `Probe::Read::before` measured before sending.
    pub baseline: Option<&'a Json>,
    /// The probe's result, or its error.
    pub answer: std::result::Result<&'a Json, &'a KassaError>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The provider performed it; `result` is what the probe showed of it, when it shows it.
    Performed {
        outcome: Outcome,
        result: Option<Json>,
    },
    /// The provider has no trace of it: it was never performed.
    Absent,
    /// Nothing certain: the record stays `unknown` (it is never guessed); says why.
    Unsettled(String),
}

pub type JudgeFn = fn(&Evidence) -> Verdict;
/// Reduces a probe's answer to the value compared before and after (None: unreadable).
pub type MeasureFn = fn(std::result::Result<&Json, &KassaError>) -> Option<Json>;

pub type EncodeFn = fn(&Config, &Operation, Map, &BuildCtx) -> Result<HttpRequest>;
pub type EnvelopeFn = fn(&Config, &Operation, &HttpResponse) -> Result<Json>;
pub type CheckFn = fn(&Map, &Config) -> Result<()>;
pub type PrefillFn = fn(&mut Map, &BuildCtx);
pub type FinishFn = fn(&mut Json, &Config) -> Result<()>;

/// What the environment tells a build (the core itself has no clock).
#[derive(Clone, Copy, Debug, Default)]
pub struct BuildCtx {
    /// Current time as Unix milliseconds, for fields a provider wants stamped (FiscalBox `time`).
    pub now_ms: Option<i64>,
}

#[derive(Clone, Copy, Debug)]
pub struct Operation {
    /// camelCase name: the JS method and the key of the operation table.
    pub name: &'static str,
    pub summary: &'static str,
    pub method: Method,
    /// Path below the base URL; `{name}` segments are filled from params of that name.
    pub path: &'static str,
    pub class: OpClass,
    /// Params that identify the affected payment, reported with an unknown outcome.
    pub reference: &'static [&'static str],
    pub resolve: Option<Resolve>,
    /// How the payment journal settles it; None: the journal does not take it.
    pub settle: Option<Settle>,
    pub params: &'static [Field],
    pub extra: Extra,
    /// Params sent in the query string in addition to the path (GET sends all of them).
    pub query: &'static [&'static str],
    pub result: Ty,
    /// Params filled from client options when the caller does not give them.
    pub from_options: &'static [&'static str],
    /// Fills params the SDK can supply itself when absent (e.g. a `datetime` of now).
    pub prefill: Option<PrefillFn>,
    /// Cross-field rules beyond the field table (exactly one of several ids, sums).
    pub check: Option<CheckFn>,
    pub finish: Option<FinishFn>,
    /// Overrides of the provider's request encoder / response envelope for odd endpoints.
    pub encode: Option<EncodeFn>,
    pub envelope: Option<EnvelopeFn>,
}

impl Operation {
    pub const fn new(name: &'static str, method: Method, path: &'static str) -> Operation {
        Operation {
            name,
            summary: "",
            method,
            path,
            class: OpClass::Read,
            reference: &[],
            resolve: None,
            settle: None,
            params: &[],
            extra: Extra::Reject,
            query: &[],
            result: Ty::Any,
            from_options: &[],
            prefill: None,
            check: None,
            finish: None,
            encode: None,
            envelope: None,
        }
    }

    /// For `describe()` and the TypeScript docs only: compiled out of the `.wasm`.
    pub const fn summary(self, summary: &'static str) -> Operation {
        Operation {
            summary: crate::schema::native_only(summary),
            ..self
        }
    }

    pub const fn class(self, class: OpClass) -> Operation {
        Operation { class, ..self }
    }

    pub const fn reference(self, reference: &'static [&'static str]) -> Operation {
        Operation { reference, ..self }
    }

    pub const fn resolve(self, resolve: Resolve) -> Operation {
        Operation {
            resolve: Some(resolve),
            ..self
        }
    }

    pub const fn settle(self, settle: Settle) -> Operation {
        Operation {
            settle: Some(settle),
            ..self
        }
    }

    pub const fn params(self, params: &'static [Field]) -> Operation {
        Operation { params, ..self }
    }

    pub const fn extra(self, extra: Extra) -> Operation {
        Operation { extra, ..self }
    }

    pub const fn query(self, query: &'static [&'static str]) -> Operation {
        Operation { query, ..self }
    }

    pub const fn result(self, result: Ty) -> Operation {
        Operation { result, ..self }
    }

    pub const fn from_options(self, from_options: &'static [&'static str]) -> Operation {
        Operation {
            from_options,
            ..self
        }
    }

    pub const fn prefill(self, prefill: PrefillFn) -> Operation {
        Operation {
            prefill: Some(prefill),
            ..self
        }
    }

    pub const fn check(self, check: CheckFn) -> Operation {
        Operation {
            check: Some(check),
            ..self
        }
    }

    pub const fn finish(self, finish: FinishFn) -> Operation {
        Operation {
            finish: Some(finish),
            ..self
        }
    }

    pub const fn encode(self, encode: EncodeFn) -> Operation {
        Operation {
            encode: Some(encode),
            ..self
        }
    }

    pub const fn envelope(self, envelope: EnvelopeFn) -> Operation {
        Operation {
            envelope: Some(envelope),
            ..self
        }
    }

    /// Names of the `{param}` segments of the path.
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        self.path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    }

    /// True when `name` travels in the URL query rather than in the body.
    pub fn in_query(&self, name: &str) -> bool {
        self.method == Method::Get || self.query.contains(&name)
    }

    /// The values of the reference params in `params`, for unknown-outcome errors.
    pub fn reference_of(&self, params: &Map) -> Map {
        self.reference
            .iter()
            .filter_map(|k| params.get(k).map(|v| (k.to_string(), v.clone())))
            .collect()
    }
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
    if op.method == Method::Get {
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
        url.push_str(&encode_pairs(
            rendered.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ));
    }
    Ok(UrlParts {
        url,
        query,
        body: params,
    })
}
