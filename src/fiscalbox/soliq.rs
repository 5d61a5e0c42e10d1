//! Soliq (OFD of Uzbekistan) receipt links — the QR code printed on every fiscal receipt,
//! returned by FiscalBox as `qr_url` and sent to the QR wallets by the `*Confirm` calls
//! (spec/fiscalbox.md §11):
//!
//! `https://ofd.soliq.uz/check?t=<terminal id>&r=<receipt number>&c=<yyyyMMddHHmmss>&s=<fiscal sign>`
//!
//! - `t` fiscal module (terminal) id: 2 uppercase letters + 12 digits (`UZ170703100189`);
//! - `r` receipt number in the fiscal module: a decimal integer without padding (`643`);
//! - `c` fiscal date-time `yyyyMMddHHmmss` (local time; the zone is not documented);
//! - `s` fiscal sign: exactly 12 digits and it may start with 0 — always a string.
//!
//! The path is `/check` (FiscalBox, regos) or `/epi` (OCTO e-commerce receipts). The parser
//! accepts any path on `ofd.soliq.uz` or another `*.soliq.uz` host and reads the four query
//! parameters in any order; a malformed link is a validation error naming the part.

use crate::error::{KassaError, Result};
use crate::helper::{arg, str_arg, Helper, HelperFn};
use crate::http::HttpUrl;
use crate::json::{Json, Map};
use crate::schema::native_only;
use crate::time::{self, DateTime};

pub const DEFAULT_HOST: &str = "ofd.soliq.uz";

/// Receipt numbers above this would not survive a JavaScript number.
const MAX_RECEIPT: u64 = 9_007_199_254_740_991;

/// The four parts of a Soliq receipt link, plus where it points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoliqQr {
    /// Lower-case host, `ofd.soliq.uz` unless the link said otherwise.
    pub host: String,
    /// `/check` or `/epi` (any path read from a link is kept as it was).
    pub path: String,
    /// `t`: fiscal module id, e.g. `UZ170703100189`.
    pub terminal_id: String,
    /// `r`: receipt number in the fiscal module.
    pub receipt_number: u64,
    /// `c`: fiscal date-time.
    pub date_time: DateTime,
    /// `s`: fiscal sign, 12 digits, leading zeros kept.
    pub fiscal_sign: String,
}

impl SoliqQr {
    /// The link, always `https://<host><path>?t=&r=&c=&s=` in that order.
    pub fn url(&self) -> String {
        format!(
            "https://{}{}?t={}&r={}&c={}&s={}",
            self.host,
            self.path,
            self.terminal_id,
            self.receipt_number,
            self.date_time.to_compact(),
            self.fiscal_sign
        )
    }

    /// The JavaScript shape: `{ t, r, c, s, path, host, url, datetime }`.
    pub fn to_json(&self) -> Json {
        let mut m = Map::new();
        m.insert("t", Json::str(self.terminal_id.clone()));
        m.insert("r", Json::int(self.receipt_number as i64));
        m.insert("c", Json::str(self.date_time.to_compact()));
        m.insert("s", Json::str(self.fiscal_sign.clone()));
        m.insert("path", Json::str(self.path.clone()));
        m.insert("host", Json::str(self.host.clone()));
        m.insert("url", Json::str(self.url()));
        m.insert("datetime", Json::str(self.date_time.to_local_iso()));
        Json::Object(m)
    }
}

const LINK_SHAPE: &str =
    "must be a Soliq receipt link like https://ofd.soliq.uz/check?t=UZ170703100189&r=643&c=20200518221403&s=248429044289";

// ---------------------------------------------------------------------------------------
// The rules of each part (shared by parse and build)

fn check_terminal_id(field: &str, value: &str) -> Result<String> {
    let b = value.as_bytes();
    let ok = b.len() == 14
        && b.iter().take(2).all(u8::is_ascii_uppercase)
        && b.iter().skip(2).all(u8::is_ascii_digit);
    if ok {
        Ok(value.to_string())
    } else {
        Err(KassaError::validation(
            field,
            format!(
                "(terminal id) must be 2 uppercase letters and 12 digits, e.g. UZ170703100189 (got {:?}, {} characters)",
                shorten(value),
                value.chars().count()
            ),
        ))
    }
}

fn check_receipt_number(field: &str, value: &str) -> Result<u64> {
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    match value.parse::<u64>() {
        Ok(n) if digits && n <= MAX_RECEIPT => Ok(n),
        _ => Err(KassaError::validation(
            field,
            format!(
                "(receipt number) must be a whole number of digits, e.g. 643 (got {:?})",
                shorten(value)
            ),
        )),
    }
}

fn check_date_time(field: &str, value: &str) -> Result<DateTime> {
    if value.len() != 14 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(KassaError::validation(
            field,
            format!(
                "(fiscal date-time) must be 14 digits yyyyMMddHHmmss, e.g. 20200518221403 (got {:?}, {} characters)",
                shorten(value),
                value.chars().count()
            ),
        ));
    }
    time::parse_compact(value).ok_or_else(|| {
        KassaError::validation(
            field,
            format!("(fiscal date-time) is not a real date and time: {value} (yyyyMMddHHmmss)"),
        )
    })
}

fn check_fiscal_sign(field: &str, value: &str) -> Result<String> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_string())
    } else {
        Err(KassaError::validation(
            field,
            format!(
                "(fiscal sign) must be exactly 12 digits, kept as a string because it may start with 0, e.g. 025561534771 (got {:?}, {} characters)",
                shorten(value),
                value.chars().count()
            ),
        ))
    }
}

fn shorten(value: &str) -> String {
    if value.chars().count() <= 40 {
        value.to_string()
    } else {
        let mut s: String = value.chars().take(40).collect();
        s.push('…');
        s
    }
}

fn is_soliq_host(host: &str) -> bool {
    host == DEFAULT_HOST || host.ends_with(".soliq.uz") || host == "soliq.uz"
}

fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-'])
}

// ---------------------------------------------------------------------------------------
// Parse

/// How strict `parse_with` is about where the link points.
#[derive(Clone, Copy, Debug, Default)]
pub struct ParseOptions {
    /// Accept a host other than `*.soliq.uz` (mirrors, test stands).
    pub any_host: bool,
}

/// Reads a Soliq receipt link. Accepts `http` or `https`, hosts `ofd.soliq.uz` and other
/// `*.soliq.uz`, any path (`/check`, `/epi`), the four parameters in any order, extra
/// parameters and a fragment (ignored). Surrounding whitespace is trimmed.
pub fn parse(url: &str) -> Result<SoliqQr> {
    parse_with(url, ParseOptions::default())
}

pub fn parse_with(url: &str, options: ParseOptions) -> Result<SoliqQr> {
    let url = HttpUrl::parse(url.trim()).ok_or_else(|| {
        KassaError::validation(
            "url",
            format!("{LINK_SHAPE} (it must be an absolute https:// link without spaces)"),
        )
    })?;
    let rest = url.rest.split('#').next().unwrap_or_default();
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, q),
        None => (rest, ""),
    };
    let path = if path.is_empty() { "/" } else { path };
    let host = url.host.to_ascii_lowercase();
    if url.port.is_some() || !valid_host(&host) {
        return Err(KassaError::validation(
            "url",
            format!(
                "{LINK_SHAPE} (the host {:?} is not a host name)",
                shorten(&host)
            ),
        ));
    }
    if !options.any_host && !is_soliq_host(&host) {
        return Err(KassaError::validation(
            "url",
            format!("{LINK_SHAPE} (the host is {host}, not ofd.soliq.uz)"),
        ));
    }
    let mut found: [Option<&str>; 4] = [None; 4];
    const NAMES: [&str; 4] = ["t", "r", "c", "s"];
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if let Some(index) = NAMES.iter().position(|n| *n == key) {
            if let Some(slot) = found.get_mut(index) {
                if slot.is_some() {
                    return Err(KassaError::validation(
                        key,
                        "appears twice in the receipt link: a link has exactly one t, r, c and s",
                    ));
                }
                *slot = Some(value);
            }
        }
    }
    let part = |index: usize, meaning: &str| -> Result<&str> {
        let name = NAMES.get(index).copied().unwrap_or("?");
        found.get(index).copied().flatten().ok_or_else(|| {
            KassaError::validation(
                name,
                format!("({meaning}) is missing from the receipt link: it needs t, r, c and s"),
            )
        })
    };
    let terminal_id = check_terminal_id("t", part(0, "terminal id")?)?;
    let receipt_number = check_receipt_number("r", part(1, "receipt number")?)?;
    let date_time = check_date_time("c", part(2, "fiscal date-time")?)?;
    let fiscal_sign = check_fiscal_sign("s", part(3, "fiscal sign")?)?;
    Ok(SoliqQr {
        host,
        path: path.to_string(),
        terminal_id,
        receipt_number,
        date_time,
        fiscal_sign,
    })
}

// ---------------------------------------------------------------------------------------
// Build

/// The parts under their link letter, or under FiscalBox's names (`orderCreate` result,
/// `orderLast` fiscal result), so `buildSoliqQr(orderResult)` works too.
const ALIASES: [(&str, [&str; 3]); 4] = [
    ("t", ["t", "terminal_id", "TerminalID"]),
    ("r", ["r", "receipt_count", "ReceiptSeq"]),
    ("c", ["c", "date_time", "DateTime"]),
    ("s", ["s", "fiscal_sign", "FiscalSign"]),
];

fn part_of<'a>(parts: &'a Map, letter: &str) -> Result<(&'static str, &'a Json)> {
    let Some((_, names)) = ALIASES.iter().find(|(l, _)| *l == letter) else {
        return Err(KassaError::validation(
            letter,
            "is not a part of a receipt link",
        ));
    };
    let mut chosen: Option<(&'static str, &Json)> = None;
    for name in names {
        if let Some(v) = parts.get(name).filter(|v| !v.is_null()) {
            match chosen {
                Some((first, earlier)) if earlier != v => {
                    return Err(KassaError::validation(
                        *name,
                        format!("disagrees with `{first}`: give the {letter} part once"),
                    ))
                }
                Some(_) => {}
                None => chosen = Some((name, v)),
            }
        }
    }
    chosen.ok_or_else(|| {
        KassaError::validation(
            letter,
            format!(
                "is required to build a receipt link (also read as `{}` or `{}`)",
                names.get(1).copied().unwrap_or_default(),
                names.get(2).copied().unwrap_or_default()
            ),
        )
    })
}

fn string_part<'a>(name: &str, value: &'a Json, what: &str) -> Result<&'a str> {
    value
        .as_str()
        .ok_or_else(|| KassaError::validation(name, format!("({what}) must be a string")))
}

/// Reads `{ t, r, c, s, path?, host? }` (or FiscalBox's names for the four parts).
pub fn from_parts(parts: &Json) -> Result<SoliqQr> {
    let Json::Object(map) = parts else {
        return Err(KassaError::validation(
            "parts",
            "must be an object { t, r, c, s } (terminal id, receipt number, yyyyMMddHHmmss, fiscal sign)",
        ));
    };
    let (name, t) = part_of(map, "t")?;
    let terminal_id = check_terminal_id(name, string_part(name, t, "terminal id")?)?;

    let (name, r) = part_of(map, "r")?;
    let receipt_number = match r {
        Json::Number(n) => match n.as_i64() {
            Some(v)
                if v >= 0 && v as u64 <= MAX_RECEIPT && !n.literal().contains(['.', 'e', 'E']) =>
            {
                v as u64
            }
            _ => {
                return Err(KassaError::validation(
                    name,
                    format!(
                        "(receipt number) must be a whole non-negative number (got {})",
                        n.literal()
                    ),
                ))
            }
        },
        Json::String(s) => check_receipt_number(name, s)?,
        other => {
            return Err(KassaError::validation(
                name,
                format!(
                    "(receipt number) must be a number or a digit string (got {})",
                    other.type_name()
                ),
            ))
        }
    };

    let (name, c) = part_of(map, "c")?;
    let date_time = check_date_time(
        name,
        string_part(name, c, "fiscal date-time yyyyMMddHHmmss")?,
    )?;

    let (name, s) = part_of(map, "s")?;
    let fiscal_sign = match s {
        Json::String(text) => check_fiscal_sign(name, text)?,
        _ => {
            return Err(KassaError::validation(
                name,
                "(fiscal sign) must be a string of 12 digits: as a number its leading zeros would be lost (025561534771 is not 25561534771)",
            ))
        }
    };

    let path =
        match map.get("path").filter(|v| !v.is_null()) {
            None => "/check".to_string(),
            Some(Json::String(p)) => match p.strip_prefix('/').unwrap_or(p) {
                "check" => "/check".to_string(),
                "epi" => "/epi".to_string(),
                _ => return Err(KassaError::validation(
                    "path",
                    "must be 'check' (fiscal receipts, the default) or 'epi' (e-commerce receipts)",
                )),
            },
            Some(_) => return Err(KassaError::validation("path", "must be 'check' or 'epi'")),
        };
    let host = match map.get("host").filter(|v| !v.is_null()) {
        None => DEFAULT_HOST.to_string(),
        Some(Json::String(h)) if valid_host(&h.to_ascii_lowercase()) => h.to_ascii_lowercase(),
        Some(_) => {
            return Err(KassaError::validation(
                "host",
                "must be a host name such as ofd.soliq.uz (no scheme, no path)",
            ))
        }
    };
    Ok(SoliqQr {
        host,
        path,
        terminal_id,
        receipt_number,
        date_time,
        fiscal_sign,
    })
}

/// Builds the link from its parts.
pub fn build(parts: &Json) -> Result<String> {
    Ok(from_parts(parts)?.url())
}

fn parse_helper(args: &[Json]) -> Result<Json> {
    let url = str_arg(args, 0, "url")?;
    let any_host = args
        .get(1)
        .and_then(|o| o.get("anyHost"))
        .and_then(Json::as_bool)
        .unwrap_or(false);
    Ok(parse_with(url, ParseOptions { any_host })?.to_json())
}

fn build_helper(args: &[Json]) -> Result<Json> {
    Ok(Json::String(build(arg(args, 0, "parts")?)?))
}

pub static HELPERS: [Helper; 2] = [
    Helper {
        name: "parseSoliqQr",
        run: HelperFn::Static(parse_helper),
        ts: native_only(
            "/** The parts of a Soliq receipt link (the QR code of a fiscal receipt in Uzbekistan). */
export interface SoliqQr {
  /** Fiscal module (terminal) id: 2 uppercase letters + 12 digits, e.g. 'UZ170703100189'. */
  t: string;
  /** Receipt number in the fiscal module. */
  r: number;
  /** Fiscal date-time, yyyyMMddHHmmss (local time; the zone is not documented). */
  c: string;
  /** Fiscal sign: 12 digits, may start with 0 — always a string. */
  s: string;
  /** '/check' (fiscal receipts) or '/epi' (e-commerce receipts); any path read from a link is kept. */
  path: string;
  /** Lower-case host, normally 'ofd.soliq.uz'. */
  host: string;
  /** The link in canonical form: https, parameters in the order t, r, c, s. */
  url: string;
  /** `c` as 'yyyy-MM-ddTHH:mm:ss' (no zone). */
  datetime: string;
}

/** The parts accepted by buildSoliqQr: the link letters, or FiscalBox's own field names. */
export interface SoliqQrParts {
  t?: string; terminal_id?: string; TerminalID?: string;
  r?: number | string; receipt_count?: number | string; ReceiptSeq?: number | string;
  c?: string; date_time?: string; DateTime?: string;
  s?: string; fiscal_sign?: string; FiscalSign?: string;
  /** 'check' (default) or 'epi'. */
  path?: 'check' | 'epi' | '/check' | '/epi';
  /** Default 'ofd.soliq.uz'. */
  host?: string;
}

/**
 * Reads a Soliq receipt link (https://ofd.soliq.uz/check?t=&r=&c=&s=, also /epi and other
 * *.soliq.uz hosts, parameters in any order). Throws KassaError kind 'validation' whose `field`
 * names the bad part ('t', 'r', 'c', 's' or 'url').
 */
export declare function parseSoliqQr(url: string): SoliqQr;",
        ),
    },
    Helper {
        name: "buildSoliqQr",
        run: HelperFn::Static(build_helper),
        ts: native_only(
            "/**
 * Builds a Soliq receipt link from its parts — `{ t, r, c, s }` or a FiscalBox receipt
 * (`terminal_id`, `receipt_count`, `date_time`, `fiscal_sign`). The inverse of parseSoliqQr.
 */
export declare function buildSoliqQr(parts: SoliqQrParts): string;",
        ),
    },
];
