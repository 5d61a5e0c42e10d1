//! Exact decimal amounts. No float arithmetic ever touches money: amounts are parsed from
//! their decimal text into an integer mantissa and a scale, compared and summed exactly,
//! and rendered back in the form the provider expects.

use crate::json::{Json, Number};
use std::cmp::Ordering;
use std::fmt;

/// `mantissa × 10^-scale`, e.g. 8530.40 is (853040, 2).
#[derive(Clone, Copy, Debug)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

const MAX_SCALE: u32 = 18;

impl Decimal {
    pub fn from_units(mantissa: i128, scale: u32) -> Decimal {
        Decimal { mantissa, scale }
    }

    /// Parses `123`, `-1.50`, `1e2`, `2.5E-1`. Rejects anything that is not a plain decimal.
    pub fn parse(text: &str) -> Option<Decimal> {
        let text = text.trim();
        let (mantissa_text, exponent) = match text.find(['e', 'E']) {
            Some(i) => (text.get(..i)?, text.get(i + 1..)?.parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (negative, digits_text) = match mantissa_text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa_text),
        };
        let (int_part, frac_part) = digits_text.split_once('.').unwrap_or((digits_text, ""));
        let valid = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.is_empty() || !valid(int_part) || !valid(frac_part) {
            return None;
        }
        if digits_text.contains('.') && frac_part.is_empty() {
            return None;
        }
        let mut mantissa: i128 = 0;
        for b in int_part.bytes().chain(frac_part.bytes()) {
            mantissa = mantissa
                .checked_mul(10)?
                .checked_add(i128::from(b - b'0'))?;
        }
        let mut scale = frac_part.len() as i64 - i64::from(exponent);
        if scale < 0 {
            // One multiplication, not one per power of ten: `0e2147483647` must not loop.
            if mantissa != 0 {
                let factor = 10i128.checked_pow(u32::try_from(-scale).ok()?)?;
                mantissa = mantissa.checked_mul(factor)?;
            }
            scale = 0;
        }
        if scale > i64::from(MAX_SCALE) + 20 {
            return None;
        }
        let mut value = Decimal {
            mantissa: if negative { -mantissa } else { mantissa },
            scale: scale as u32,
        };
        value.normalize();
        (value.scale <= MAX_SCALE).then_some(value)
    }

    /// Drops trailing zero decimals: 10.40 → 10.4, 100.00 → 100.
    fn normalize(&mut self) {
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
    }

    fn rescaled(self, scale: u32) -> Option<i128> {
        let factor = 10i128.checked_pow(scale.checked_sub(self.scale)?)?;
        self.mantissa.checked_mul(factor)
    }

    /// Number of significant decimals after normalization.
    pub fn decimals(self) -> u32 {
        let mut v = self;
        v.normalize();
        v.scale
    }

    pub fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let sum = self.rescaled(scale)?.checked_add(other.rescaled(scale)?)?;
        let mut d = Decimal {
            mantissa: sum,
            scale,
        };
        d.normalize();
        Some(d)
    }

    pub fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        let mut d = Decimal {
            mantissa: self.mantissa.checked_mul(other.mantissa)?,
            scale: self.scale.checked_add(other.scale)?,
        };
        d.normalize();
        Some(d)
    }

    /// Rounds half away from zero to `scale` decimals (how receipts round to the cent).
    pub fn round(self, scale: u32) -> Decimal {
        if self.scale <= scale {
            return self;
        }
        let drop = self.scale - scale;
        let Some(divisor) = 10i128.checked_pow(drop) else {
            return Decimal {
                mantissa: 0,
                scale: 0,
            };
        };
        let quotient = self.mantissa / divisor;
        let remainder = (self.mantissa % divisor).abs();
        let rounded = if remainder * 2 >= divisor {
            quotient + self.mantissa.signum()
        } else {
            quotient
        };
        let mut d = Decimal {
            mantissa: rounded,
            scale,
        };
        d.normalize();
        d
    }

    /// The value in minor units (e.g. tiyn for scale 2), if it has no finer part.
    pub fn to_minor_units(self, scale: u32) -> Option<i128> {
        self.rescaled(scale)
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let scale = self.scale.max(other.scale);
        if let (Some(a), Some(b)) = (self.rescaled(scale), other.rescaled(scale)) {
            return a.cmp(&b);
        }
        // Rescaling overflowed i128 (e.g. 1e37 against 1.5): compare the signs, then the
        // magnitudes by the position of their leading digit and then their digits.
        let sign = self.mantissa.signum();
        match sign.cmp(&other.mantissa.signum()) {
            Ordering::Equal if sign == 0 => Ordering::Equal,
            Ordering::Equal if sign < 0 => other.magnitude().cmp(&self.magnitude()),
            Ordering::Equal => self.magnitude().cmp(&other.magnitude()),
            unequal => unequal,
        }
    }
}

impl Decimal {
    /// `|self|` as the exponent of its leading digit and its significant digits (no trailing
    /// zeros): 1500 is (4, "15"), 0.015 is (-1, "15"). Ordering these pairs orders magnitudes
    /// of non-zero values without any arithmetic that could overflow.
    fn magnitude(&self) -> (i64, String) {
        let digits = self.mantissa.unsigned_abs().to_string();
        let significant = digits.trim_end_matches('0');
        let leading = digits.len() as i64 - i64::from(self.scale);
        (leading, significant.to_string())
    }
}

impl fmt::Display for Decimal {
    /// Plain decimal, trailing zeros dropped: `10.42`, `100`, `-0.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut v = *self;
        v.normalize();
        let digits = v.mantissa.unsigned_abs().to_string();
        let sign = if v.mantissa < 0 { "-" } else { "" };
        let scale = v.scale as usize;
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int_part, frac_part) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int_part}.{frac_part}")
    }
}

/// True for `12`, `12.5`, `-0.25` (no exponent, no spaces): the decimal strings we accept.
pub fn is_decimal(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(int_part) && frac_part.is_none_or(digits)
}

/// The JSON number literal of a string `is_decimal` accepts, its value and decimals untouched:
/// only the leading zeros JSON forbids are dropped (`050` → `50`, `-00.50` → `-0.50`).
pub fn decimal_literal(s: &str) -> String {
    let (sign, body) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s),
    };
    let unpadded = body.trim_start_matches('0');
    let body = if unpadded.is_empty() || unpadded.starts_with('.') {
        format!("0{unpadded}")
    } else {
        unpadded.to_string()
    };
    format!("{sign}{body}")
}

/// Largest amount accepted: 13 integer digits + up to 2 decimals stays within the 15
/// significant digits a float64 holds exactly, so the decimal text *is* Go's float text.
const MAX_AMOUNT_DIGITS: usize = 15;

/// Validates a request amount (number or decimal string) and returns the number literal
/// to send: exact, trailing zeros dropped (`100.0` → `100`), at most `scale` decimals.
pub fn wire_amount(value: &Json, scale: u8) -> Result<Number, String> {
    let text = match value {
        Json::Number(n) => n.literal().to_string(),
        Json::String(s) if is_decimal(s.trim()) => s.trim().to_string(),
        Json::String(_) => {
            return Err("must be an amount: a number or a decimal string like \"1500.50\"".into())
        }
        other => {
            return Err(format!(
                "must be an amount: a number or a decimal string (got {})",
                other.type_name()
            ))
        }
    };
    let amount =
        Decimal::parse(&text).ok_or_else(|| "must be a plain decimal amount".to_string())?;
    if amount.is_negative() || amount.is_zero() {
        return Err("must be greater than 0".into());
    }
    if amount.decimals() > u32::from(scale) {
        return Err(format!(
            "has more than {scale} decimal places ({text}); round it to the currency's minor unit before sending (float arithmetic such as 0.1 + 0.2 produces this)"
        ));
    }
    let rendered = amount.to_string();
    if rendered.chars().filter(char::is_ascii_digit).count() > MAX_AMOUNT_DIGITS {
        return Err("is too large to be sent exactly".into());
    }
    Ok(Number::from_literal(rendered))
}
