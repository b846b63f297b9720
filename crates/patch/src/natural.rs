//! Natural order of names: digit runs compare by value, so `2-x.patch` sorts before
//! `10-y.patch` and `v3.9` before `v3.10`.

use std::cmp::Ordering;

/// Compare `a` and `b` with digit runs compared by their value (leading zeros ignored).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let (dx, dy) = (digit_run(x), digit_run(y));
                let (nx, ny) = (trim_zeros(&x[..dx]), trim_zeros(&y[..dy]));
                let ord = nx.len().cmp(&ny.len()).then(nx.cmp(ny));
                if ord.is_ne() {
                    return ord;
                }
                (x, y) = (&x[dx..], &y[dy..]);
            }
            (Some(p), Some(q)) if p != q => return p.cmp(q),
            _ => (x, y) = (&x[1..], &y[1..]),
        }
    }
}

fn digit_run(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let first = s.iter().position(|&b| b != b'0').unwrap_or(s.len());
    &s[first..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value() {
        let mut names = vec!["10-b.patch", "2-a.patch", "01-c.patch"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["01-c.patch", "2-a.patch", "10-b.patch"]);
        assert_eq!(natural_cmp("v3.9", "v3.10"), Ordering::Less);
        assert_eq!(natural_cmp("v3.14-rc2", "v3.14-rc10"), Ordering::Less);
        assert_eq!(natural_cmp("a", "a"), Ordering::Equal);
    }
}
