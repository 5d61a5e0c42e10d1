//! FiscalBox billing service (spec/fiscalbox.md §9c): `POST /api/v1/login/` → token, then
//! `GET /api/v1/orders/count/` with `Authorization: Token <token>`. A separate small client
//! (`FiscalBoxBilling`) because it is another host with its own auth and envelope.
//!
//! The token and password are secrets: kept in `Config` (redacted in `Debug`, `describe` and
//! errors), sent only in the one place that needs them.

use super::envelope::field_errors;
use crate::config::{Config, Secret, TRANSPORT_OPTIONS};
use crate::error::{ErrorKind, KassaError, Result};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::json::{Json, Map};
use crate::operation::split_url;
use crate::operation::{BuildCtx, OpClass, Operation};
use crate::provider::ProviderDef;
use crate::schema::{Check, Field, Ty};
use crate::time;

pub const PROVIDER_ID: &str = "fiscalboxBilling";
pub const DEFAULT_BASE_URL: &str = "https://api.fbox.uz";
const TITLE: &str = "FiscalBox billing";

static LOCAL_DATETIME: Check = Check {
    rule: "must be a date-time YYYY-MM-DDTHH:MM:SS without zone, e.g. 2025-05-05T00:00:00",
    test: |v| {
        v.as_str()
            .and_then(time::parse_iso8601)
            .is_some_and(|(_, zone)| zone.is_none())
            && v.as_str().is_some_and(|s| s.len() == 19)
    },
};

static INN_CHECK: &Check = &super::types::INN;

pub static OPERATIONS: [Operation; 2] = [
    Operation::new("login", Method::Post, "/api/v1/login/")
        .summary("Log in to the billing service: returns the token for ordersCount (pass it as the `token` option)")
        .class(OpClass::Write)
        .params(&[
            Field::req("username", Ty::Str, "Billing user name (client option `username`)."),
            Field::req("password", Ty::Str, "Billing password (client option `password`; a secret, never shown)."),
        ])
        .from_options(&["username", "password"])
        .result(Ty::Named(
            "FiscalBoxBillingLogin",
            &[Field::req("token", Ty::Str, "The API token: create the client with `token` (header `Authorization: Token <token>`).")],
        )),
    Operation::new("ordersCount", Method::Get, "/api/v1/orders/count/")
        .summary("Number and total of the company's orders in a period (needs the `token` option)")
        .params(&[
            Field::req("start_date", Ty::Str, "Period start, YYYY-MM-DDTHH:MM:SS.").check(&LOCAL_DATETIME),
            Field::req("end_date", Ty::Str, "Period end, YYYY-MM-DDTHH:MM:SS.").check(&LOCAL_DATETIME),
            Field::req("inn", Ty::Str, "Company INN (client option `inn`).").check(INN_CHECK),
        ])
        .from_options(&["inn"])
        .check(check_period)
        .result(Ty::Named(
            "FiscalBoxBillingOrdersCount",
            &[
                Field::opt("status", Ty::Str, "`successfully`."),
                Field::opt("filters", Ty::Named(
                    "FiscalBoxBillingFilters",
                    &[
                        Field::opt("start_date", Ty::Str, "Period start."),
                        Field::opt("end_date", Ty::Str, "Period end."),
                        Field::opt("inn", Ty::Str, "INN."),
                    ],
                ), "The filters applied."),
                Field::req("data", Ty::Named(
                    "FiscalBoxBillingOrdersData",
                    &[
                        Field::opt("company_name", Ty::Str, "Company name."),
                        Field::req("total_orders", Ty::Int, "Number of orders."),
                        Field::req("total_amount", Ty::Money { scale: 2 }, "Total in sums (a decimal number here, not tiyin)."),
                    ],
                ), "Totals."),
            ],
        )),
];

pub static OPTIONS: [Field; 7] = [
    Field::opt("baseUrl", Ty::Str, "Defaults to https://api.fbox.uz."),
    Field::opt("username", Ty::Str, "Billing user name for login()."),
    Field::opt(
        "password",
        Ty::Str,
        "Billing password for login() (a secret: never shown in errors or describe()).",
    ),
    Field::opt(
        "token",
        Ty::Str,
        "Token from login(), sent as `Authorization: Token <token>` (a secret).",
    ),
    Field::opt("inn", Ty::Str, "Company INN merged into ordersCount."),
    TRANSPORT_OPTIONS[0],
    TRANSPORT_OPTIONS[1],
];

pub static PROVIDER: ProviderDef = ProviderDef {
    id: PROVIDER_ID,
    title: TITLE,
    class_name: "FiscalBoxBilling",
    options: &OPTIONS,
    ops: &OPERATIONS,
    configure,
    encode,
    envelope,
    tables: &[],
    helpers: &[],
    flows: &[],
    receipt: None,
    notification: None,
};

fn configure(options: &Map) -> Result<Config> {
    let mut config = Config::from_options(PROVIDER_ID, options, Some(DEFAULT_BASE_URL))?;
    let text = |name: &str| {
        options
            .get(name)
            .and_then(Json::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let Some(token) = text("token") {
        if token
            .bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
        {
            return Err(KassaError::config(
                "token",
                "must be the token from login() without spaces",
            ));
        }
        config.secret = Some(Secret::new(token));
    }
    if let Some(password) = text("password") {
        config.credentials.push(("password", Secret::new(password)));
    }
    for key in ["username", "inn"] {
        if let Some(value) = text(key) {
            config.defaults.insert(key, Json::str(value));
        }
    }
    Ok(config)
}

fn check_period(params: &Map, _config: &Config) -> Result<()> {
    let parse = |k: &str| {
        params
            .get(k)
            .and_then(Json::as_str)
            .and_then(time::parse_iso8601)
    };
    if let (Some((start, _)), Some((end, _))) = (parse("start_date"), parse("end_date")) {
        if end.to_unix_seconds() < start.to_unix_seconds() {
            return Err(KassaError::validation(
                "end_date",
                "must not be before start_date",
            ));
        }
    }
    Ok(())
}

fn encode(config: &Config, op: &Operation, params: Map, _ctx: &BuildCtx) -> Result<HttpRequest> {
    let parts = split_url(config, op, op.path, params)?;
    let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
    let body = match op.method {
        Method::Get => None,
        Method::Post | Method::Delete => {
            headers.push(("Content-Type".to_string(), "application/json".to_string()));
            Some(Json::Object(parts.body).to_compact())
        }
    };
    if op.name != "login" {
        let token = config.secret.as_ref().ok_or_else(|| {
            KassaError::config(
                "token",
                "is required for this call: call login() and create FiscalBoxBilling with { token: result.token }",
            )
        })?;
        headers.push((
            "Authorization".to_string(),
            format!("Token {}", token.expose()),
        ));
    }
    Ok(HttpRequest {
        method: op.method,
        url: parts.url,
        headers,
        body,
    })
}

/// The billing answers are plain JSON (no device envelope). Errors are not documented: a
/// DRF-style body (`detail`, `non_field_errors`, per-field lists) or a non-2xx status is
/// turned into an error; `status` other than `successfully` too.
fn envelope(_config: &Config, op: &Operation, response: &HttpResponse) -> Result<Json> {
    let body = response.json_body(TITLE)?;
    let status = response.status;
    let detail = body
        .get("detail")
        .or_else(|| body.get("message"))
        .and_then(Json::as_str)
        .map(str::to_string);
    if status == 401 || status == 403 {
        let advice = if op.name == "login" {
            "check username and password"
        } else {
            "the token is missing, wrong or expired: call login() again and use its token"
        };
        return Err(KassaError::new(
            ErrorKind::Provider,
            format!(
                "{TITLE} refused the request (HTTP {status}{}): {advice}",
                detail.map(|d| format!(", \"{d}\"")).unwrap_or_default()
            ),
        )
        .with_http_status(status));
    }
    if status >= 400 {
        let fields = body.as_object().and_then(|m| {
            let text = Json::Object(m.clone()).to_compact();
            field_errors(&text)
        });
        if let (Some(fields), true) = (fields, status < 500) {
            let listed: Vec<String> = fields
                .iter()
                .map(|(k, v)| match v {
                    Json::Array(items) => format!(
                        "`{k}` {}",
                        items
                            .iter()
                            .filter_map(Json::as_str)
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                    other => format!("`{k}` {}", other.as_str().unwrap_or_default()),
                })
                .collect();
            let first = fields.keys().next().unwrap_or("").to_string();
            let mut error = KassaError::new(
                ErrorKind::Validation,
                format!(
                    "{TITLE} rejected the request (HTTP {status}): {}",
                    listed.join("; ")
                ),
            )
            .with_http_status(status)
            .with_detail("fieldErrors", Json::Object(fields));
            if !first.is_empty() && first != "non_field_errors" && first != "detail" {
                error = error.with_field(first);
            }
            return Err(error);
        }
        return Err(KassaError::new(
            if status >= 500 || status == 429 {
                ErrorKind::Transport
            } else {
                ErrorKind::Provider
            },
            format!(
                "{TITLE} answered HTTP {status}{}",
                detail.map(|d| format!(" \"{d}\"")).unwrap_or_default()
            ),
        )
        .with_http_status(status)
        .with_retryable(status >= 500 || status == 429));
    }
    if let Some(word) = body.get("status").and_then(Json::as_str) {
        if !matches!(word, "successfully" | "success") {
            return Err(KassaError::new(
                ErrorKind::Provider,
                format!(
                    "{TITLE} answered status \"{word}\"{}",
                    detail.map(|d| format!(": {d}")).unwrap_or_default()
                ),
            )
            .with_http_status(status));
        }
    }
    Ok(body)
}
