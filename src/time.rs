//! Calendar arithmetic for the date formats providers use. The core has no clock: callers
//! pass "now" in as Unix milliseconds.

/// A civil date-time without a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl DateTime {
    pub fn is_valid(&self) -> bool {
        (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
            && self.hour < 24
            && self.minute < 60
            && self.second < 60
    }

    /// Seconds since the Unix epoch, reading this civil time as UTC.
    pub fn to_unix_seconds(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// The civil time at `unix_ms` in a zone `offset_minutes` east of UTC.
    pub fn from_unix_ms(unix_ms: i64, offset_minutes: i64) -> DateTime {
        let seconds = unix_ms.div_euclid(1000) + offset_minutes * 60;
        let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
        let rem = seconds.rem_euclid(86_400);
        DateTime {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    /// `2022-12-01T15:45:00Z` (for `offset_minutes == 0`) or `...+05:00`.
    pub fn to_iso8601(&self, offset_minutes: i64) -> String {
        let zone = if offset_minutes == 0 {
            "Z".to_string()
        } else {
            let sign = if offset_minutes < 0 { '-' } else { '+' };
            let abs = offset_minutes.abs();
            format!("{sign}{:02}:{:02}", abs / 60, abs % 60)
        };
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `yyyy-MM-dd HH:mm:ss`
    /// ISO 8601 without a zone (`2023-01-04T12:18:01`): the wall clock of a document that
    /// names no zone (Soliq links, FiscalBox receipts).
    pub fn to_local_iso(&self) -> String {
        let mut text = self.to_iso8601(0);
        text.pop(); // the `Z`
        text
    }

    pub fn to_spaced(&self) -> String {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `yyyyMMddHHmmss`
    pub fn to_compact(&self) -> String {
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

fn number(s: &str, range: std::ops::Range<usize>) -> Option<u32> {
    let part = s.get(range)?;
    if part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

fn from_parts(s: &str, positions: [std::ops::Range<usize>; 6]) -> Option<DateTime> {
    let [y, mo, d, h, mi, se] = positions;
    let dt = DateTime {
        year: i64::from(number(s, y)?),
        month: number(s, mo)?,
        day: number(s, d)?,
        hour: number(s, h)?,
        minute: number(s, mi)?,
        second: number(s, se)?,
    };
    dt.is_valid().then_some(dt)
}

/// Parses `yyyyMMddHHmmss` (Soliq receipt links, FiscalBox `date_time`).
pub fn parse_compact(s: &str) -> Option<DateTime> {
    (s.len() == 14).then_some(())?;
    from_parts(s, [0..4, 4..6, 6..8, 8..10, 10..12, 12..14])
}

/// Parses `yyyy-MM-dd HH:mm:ss` (FiscalBox `time`).
pub fn parse_spaced(s: &str) -> Option<DateTime> {
    let b = s.as_bytes();
    let shape = s.len() == 19
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.get(10) == Some(&b' ')
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':');
    shape.then_some(())?;
    from_parts(s, [0..4, 5..7, 8..10, 11..13, 14..16, 17..19])
}

/// Parses an ISO 8601 / RFC 3339 date-time: `2022-12-01T15:45:00Z`, `2024-01-01T00:00:00`,
/// `2024-08-02T12:24:07+05:00`, with optional fractional seconds. Returns the civil time and
/// the zone offset in minutes (`None` when no zone is written).
pub fn parse_iso8601(s: &str) -> Option<(DateTime, Option<i64>)> {
    let b = s.as_bytes();
    let shape = s.len() >= 19
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && matches!(b.get(10), Some(b'T' | b't' | b' '))
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':');
    shape.then_some(())?;
    let dt = from_parts(s, [0..4, 5..7, 8..10, 11..13, 14..16, 17..19])?;
    let mut rest = s.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = fraction.get(digits..)?;
    }
    let zone = match rest {
        "" => None,
        "Z" | "z" => Some(0),
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let body = rest.get(1..)?;
            if body.len() != 5 || body.as_bytes().get(2) != Some(&b':') {
                return None;
            }
            let hours = i64::from(number(body, 0..2)?);
            let minutes = i64::from(number(body, 3..5)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            Some(sign * (hours * 60 + minutes))
        }
    };
    Some((dt, zone))
}
