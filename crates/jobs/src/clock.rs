//! Today's date and time for what kdelta writes (annotation history, report headers), from
//! `SOURCE_DATE_EPOCH` when set (reproducible output) or the system clock, in UTC.

use crate::JobError;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the epoch: `SOURCE_DATE_EPOCH` or now.
pub fn now() -> i64 {
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
    day_of(now())
}

/// The day of `secs` since the epoch as `YYYY-MM-DD`.
pub fn day_of(secs: i64) -> String {
    kdelta_patch::day::iso_day(secs)
}

/// Now as `YYYY-MM-DD HH:MM UTC`.
pub fn timestamp() -> String {
    format_time(now())
}

/// `secs` since the epoch as RFC 3339 (`YYYY-MM-DDTHH:MM:SSZ`), as feeds want it.
pub fn rfc3339(secs: i64) -> String {
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        day_of(secs),
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// `secs` since the epoch as `YYYY-MM-DD HH:MM UTC`.
pub fn format_time(secs: i64) -> String {
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02} UTC",
        day_of(secs),
        of_day / 3600,
        of_day % 3600 / 60
    )
}

/// The dates from `since` to `until` (both `YYYY-MM-DD`, included) every `every`: `month`
/// (the same day of each month, at most the 28th), `week`, or a number of days.
pub fn dates(since: &str, until: &str, every: &str) -> Result<Vec<String>, JobError> {
    let first = parse_day(since)?;
    let last = parse_day(until)?;
    if first > last {
        return Err(JobError::Input(format!(
            "--since {since} is after --until {until}"
        )));
    }
    let step_days = match every {
        "month" => None,
        "week" => Some(7),
        n => Some(n.parse::<i64>().ok().filter(|&n| n > 0).ok_or_else(|| {
            JobError::Input(format!(
                "--every {n:?}: expected month, week or a number of days"
            ))
        })?),
    };
    let mut out = Vec::new();
    match step_days {
        Some(n) => {
            let mut day = first;
            while day <= last {
                out.push(format_day(day));
                day += n;
            }
        }
        None => {
            let (mut y, mut m, d) = civil(first);
            let d = d.min(28);
            loop {
                let day = days_from_civil(y, m, d);
                if day > last {
                    break;
                }
                out.push(format_day(day));
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            }
        }
    }
    Ok(out)
}

fn format_day(day: i64) -> String {
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day number of `YYYY-MM-DD`.
fn parse_day(text: &str) -> Result<i64, JobError> {
    let wrong = || JobError::Input(format!("{text:?}: expected a date YYYY-MM-DD"));
    let parts: Vec<i64> = text
        .split('-')
        .map(|p| p.parse::<i64>())
        .collect::<Result<_, _>>()
        .map_err(|_| wrong())?;
    match parts.as_slice() {
        [y, m, d] if (1..=12).contains(m) && (1..=31).contains(d) => {
            Ok(days_from_civil(*y, *m, *d))
        }
        _ => Err(wrong()),
    }
}

use kdelta_patch::day::{civil_from_days as civil, days_from_civil};

#[cfg(test)]
mod tests {
    use super::{civil, dates, days_from_civil};

    #[test]
    fn date_steps() {
        assert_eq!(days_from_civil(2026, 11, 25), 20_782);
        let months = dates("2012-01-31", "2012-04-30", "month").expect("dates");
        assert_eq!(
            months,
            ["2012-01-28", "2012-02-28", "2012-03-28", "2012-04-28"]
        );
        let weeks = dates("2014-06-01", "2014-06-15", "week").expect("dates");
        assert_eq!(weeks, ["2014-06-01", "2014-06-08", "2014-06-15"]);
        assert!(dates("2014-06-15", "2014-06-01", "week").is_err());
        assert!(dates("2014-06-01", "2014-06-15", "fortnight").is_err());
    }

    #[test]
    fn times() {
        assert_eq!(super::format_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(
            super::rfc3339(20_782 * 86_400 + 3_725),
            "2026-11-25T01:02:05Z"
        );
        assert_eq!(
            super::format_time(20_782 * 86_400 + 3_725),
            "2026-11-25 01:02 UTC"
        );
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(11_016), (2000, 2, 29));
        assert_eq!(civil(20_782), (2026, 11, 25));
        assert_eq!(civil(-1), (1969, 12, 31));
    }
}
