//! kassa's calendar arithmetic, formatting and parsing (src/time.rs) against the `time` crate.
//! Years are those `time` holds (-9999..=9999); the text formats are compared for the four-digit
//! years 0000..=9999 that the providers' formats are defined for.

use kassa::time::{parse_compact, parse_iso8601, parse_spaced, DateTime};
use proptest::prelude::*;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const MIN_UNIX: i64 = -377_705_116_800; // -9999-01-01T00:00:00Z
const MAX_UNIX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
const DAY: i64 = 86_400;

fn kassa_of(p: PrimitiveDateTime) -> DateTime {
    DateTime {
        year: i64::from(p.year()),
        month: u32::from(u8::from(p.month())),
        day: u32::from(p.day()),
        hour: u32::from(p.hour()),
        minute: u32::from(p.minute()),
        second: u32::from(p.second()),
    }
}

fn primitive(
    year_range: std::ops::RangeInclusive<i32>,
) -> impl Strategy<Value = PrimitiveDateTime> {
    (year_range, 1u8..=12, 1u8..=31, 0u8..24, 0u8..60, 0u8..60).prop_filter_map(
        "a real date",
        |(y, mo, d, h, mi, s)| {
            let date = Date::from_calendar_date(y, Month::try_from(mo).ok()?, d).ok()?;
            Some(PrimitiveDateTime::new(date, Time::from_hms(h, mi, s).ok()?))
        },
    )
}

/// Dates people and devices write, plus the edges: leap days, centuries, year boundaries.
fn interesting_year() -> impl Strategy<Value = i32> {
    prop_oneof![
        1900i32..2100,
        Just(1900),
        Just(2000),
        Just(2100),
        Just(0),
        Just(9999),
        0i32..=9999
    ]
}

/// Date-time fields around their limits: mostly valid, sometimes one past an edge.
fn fields() -> impl Strategy<Value = (i32, u32, u32, u32, u32, u32)> {
    (
        interesting_year(),
        prop_oneof![8 => 1u32..=12, 1 => Just(0), 1 => Just(13)],
        prop_oneof![8 => 1u32..=28, 4 => 29u32..=31, 1 => Just(0), 1 => Just(32)],
        prop_oneof![8 => 0u32..24, 1 => Just(24)],
        prop_oneof![8 => 0u32..60, 1 => Just(60)],
        prop_oneof![8 => 0u32..60, 1 => Just(60)],
    )
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn offset_minutes() -> impl Strategy<Value = i64> {
    prop_oneof![Just(0i64), Just(300), Just(-300), -1439i64..=1439]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn civil_time_from_unix_matches_time(
        seconds in (MIN_UNIX + DAY)..(MAX_UNIX - DAY),
        millis in 0i64..1000,
        offset in offset_minutes(),
    ) {
        let expected = OffsetDateTime::from_unix_timestamp(seconds)
            .unwrap()
            .to_offset(UtcOffset::from_whole_seconds((offset * 60) as i32).unwrap());
        let ours = DateTime::from_unix_ms(seconds * 1000 + millis, offset);
        prop_assert_eq!(ours, kassa_of(PrimitiveDateTime::new(expected.date(), expected.time())));
        prop_assert!(ours.is_valid());
    }

    #[test]
    fn unix_seconds_of_a_civil_time_match_time(p in primitive(-9999..=9999)) {
        let ours = kassa_of(p);
        prop_assert_eq!(ours.to_unix_seconds(), p.assume_utc().unix_timestamp());
        prop_assert_eq!(DateTime::from_unix_ms(ours.to_unix_seconds() * 1000, 0), ours);
    }

    #[test]
    fn validity_matches_time(
        year in -9999i64..=9999,
        month in 0u32..=13,
        day in 0u32..=32,
        hour in 0u32..=25,
        minute in 0u32..=61,
        second in 0u32..=61,
    ) {
        let ours = DateTime { year, month, day, hour, minute, second };
        let theirs = Month::try_from(month as u8)
            .ok()
            .and_then(|m| Date::from_calendar_date(year as i32, m, day as u8).ok())
            .and_then(|_| Time::from_hms(hour as u8, minute as u8, second as u8).ok());
        prop_assert_eq!(ours.is_valid(), theirs.is_some(), "{:?}", ours);
    }

    #[test]
    fn formats_match_time(p in primitive(0..=9999), offset in offset_minutes()) {
        let ours = kassa_of(p);
        let zone = UtcOffset::from_whole_seconds((offset * 60) as i32).unwrap();
        prop_assert_eq!(ours.to_iso8601(offset), p.assume_offset(zone).format(&Rfc3339).unwrap());
        prop_assert_eq!(
            ours.to_spaced(),
            p.format(format_description!("[year]-[month]-[day] [hour]:[minute]:[second]")).unwrap()
        );
        prop_assert_eq!(
            ours.to_compact(),
            p.format(format_description!("[year][month][day][hour][minute][second]")).unwrap()
        );
    }

    #[test]
    fn formatted_times_parse_back(p in primitive(0..=9999), offset in offset_minutes()) {
        let ours = kassa_of(p);
        prop_assert_eq!(parse_compact(&ours.to_compact()), Some(ours));
        prop_assert_eq!(parse_spaced(&ours.to_spaced()), Some(ours));
        prop_assert_eq!(parse_iso8601(&ours.to_iso8601(offset)), Some((ours, Some(offset))));
    }

    #[test]
    fn compact_parsing_matches_time(
        (year, mo, d, h, mi, s) in fields(),
        noise in proptest::option::of(("[0-9 +\\-:T.a]", any::<prop::sample::Index>())),
    ) {
        let mut text = format!("{year:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}");
        if let Some((c, at)) = noise {
            let i = at.index(text.len() + 1);
            text.insert_str(i, &c);
        }
        let theirs = PrimitiveDateTime::parse(&text, format_description!("[year][month][day][hour][minute][second]"))
            .ok()
            .map(kassa_of);
        let ours = parse_compact(&text);
        if text.starts_with(['+', '-']) {
            // Documented difference: `time` reads a signed year; the provider formats have none.
            prop_assert_eq!(ours, None);
        } else {
            prop_assert_eq!(ours, theirs, "{:?}", text);
        }
    }

    #[test]
    fn spaced_parsing_matches_time(
        (year, mo, d, h, mi, s) in fields(),
        separators in prop_oneof![
            4 => Just(("-", " ", ":")),
            1 => ("[-/]", "[ T]", "[:.]").prop_map(|(a, b, c)| (leak(a), leak(b), leak(c))),
        ],
    ) {
        let (date_sep, middle, time_sep) = separators;
        let text = format!("{year:04}{date_sep}{mo:02}{date_sep}{d:02}{middle}{h:02}{time_sep}{mi:02}{time_sep}{s:02}");
        let theirs = PrimitiveDateTime::parse(&text, format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"))
            .ok()
            .map(kassa_of);
        prop_assert_eq!(parse_spaced(&text), theirs, "{:?}", text);
    }

    #[test]
    fn iso8601_with_a_zone_matches_rfc3339(
        p in primitive(0..=9999),
        fraction in proptest::option::of("[0-9]{1,9}"),
        zone in prop_oneof![Just("Z".to_string()), Just("z".to_string()), "[+-](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]"],
        separator in "[Tt]",
    ) {
        let text = format!(
            "{}{separator}{}{}{zone}",
            p.format(format_description!("[year]-[month]-[day]")).unwrap(),
            p.format(format_description!("[hour]:[minute]:[second]")).unwrap(),
            fraction.as_deref().map(|f| format!(".{f}")).unwrap_or_default(),
        );
        let theirs = OffsetDateTime::parse(&text, &Rfc3339).expect("valid RFC 3339");
        let (civil, offset) = parse_iso8601(&text).expect("kassa reads RFC 3339");
        // kassa keeps whole seconds: the fraction is read and dropped.
        prop_assert_eq!(civil, kassa_of(PrimitiveDateTime::new(theirs.date(), theirs.time().replace_nanosecond(0).unwrap())));
        prop_assert_eq!(offset, Some(i64::from(theirs.offset().whole_minutes())));
    }

    #[test]
    fn iso8601_refuses_what_rfc3339_refuses(
        (year, mo, d, h, mi, s) in fields(),
        separator in "[Tt ]",
        fraction in "(\\.[0-9]{0,3})?",
        zone in "(Z|[+-]([01][0-9]|2[0-5]):[0-6][0-9]|[+-][0-9]{4}|)",
    ) {
        let text = format!("{year:04}-{mo:02}-{d:02}{separator}{h:02}:{mi:02}:{s:02}{fraction}{zone}");
        // Documented difference: kassa also reads a time without a zone (the local time AGWS
        // writes), which RFC 3339 refuses. Such a text must read as the same text with `Z`
        // would: same verdict, same civil date-time, and no offset.
        let zoneless = zone.is_empty();
        let theirs = if zoneless {
            OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339)
        } else {
            OffsetDateTime::parse(&text, &Rfc3339)
        };
        let ours = parse_iso8601(&text);
        match (&ours, &theirs) {
            (Some((civil, offset)), Ok(t)) => {
                prop_assert_eq!(*civil, kassa_of(PrimitiveDateTime::new(t.date(), t.time().replace_nanosecond(0).unwrap())), "{:?}", text);
                let expected = (!zoneless).then(|| i64::from(t.offset().whole_minutes()));
                prop_assert_eq!(*offset, expected, "{:?}", text);
            }
            (Some(_), Err(e)) => prop_assert!(false, "{:?}: kassa read it, time: {}", text, e),
            // Documented difference: `time` reads second 60 (a leap second), kassa refuses it.
            (None, Ok(_)) => prop_assert_eq!(s, 60, "{:?} refused", text),
            (None, Err(_)) => {}
        }
    }
}

#[test]
fn documented_differences() {
    // No zone: kassa reads the local time AGWS writes, RFC 3339 wants a zone.
    assert_eq!(
        parse_iso8601("2024-01-01T10:00:00"),
        Some((
            DateTime {
                year: 2024,
                month: 1,
                day: 1,
                hour: 10,
                minute: 0,
                second: 0
            },
            None
        ))
    );
    assert!(OffsetDateTime::parse("2024-01-01T10:00:00", &Rfc3339).is_err());
    // Both read a space instead of `T`.
    assert!(parse_iso8601("2024-01-01 10:00:00+05:00").is_some());
    assert!(OffsetDateTime::parse("2024-01-01 10:00:00+05:00", &Rfc3339).is_ok());
    // A leap second: `time` reads it, kassa refuses second 60.
    assert!(OffsetDateTime::parse("2016-12-31T23:59:60Z", &Rfc3339).is_ok());
    assert_eq!(parse_iso8601("2016-12-31T23:59:60Z"), None);
    // A signed year: `time` reads it, the provider formats have none.
    let compact = format_description!("[year][month][day][hour][minute][second]");
    assert!(PrimitiveDateTime::parse("+20240101000000", compact).is_ok());
    assert_eq!(parse_compact("+20240101000000"), None);
}
