//! `Decimal` (src/money.rs) against rust_decimal: ordering, equality across scales, exact
//! addition and subtraction, rounding, and parse/print round trips. Values beyond rust_decimal's
//! 96-bit mantissa — where kassa's rescaling overflows i128 — are ordered against an exact
//! integer/fraction split instead.

use kassa::money::Decimal;
use proptest::prelude::*;
use rust_decimal::Decimal as Rd;
use std::cmp::Ordering;
use std::str::FromStr;

/// Largest mantissa rust_decimal holds (96 bits).
const RD_MAX: i128 = (1 << 96) - 1;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn rd(mantissa: i128, scale: u32) -> Rd {
    Rd::from_i128_with_scale(mantissa, scale)
}

/// A mantissa and scale both kassa and rust_decimal hold exactly.
fn representable() -> impl Strategy<Value = (i128, u32)> {
    let mantissa = prop_oneof![
        -1000i128..1000,
        -10_000_000_000i128..10_000_000_000,
        -RD_MAX..=RD_MAX,
    ];
    (mantissa, 0u32..=18)
}

/// Mantissas anywhere in i128 (but i128::MIN, whose magnitude has no i128), scales up to 18:
/// rescaling these overflows constantly.
fn huge() -> impl Strategy<Value = (i128, u32)> {
    let mantissa = prop_oneof![
        (i128::MIN + 1)..=i128::MAX,
        (-40i32..=38, any::<bool>()).prop_map(|(e, negative)| {
            let magnitude = if e < 0 { 0 } else { 10i128.pow(e as u32) };
            if negative {
                -magnitude
            } else {
                magnitude
            }
        }),
        -100i128..100,
    ];
    (mantissa, 0u32..=18)
}

/// The exact order of m1·10^-s1 and m2·10^-s2 from their integer parts and their fractions
/// padded to 18 digits (all fit in i128). Truncation is monotonic, so comparing the integer
/// parts first and the fractions second is exact.
fn exact_order((m1, s1): (i128, u32), (m2, s2): (i128, u32)) -> Ordering {
    let split = |m: i128, s: u32| {
        let unit = 10i128.pow(s);
        (m / unit, (m % unit) * 10i128.pow(18 - s))
    };
    split(m1, s1).cmp(&split(m2, s2))
}

/// The written exponent of an exponent form (`0e30` → 30), 0 without one.
fn exponent_of(text: &str) -> i32 {
    text.split_once(['e', 'E'])
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn order_and_equality_match_rust_decimal(a in representable(), b in representable()) {
        let (x, y) = (Decimal::from_units(a.0, a.1), Decimal::from_units(b.0, b.1));
        let expected = rd(a.0, a.1).cmp(&rd(b.0, b.1));
        prop_assert_eq!(x.cmp(&y), expected);
        prop_assert_eq!(x == y, expected == Ordering::Equal);
        prop_assert_eq!(x.partial_cmp(&y), Some(expected));
    }

    #[test]
    fn equal_values_at_different_scales_are_equal(a in representable(), extra in 0u32..=20) {
        let (m, s) = a;
        let Some(scaled) = m.checked_mul(10i128.pow(extra)) else { return Ok(()) };
        let (x, y) = (Decimal::from_units(m, s), Decimal::from_units(scaled, s + extra));
        prop_assert_eq!(x.cmp(&y), Ordering::Equal);
        prop_assert_eq!(x, y);
        prop_assert_eq!(x.to_string(), y.to_string());
    }

    #[test]
    fn order_is_exact_when_rescaling_overflows(a in huge(), b in huge()) {
        let (x, y) = (Decimal::from_units(a.0, a.1), Decimal::from_units(b.0, b.1));
        prop_assert_eq!(x.cmp(&y), exact_order(a, b), "{} vs {}", x, y);
        prop_assert_eq!(y.cmp(&x), exact_order(b, a));
        prop_assert_eq!(x == y, exact_order(a, b) == Ordering::Equal);
    }

    #[test]
    fn order_is_a_total_order(values in proptest::collection::vec(huge(), 2..12)) {
        let mut decimals: Vec<Decimal> =
            values.iter().map(|&(m, s)| Decimal::from_units(m, s)).collect();
        decimals.sort();
        let mut oracle = values.clone();
        oracle.sort_by(|&a, &b| exact_order(a, b));
        // The same sequence of values (compared by the oracle, since equal values may differ
        // in representation).
        for (sorted, expected) in decimals.iter().zip(&oracle) {
            let expected = Decimal::from_units(expected.0, expected.1);
            prop_assert_eq!(sorted.cmp(&expected), Ordering::Equal);
        }
        for pair in decimals.windows(2) {
            prop_assert!(pair[0] <= pair[1]);
        }
    }

    #[test]
    fn addition_and_subtraction_are_exact(
        a in (-100_000_000_000_000_000_000i128..100_000_000_000_000_000_000, 0u32..=8),
        b in (-100_000_000_000_000_000_000i128..100_000_000_000_000_000_000, 0u32..=8),
    ) {
        // Inside this range the exact sum fits rust_decimal (10^20 · 10^8 < 2^96), so it is
        // an exact oracle, and kassa must not refuse.
        let (x, y) = (Decimal::from_units(a.0, a.1), Decimal::from_units(b.0, b.1));
        let (rx, ry) = (rd(a.0, a.1), rd(b.0, b.1));
        let sum = x.checked_add(y).expect("the sum fits");
        prop_assert_eq!(sum.to_string(), (rx + ry).normalize().to_string());
        let negated = Decimal::from_units(-b.0, b.1);
        let difference = x.checked_add(negated).expect("the difference fits");
        prop_assert_eq!(difference.to_string(), (rx - ry).normalize().to_string());
        // And the result is ordered where it must be.
        prop_assert_eq!(sum.cmp(&x), ry.cmp(&Rd::ZERO));
    }

    #[test]
    fn addition_of_huge_values_is_refused_or_right(a in huge(), b in huge()) {
        let (x, y) = (Decimal::from_units(a.0, a.1), Decimal::from_units(b.0, b.1));
        if let Some(sum) = x.checked_add(y) {
            // x + y > x exactly when y > 0.
            prop_assert_eq!(sum.cmp(&x), exact_order(b, (0, 0)), "{} + {} = {}", x, y, sum);
        }
    }

    #[test]
    fn rounding_matches_rust_decimal(a in representable(), places in 0u32..=4) {
        let x = Decimal::from_units(a.0, a.1);
        let expected = rd(a.0, a.1)
            .round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .normalize();
        prop_assert_eq!(x.round(places).to_string(), expected.to_string());
    }

    #[test]
    fn print_matches_rust_decimal_and_parses_back(a in representable()) {
        let x = Decimal::from_units(a.0, a.1);
        let printed = x.to_string();
        prop_assert_eq!(&printed, &rd(a.0, a.1).normalize().to_string());
        let back = Decimal::parse(&printed).expect("printed decimals parse");
        prop_assert_eq!(back, x);
        prop_assert_eq!(back.to_string(), printed);
    }

    #[test]
    fn parse_of_plain_decimals_matches_rust_decimal(
        negative in any::<bool>(),
        int_part in "[0-9]{1,12}",
        fraction in proptest::option::of("[0-9]{1,16}"),
    ) {
        let text = format!(
            "{}{int_part}{}",
            if negative { "-" } else { "" },
            fraction.as_deref().map(|f| format!(".{f}")).unwrap_or_default()
        );
        let expected = Rd::from_str_exact(&text).expect("rust_decimal reads 28 digits");
        let parsed = Decimal::parse(&text).expect("a plain decimal of at most 18 decimals");
        prop_assert_eq!(parsed.to_string(), expected.normalize().to_string());
    }

    #[test]
    fn parse_of_exponent_forms_matches_rust_decimal(
        mantissa in "-?[0-9]{1,10}(\\.[0-9]{1,6})?",
        e in "[eE]",
        exponent in -12i32..=12,
        plus in any::<bool>(),
    ) {
        let exponent_text = if exponent >= 0 && plus { format!("+{exponent}") } else { exponent.to_string() };
        let text = format!("{mantissa}{e}{exponent_text}");
        let expected = Rd::from_scientific(&text).expect("rust_decimal reads the exponent form");
        match Decimal::parse(&text) {
            Some(parsed) => prop_assert_eq!(parsed.to_string(), expected.normalize().to_string()),
            // kassa keeps at most 18 decimals after dropping trailing zeros.
            None => prop_assert!(expected.normalize().scale() > 18, "{} refused", text),
        }
    }

    #[test]
    fn parse_accepts_only_what_rust_decimal_reads_alike(text in "[-+0-9.eE _]{0,14}") {
        match Decimal::parse(&text) {
            Some(parsed) => {
                // kassa's grammar is a subset of rust_decimal's: the same value.
                let trimmed = text.trim();
                let expected = if trimmed.contains(['e', 'E']) {
                    Rd::from_scientific(trimmed)
                } else {
                    Rd::from_str_exact(trimmed)
                };
                match expected {
                    Ok(expected) => prop_assert_eq!(parsed.to_string(), expected.normalize().to_string()),
                    // rust_decimal's range ends at 28 digits of exponent (even for 0e30).
                    Err(e) => prop_assert!(exponent_of(trimmed).unsigned_abs() > 28, "{:?}: {}", text, e),
                }
            }
            None => {
                // Documented differences: rust_decimal also reads `+1`, `.5`, `1.`, `1_000`;
                // kassa wants the plain JSON-like form (and at most 18 decimals).
                if let Ok(value) = Rd::from_str(text.trim()) {
                    let t = text.trim();
                    let unusual = t.starts_with('+') || t.starts_with('.') || t.starts_with("-.")
                        || t.ends_with('.') || t.contains('_') || t.contains(".e") || t.contains(".E")
                        || value.normalize().scale() > 18;
                    prop_assert!(unusual, "kassa refused {:?}, rust_decimal read {}", text, value);
                }
            }
        }
    }
}

#[test]
fn the_ord_bug_of_issue_13_is_fixed() {
    // 1e37 used to compare equal to 1.55 (and 1e38 to 1.5): rescaling the large value to the
    // decimals of the small one overflowed i128 and the comparison fell back to the signs.
    for (big, small) in [
        ("1e37", "1.55"),
        ("1e38", "1.5"),
        ("1e37", "0.000000000000000001"),
    ] {
        let (big, small) = (Decimal::parse(big).unwrap(), Decimal::parse(small).unwrap());
        assert_eq!(big.cmp(&small), Ordering::Greater);
        assert_eq!(small.cmp(&big), Ordering::Less);
        assert_ne!(big, small);
    }
    let huge = Decimal::from_units(10i128.pow(38), 0);
    let tiny = Decimal::from_units(1, 18);
    assert!(huge > tiny && tiny > Decimal::from_units(0, 0));
    assert!(Decimal::from_units(-(10i128.pow(38)), 0) < Decimal::from_units(-1, 18));
    assert_eq!(Decimal::from_units(0, 0), Decimal::from_units(0, 40));
    assert!(Decimal::from_units(1, 40) > Decimal::from_units(0, 0));
    assert!(Decimal::from_units(1, 40) < Decimal::from_units(1, 39));
}

#[test]
fn huge_exponents_are_read_at_once() {
    // Scaling used to loop once per power of ten: 0e2147483647 took minutes.
    assert_eq!(
        Decimal::parse("0e2147483647")
            .map(|d| d.to_string())
            .as_deref(),
        Some("0")
    );
    assert!(Decimal::parse("1e38").is_some());
    assert_eq!(Decimal::parse("1e39"), None);
    assert_eq!(Decimal::parse("1e2147483647"), None);
    assert_eq!(
        Decimal::parse("1.5e2").map(|d| d.to_string()).as_deref(),
        Some("150")
    );
}
