//! Today's date and time for what kdelta writes (annotation history, report headers), from
//! `SOURCE_DATE_EPOCH` when set (reproducible output) or the system clock, in UTC.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the epoch: `SOURCE_DATE_EPOCH` or now.
fn now() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        })
}

/// Today as `YYYY-MM-DD`.
pub fn today() -> String {
    let (y, m, d) = civil(now().div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Now as `YYYY-MM-DD HH:MM UTC`.
pub fn timestamp() -> String {
    let secs = now();
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02} UTC",
        today(),
        of_day / 3600,
        of_day % 3600 / 60
    )
}

/// The civil date of a day number since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::civil;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(11_016), (2000, 2, 29));
        assert_eq!(civil(20_782), (2026, 11, 25));
        assert_eq!(civil(-1), (1969, 12, 31));
    }
}
