//! Number canonicalization without float formatting code in the binary.
//!
//! Go prints every JSON number as the shortest decimal that round-trips through float64.
//! For a literal with at most 15 significant digits (DBL_DIG) inside the normal exponent
//! range that decimal *is* the literal with its zeros trimmed, because two different
//! decimals of ≤15 digits never map to the same float64. Only longer literals need real
//! float digit generation; that comes from the platform (core's formatter natively, the
//! JavaScript engine's `Number#toString`, which produces the same shortest digits, in wasm)
//! so the float formatting tables stay out of the `.wasm`.

/// A decimal as sign, significant digits (no leading or trailing zeros) and the position
/// of the decimal point: value = 0.DIGITS × 10^point. Zero has no digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decomposed {
    pub negative: bool,
    pub digits: String,
    pub point: i64,
}

/// Splits a JSON number literal (or a platform float text such as `1.5e-10`) into parts.
pub fn decompose(literal: &str) -> Option<Decomposed> {
    let (negative, rest) = match literal.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, literal),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (rest.get(..i)?, exponent_value(rest.get(i + 1..)?)?),
        None => (rest, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty()
        || !(int_part.bytes().chain(frac_part.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let all: String = int_part.chars().chain(frac_part.chars()).collect();
    let leading = all.bytes().take_while(|b| *b == b'0').count();
    let digits = all
        .get(leading..)
        .unwrap_or("")
        .trim_end_matches('0')
        .to_string();
    let point = if digits.is_empty() {
        0
    } else {
        int_part.len() as i64 - leading as i64 + exponent
    };
    Some(Decomposed {
        negative,
        digits,
        point,
    })
}

/// Exponents are saturated at this: a literal has far fewer digits, so any larger exponent means
/// 0 or a number beyond float64 all the same (`0e99999999999999999999` is 0, as Go reads it), and
/// the arithmetic on the decimal point cannot overflow.
const MAX_EXPONENT: i64 = 1_000_000_000_000_000;

fn exponent_value(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits, so parsing fails only when the exponent overflows i64.
    let magnitude = digits.parse::<i64>().unwrap_or(i64::MAX).min(MAX_EXPONENT);
    Some(if negative { -magnitude } else { magnitude })
}

/// Go's layout of shortest digits: plain decimal when 1e-6 <= |x| < 1e21, otherwise
/// `d.ddde-X` / `d.ddde+XX` (Go prints at least two exponent digits and strips the zero
/// of `e-0X`).
pub fn format_go(d: &Decomposed) -> String {
    let mut out = String::with_capacity(d.digits.len() + 8);
    if d.negative {
        out.push('-');
    }
    if d.digits.is_empty() {
        out.push('0');
        return out;
    }
    let exponent = d.point - 1; // scientific exponent
    if !(-6..=20).contains(&exponent) {
        let (first, rest) = d.digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        if exponent < 0 {
            out.push_str("e-");
            out.push_str(&(-exponent).to_string());
        } else {
            out.push_str("e+");
            if exponent < 10 {
                out.push('0');
            }
            out.push_str(&exponent.to_string());
        }
        return out;
    }
    let len = d.digits.len() as i64;
    if d.point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-d.point) as usize));
        out.push_str(&d.digits);
    } else if d.point >= len {
        out.push_str(&d.digits);
        out.extend(std::iter::repeat_n('0', (d.point - len) as usize));
    } else {
        let (int_part, frac_part) = d.digits.split_at(d.point as usize);
        out.push_str(int_part);
        out.push('.');
        out.push_str(frac_part);
    }
    out
}

/// Significant digits float64 always reproduces exactly.
const EXACT_DIGITS: usize = 15;

/// The canonical Go text of a validated JSON number literal; `None` if it overflows float64.
pub fn canonical_number(literal: &str) -> Option<String> {
    let d = decompose(literal)?;
    if d.digits.is_empty() {
        return Some(format_go(&d));
    }
    let exponent = d.point - 1;
    if d.digits.len() <= EXACT_DIGITS && (-300..=300).contains(&exponent) {
        return Some(format_go(&d));
    }
    let shortest = platform::shortest(literal)?;
    let mut parsed = decompose(&shortest)?;
    // A value that underflows to zero keeps the literal's sign (Go prints -0).
    parsed.negative = d.negative;
    Some(format_go(&parsed))
}

/// Writes Go's canonical text of a validated literal. The common case — a plain decimal
/// of at most 15 digits with no exponent and not so small that Go switches to exponent form —
/// is the literal with trailing fractional zeros trimmed, written without allocating.
pub fn canonical_number_into(literal: &str, out: &mut String) {
    if let Some(fast) = plain_decimal(literal) {
        out.push_str(fast);
        return;
    }
    match canonical_number(literal) {
        Some(text) => out.push_str(&text),
        None => out.push_str(literal),
    }
}

/// True when Go prints the literal exactly as written (`100`, `-2.5`; not `100.0`, `1e2`).
pub fn is_canonical(literal: &str) -> bool {
    plain_decimal(literal).is_some_and(|text| text.len() == literal.len())
}

/// The trimmed literal when it needs no float reasoning, else `None`.
fn plain_decimal(literal: &str) -> Option<&str> {
    let body = literal.strip_prefix('-').unwrap_or(literal);
    let bytes = body.as_bytes();
    let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
    let dots = bytes.iter().filter(|b| **b == b'.').count();
    if digits > EXACT_DIGITS || digits + dots != bytes.len() || dots > 1 {
        return None;
    }
    if dots == 0 {
        return Some(literal);
    }
    let (int_part, frac_part) = body.split_once('.')?;
    // 0.000000x (7+ zeros after the point before the first digit) is printed in exponent form.
    if int_part == "0"
        && frac_part.bytes().take_while(|b| *b == b'0').count() >= 6
        && frac_part.bytes().any(|b| b != b'0')
    {
        return None;
    }
    let trimmed = literal.trim_end_matches('0');
    Some(trimmed.strip_suffix('.').unwrap_or(trimmed))
}

/// True when the literal is inside float64's range (Go rejects bodies with larger numbers).
pub fn fits_float64(literal: &str) -> bool {
    if literal.len() <= EXACT_DIGITS + 2 && !literal.contains(['e', 'E']) {
        return true; // at most 17 characters without an exponent is far below 1e308
    }
    match decompose(literal) {
        Some(d) if d.digits.is_empty() || d.point <= 308 => true,
        Some(_) => platform::shortest(literal).is_some(),
        None => false,
    }
}

/// The exact integer value of a literal, if it is integral and fits in i64.
pub fn integer_value(literal: &str) -> Option<i64> {
    let d = decompose(literal)?;
    if d.digits.is_empty() {
        return Some(0);
    }
    let len = d.digits.len() as i64;
    if d.point < len || d.point > 19 {
        return None;
    }
    let mut value: i64 = 0;
    for b in d.digits.bytes() {
        value = value.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    for _ in 0..(d.point - len) {
        value = value.checked_mul(10)?;
    }
    Some(if d.negative { -value } else { value })
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    /// Shortest round-trip digits of the float64 nearest to `literal` (core's formatter).
    /// When two shortest candidates are equally close to the float, Go (and JavaScript's
    /// `Number#toString`) take the one with the even last digit; core's formatter does not
    /// always, so such ties are settled here (found by the Go differential:
    /// `641.7058355112212e12` is 641705835511221.25, printed `…221.2` by Go).
    pub fn shortest(literal: &str) -> Option<String> {
        let x: f64 = literal.parse().ok()?;
        if !x.is_finite() {
            return None;
        }
        let shortest = format!("{:e}", x.abs());
        let settled = even_on_tie(x.abs(), &shortest).unwrap_or(shortest);
        Some(if x.is_sign_negative() {
            format!("-{settled}")
        } else {
            settled
        })
    }

    /// The even neighbour of `shortest` (`d.ddde±x` of the positive `x`) when `x` lies exactly
    /// halfway between it and that neighbour and the neighbour round-trips too.
    fn even_on_tie(x: f64, shortest: &str) -> Option<String> {
        let (mantissa, exponent) = shortest.split_once('e')?;
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        if digits.bytes().last()? % 2 == 0 {
            return None;
        }
        // The exact decimal expansion of x (751 significant digits cover every float64).
        let exact = format!("{x:.800e}");
        let (exact_mantissa, exact_exponent) = exact.split_once('e')?;
        if exact_exponent != exponent {
            return None;
        }
        let exact_digits: String = exact_mantissa
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let n = digits.len();
        let (truncated, rest) = (exact_digits.get(..n)?, exact_digits.get(n..)?);
        let halfway = rest.starts_with('5') && rest.bytes().skip(1).all(|b| b == b'0');
        if !halfway {
            return None;
        }
        let neighbour = if digits == truncated {
            increment(&digits)
        } else {
            let mut lower = digits.clone().into_bytes();
            let last = lower.last_mut()?;
            *last -= 1;
            String::from_utf8(lower).ok()?
        };
        let scale = exponent.parse::<i64>().ok()? + 1 + (neighbour.len() as i64 - n as i64);
        let candidate = format!("0.{neighbour}e{scale}");
        (candidate.parse::<f64>().ok()? == x).then_some(candidate)
    }

    /// A digit string plus one in its last place (`"129"` → `"130"`, `"99"` → `"100"`).
    fn increment(digits: &str) -> String {
        let mut out = digits.as_bytes().to_vec();
        for digit in out.iter_mut().rev() {
            if *digit == b'9' {
                *digit = b'0';
            } else {
                *digit += 1;
                return String::from_utf8(out).unwrap_or_default();
            }
        }
        format!("1{}", String::from_utf8(out).unwrap_or_default())
    }
}

#[cfg(target_arch = "wasm32")]
mod platform {
    use wasm_bindgen::prelude::*;

    // The engine's own number parsing and printing (declared here: js-sys would link its
    // futures machinery into every module, README "Size and speed").
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_name = parseFloat)]
        fn parse_float(text: &str) -> f64;
        /// `String(x)` of a number: `Number#toString()`, base 10.
        #[wasm_bindgen(js_name = String)]
        fn number_text(x: f64) -> String;
    }

    /// Shortest round-trip digits from the JavaScript engine: `Number#toString` is specified
    /// to produce the shortest digits that round-trip, choosing the closest — as Go does.
    pub fn shortest(literal: &str) -> Option<String> {
        let x = parse_float(literal);
        if !x.is_finite() {
            return None;
        }
        Some(number_text(x))
    }
}
