//! RFC 2822 dates as git's `show_date(..., DATE_RFC2822)` writes them.

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parse the raw time of a signature (`1700000000 +0130`) leniently, as git does:
/// seconds since the epoch and the zone as the decimal number git keeps (`130`).
/// Garbage yields zeros rather than an error.
pub(crate) fn parse_raw_time(raw: &[u8]) -> (i64, i32) {
    let mut parts = raw.split(|&b| b == b' ').filter(|p| !p.is_empty());
    let seconds = parts.next().map_or(0, |p| parse_int(p) as i64);
    let tz = parts
        .next()
        .map_or(0, |p| parse_int(p).clamp(-9999, 9999) as i32);
    (seconds, tz)
}

/// `strtol()`: an optional sign and the leading digits, saturating.
fn parse_int(text: &[u8]) -> i128 {
    let (negative, digits) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let mut value: i128 = 0;
    for &b in digits.iter().take_while(|b| b.is_ascii_digit()) {
        value = (value * 10 + i128::from(b - b'0')).min(i128::from(i64::MAX));
    }
    if negative {
        -value
    } else {
        value
    }
}

/// `Fri, 2 Jan 2015 03:04:05 +0130` for `seconds` since the epoch shown in zone `tz`
/// (git's decimal `hhmm` form).
pub(crate) fn rfc2822(seconds: i64, tz: i32) -> String {
    let magnitude = tz.unsigned_abs();
    let offset_minutes = i64::from(magnitude / 100 * 60 + magnitude % 100);
    let local = seconds.saturating_add(
        if tz < 0 {
            -offset_minutes
        } else {
            offset_minutes
        } * 60,
    );
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let weekday = WEEKDAYS[(days + 4).rem_euclid(7) as usize];
    let sign = if tz < 0 { '-' } else { '+' };
    format!(
        "{weekday}, {day} {} {year} {:02}:{:02}:{:02} {sign}{magnitude:04}",
        MONTHS[(month - 1) as usize],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

use kdelta_patch::day::civil_from_days;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_git() {
        let (s, tz) = parse_raw_time(b"1420162445 +0130");
        assert_eq!(rfc2822(s, tz), "Fri, 2 Jan 2015 03:04:05 +0130");
        assert_eq!(rfc2822(0, 0), "Thu, 1 Jan 1970 00:00:00 +0000");
        assert_eq!(
            rfc2822(951_782_400, -800),
            "Mon, 28 Feb 2000 16:00:00 -0800"
        );
        assert_eq!(rfc2822(-1, 0), "Wed, 31 Dec 1969 23:59:59 +0000");
    }
}
