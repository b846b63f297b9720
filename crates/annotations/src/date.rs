//! The one date shape annotations use: `YYYY-MM-DD`, a real calendar day.

/// Whether `text` is a `YYYY-MM-DD` date of the Gregorian calendar.
pub(crate) fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| bytes[i].is_ascii_digit());
    if !shape {
        return false;
    }
    let number = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_yyyy_mm_dd_days_are_dates() {
        for good in ["2026-11-25", "2024-02-29", "2000-02-29", "0001-01-01"] {
            assert!(is_date(good), "{good}");
        }
        let bad = [
            "",
            "2026-1-25",
            "2026/11/25",
            "2026-13-01",
            "2026-00-10",
            "2026-11-31",
            "2026-11-00",
            "1900-02-29",
            "2026-11-25T10:00",
            "２026-11-25",
            "2026-11-2x",
        ];
        for bad in bad {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
