//! Release versions, ordered: `v3.14-rc1` < `v3.14` < `3.14.1` < `6.12.107`, and Xen's
//! `RELEASE-4.17.0` = `4.17`. A header's `Patch-mainline: v3.14-rc1` is compared with the
//! release of the tree judged against, so that a claim at or below it can count as
//! evidence even without history to verify it.

use std::cmp::Ordering;
use std::fmt;

/// A release version: numbers separated by dots, and an optional release candidate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Version {
    /// The numbers (`[6, 12, 107]`), trailing zeros removed so `4.17.0` equals `4.17`.
    numbers: Vec<u32>,
    /// The release candidate (`-rc1` → 1); a release candidate comes before its release.
    rc: Option<u32>,
}

impl Version {
    /// Parse `text` at its first version: a run of `N.N[.N…]` after any prefix that is
    /// not a digit (`v`, `RELEASE-`, `linux-`, `Linux `), with an optional `-rcN` / `rcN`.
    /// At least a major and a minor number are needed (`4` alone is no version).
    pub fn parse(text: &str) -> Option<Version> {
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at].is_ascii_digit()
                && (at == 0
                    || !bytes[at - 1].is_ascii_alphanumeric()
                    || matches!(bytes[at - 1], b'v' | b'V'))
            {
                if let Some(v) = Version::parse_at(bytes, at) {
                    return Some(v);
                }
            }
            at += 1;
        }
        None
    }

    fn parse_at(s: &[u8], start: usize) -> Option<Version> {
        let digits = |at: usize| s.iter().skip(at).take_while(|b| b.is_ascii_digit()).count();
        let number = |at: usize, n: usize| -> Option<u32> {
            std::str::from_utf8(s.get(at..at + n)?).ok()?.parse().ok()
        };
        let mut numbers = Vec::new();
        let mut end = start;
        loop {
            let n = digits(end);
            if n == 0 || n > 6 {
                break;
            }
            numbers.push(number(end, n)?);
            end += n;
            if s.get(end) == Some(&b'.') && digits(end + 1) > 0 {
                end += 1;
            } else {
                break;
            }
        }
        if numbers.len() < 2 {
            return None;
        }
        let rc_at = end + usize::from(s.get(end) == Some(&b'-'));
        let rc = match s.get(rc_at..rc_at + 2) {
            Some(r) if r.eq_ignore_ascii_case(b"rc") && digits(rc_at + 2) > 0 => {
                number(rc_at + 2, digits(rc_at + 2))
            }
            _ => None,
        };
        while numbers.len() > 2 && numbers.last() == Some(&0) {
            numbers.pop();
        }
        Some(Version { numbers, rc })
    }

    /// The version of a tree's top `Makefile` (Linux: `VERSION`, `PATCHLEVEL`,
    /// `SUBLEVEL`, `EXTRAVERSION`) or of Xen's `xen/Makefile` (`XEN_VERSION`,
    /// `XEN_SUBVERSION`).
    pub fn of_makefile(text: &[u8]) -> Option<Version> {
        let text = String::from_utf8_lossy(text);
        let var = |name: &str| -> Option<String> {
            text.lines().find_map(|line| {
                let line = line.trim_start().strip_prefix("export ").unwrap_or(line);
                let (key, value) = line.split_once('=')?;
                let key = key.trim().trim_end_matches(['?', ':']).trim();
                (key == name).then(|| value.trim().to_string())
            })
        };
        let num = |name: &str| var(name).and_then(|v| v.parse::<u32>().ok());
        if let (Some(major), Some(minor)) = (num("VERSION"), num("PATCHLEVEL")) {
            let sub = num("SUBLEVEL").unwrap_or(0);
            let extra = var("EXTRAVERSION").unwrap_or_default();
            return Version::parse(&format!("{major}.{minor}.{sub}{extra}"));
        }
        let (major, minor) = (num("XEN_VERSION")?, num("XEN_SUBVERSION")?);
        Version::parse(&format!("{major}.{minor}"))
    }

    /// The numbers, without trailing zeros beyond the minor.
    pub fn numbers(&self) -> &[u32] {
        &self.numbers
    }

    /// The release candidate number, if a candidate.
    pub fn rc(&self) -> Option<u32> {
        self.rc
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        let len = self.numbers.len().max(other.numbers.len());
        let at = |v: &Version, i: usize| v.numbers.get(i).copied().unwrap_or(0);
        (0..len)
            .map(|i| at(self, i).cmp(&at(other, i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
            .then_with(|| match (self.rc, other.rc) {
                (None, None) => Ordering::Equal,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(a), Some(b)) => a.cmp(&b),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl serde::Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Version, D::Error> {
        let text = String::deserialize(d)?;
        Version::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a version: {text}")))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let numbers: Vec<String> = self.numbers.iter().map(u32::to_string).collect();
        f.write_str(&numbers.join("."))?;
        if let Some(rc) = self.rc {
            write!(f, "-rc{rc}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap_or_else(|| panic!("{text} is a version"))
    }

    #[test]
    fn spellings_of_one_release_are_equal() {
        assert_eq!(v("v4.17"), v("4.17.0"));
        assert_eq!(v("RELEASE-4.17.0"), v("4.17"));
        assert_eq!(v("linux-6.12.107"), v("6.12.107"));
        assert_eq!(v("Linux 3.14-rc1"), v("v3.14rc1"));
        assert_eq!(v("linux_6.12.107.orig.tar.xz"), v("6.12.107"));
        assert_eq!(v("v3.14-rc1").to_string(), "3.14-rc1");
    }

    #[test]
    fn releases_are_ordered_with_candidates_first() {
        assert!(v("v3.14-rc1") < v("v3.14"));
        assert!(v("v3.14-rc1") < v("v3.14-rc2"));
        assert!(v("v3.14") < v("3.14.1"));
        assert!(v("v3.14") < v("6.12.107"));
        assert!(v("6.12.107") < v("v6.13-rc1"));
        assert!(v("4.9") < v("4.10"));
    }

    #[test]
    fn non_versions_are_refused() {
        assert_eq!(Version::parse("4"), None);
        assert_eq!(Version::parse("no version here"), None);
        assert_eq!(Version::parse("sha1abc2.3"), None);
    }

    #[test]
    fn makefiles_give_the_tree_release() {
        let linux = b"# SPDX\nVERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 107\nEXTRAVERSION =\nNAME = Baby Opossum\n";
        assert_eq!(Version::of_makefile(linux), Some(v("6.12.107")));
        let rc = b"VERSION = 6\nPATCHLEVEL = 13\nSUBLEVEL = 0\nEXTRAVERSION = -rc3\n";
        assert_eq!(Version::of_makefile(rc), Some(v("6.13-rc3")));
        let xen = b"export XEN_VERSION       = 4\nexport XEN_SUBVERSION    = 17\nexport XEN_EXTRAVERSION ?= .6$(XEN_VENDORVERSION)\n";
        assert_eq!(Version::of_makefile(xen), Some(v("4.17")));
        assert_eq!(Version::of_makefile(b"all:\n\techo hi\n"), None);
    }

    proptest::proptest! {
        #[test]
        fn order_is_total_and_agrees_with_numbers(a in proptest::collection::vec(0u32..30, 2..4),
                                                  b in proptest::collection::vec(0u32..30, 2..4)) {
            let s = |n: &[u32]| n.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
            let (va, vb) = (v(&s(&a)), v(&s(&b)));
            let pad = |n: &[u32]| { let mut n = n.to_vec(); n.resize(4, 0); n };
            proptest::prop_assert_eq!(va.cmp(&vb), pad(&a).cmp(&pad(&b)));
        }
    }
}
