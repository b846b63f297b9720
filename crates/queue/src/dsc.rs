//! Debian source control files (`.dsc`): the source package's name, version,
//! format, and the files that make it up.
//!
//! A `.dsc` is one deb822 paragraph (`Field: value`, continuation lines
//! starting with a blank), usually wrapped in an OpenPGP cleartext signature:
//!
//! ```text
//! -----BEGIN PGP SIGNED MESSAGE-----
//! Hash: SHA512
//!
//! Format: 3.0 (quilt)
//! Source: linux
//! Version: 6.1.0-1
//! Checksums-Sha256:
//!  <sha256> <size> linux_6.1.0.orig.tar.xz
//! Files:
//!  <md5> <size> linux_6.1.0.orig.tar.xz
//!
//! -----BEGIN PGP SIGNATURE-----
//! …
//! -----END PGP SIGNATURE-----
//! ```
//!
//! The signature is stripped (not checked), dash-escaped lines (`- -…`) are
//! unescaped, and the `Files:` (md5) and `Checksums-Sha256:` lists are merged by
//! file name. Field names are case-insensitive. Bad lines, size mismatches,
//! duplicate fields and file names that are not plain names are reported.

use crate::series::{lossy, SeriesProblem};
use bstr::ByteSlice;
use serde::Serialize;
use std::collections::HashMap;

/// One file of a source package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DscFile {
    /// The file name, next to the `.dsc`.
    pub name: String,
    /// The size in bytes.
    pub size: u64,
    /// The MD5 digest from `Files:`, lowercase hex, if listed there.
    pub md5: Option<String>,
    /// The SHA-256 digest from `Checksums-Sha256:`, lowercase hex, if listed there.
    pub sha256: Option<String>,
}

/// What a `.dsc` says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Dsc {
    /// `Source:`, the source package name.
    pub source: Option<String>,
    /// `Version:`, the full Debian version (`6.1.76-1`, `1:2.3-4`).
    pub version: Option<String>,
    /// `Format:`, e.g. `3.0 (quilt)`, `1.0`.
    pub format: Option<String>,
    /// The files, in `Files:` order, then any only in `Checksums-Sha256:`.
    pub files: Vec<DscFile>,
    /// Whether the text was an OpenPGP cleartext-signed message.
    pub signed: bool,
    /// Everything odd met while reading.
    pub problems: Vec<SeriesProblem>,
}

impl Dsc {
    /// Parse a `.dsc`, signed or not (the same as [`parse`]).
    pub fn parse(text: &[u8]) -> Dsc {
        parse(text)
    }

    /// The Debian tarball of a `3.0 (quilt)` package (`*.debian.tar.xz`, `.gz`, `.bz2`, `.lzma`).
    pub fn debian_tarball(&self) -> Option<&str> {
        self.find(|name| has_tar_suffix(name, ".debian.tar"))
    }

    /// The upstream tarball (`*.orig.tar.*`; not the `orig-COMPONENT` ones nor signatures).
    pub fn orig_tarball(&self) -> Option<&str> {
        self.find(|name| has_tar_suffix(name, ".orig.tar"))
    }

    /// The Debian diff of a `1.0` package (`*.diff.gz`, `.diff.bz2`, `.diff.xz`).
    pub fn debian_diff(&self) -> Option<&str> {
        self.find(|name| {
            [".diff.gz", ".diff.bz2", ".diff.xz", ".diff.lzma"]
                .iter()
                .any(|s| name.ends_with(s))
        })
    }

    /// The first file whose name satisfies `wanted`.
    fn find(&self, wanted: impl Fn(&str) -> bool) -> Option<&str> {
        self.files
            .iter()
            .map(|f| f.name.as_str())
            .find(|name| wanted(name))
    }
}

/// Whether `name` ends with `stem` followed by a compression suffix (`.gz`, `.xz`…).
fn has_tar_suffix(name: &str, stem: &str) -> bool {
    [".gz", ".xz", ".bz2", ".lzma", ".zst"]
        .iter()
        .any(|compression| {
            name.strip_suffix(compression)
                .is_some_and(|n| n.ends_with(stem))
        })
}

/// Parse a `.dsc`, signed or not.
pub fn parse(text: &[u8]) -> Dsc {
    let mut dsc = Dsc::default();
    let lines = unsign(text, &mut dsc);
    let fields = paragraph(&lines, &mut dsc.problems);
    dsc.source = single(&fields, "source", &mut dsc.problems);
    dsc.version = single(&fields, "version", &mut dsc.problems);
    dsc.format = single(&fields, "format", &mut dsc.problems);
    let md5 = checksums(&fields, "files", 32, &mut dsc.problems);
    let sha256 = checksums(&fields, "checksums-sha256", 64, &mut dsc.problems);
    dsc.files = merge(md5, sha256, &mut dsc.problems);
    dsc
}

/// The signed text's lines (1-based numbers kept), armor and signature removed.
fn unsign<'t>(text: &'t [u8], dsc: &mut Dsc) -> Vec<(usize, &'t [u8])> {
    let all: Vec<(usize, &[u8])> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, trim_end(l)))
        .collect();
    let first = all.iter().position(|(_, l)| !l.is_empty());
    let Some(first) = first.filter(|&i| all[i].1 == b"-----BEGIN PGP SIGNED MESSAGE-----") else {
        return all;
    };
    dsc.signed = true;
    // Armor headers (`Hash: …`) run to the first empty line.
    let body = all[first..]
        .iter()
        .position(|(_, l)| l.is_empty())
        .map_or(all.len(), |i| first + i + 1);
    let mut lines = Vec::new();
    let mut ended = false;
    for &(number, line) in &all[body..] {
        if line == b"-----BEGIN PGP SIGNATURE-----" {
            ended = true;
            break;
        }
        lines.push((number, line.strip_prefix(b"- ").unwrap_or(line)));
    }
    if !ended {
        let line = all.last().map_or(0, |(n, _)| *n);
        dsc.problems.push(SeriesProblem::new(
            line,
            "signed message without a signature",
        ));
    }
    lines
}

/// `line` without trailing blanks (CR included).
fn trim_end(line: &[u8]) -> &[u8] {
    line.trim_end_with(|c| c == ' ' || c == '\t' || c == '\r')
}

/// A field: its lowercase name, its line, and its value's lines (the first one
/// being the text after the colon, trimmed).
struct Field<'t> {
    name: String,
    line: usize,
    value: Vec<(usize, &'t [u8])>,
}

/// The fields of the first paragraph; later paragraphs are reported and ignored.
fn paragraph<'t>(lines: &[(usize, &'t [u8])], problems: &mut Vec<SeriesProblem>) -> Vec<Field<'t>> {
    let mut fields: Vec<Field<'t>> = Vec::new();
    let start = lines
        .iter()
        .position(|(_, l)| !is_blank_line(l))
        .unwrap_or(lines.len());
    for &(number, line) in &lines[start..] {
        if is_blank_line(line) {
            if let Some((after, _)) = lines.iter().find(|(n, l)| *n > number && !is_blank_line(l)) {
                problems.push(SeriesProblem::new(
                    *after,
                    "text after the first paragraph is ignored",
                ));
            }
            break;
        }
        if line.starts_with(b"#") {
            continue;
        }
        if line.starts_with(b" ") || line.starts_with(b"\t") {
            match fields.last_mut() {
                Some(field) => field.value.push((number, line.trim())),
                None => problems.push(SeriesProblem::new(
                    number,
                    "continuation line without a field",
                )),
            }
            continue;
        }
        match line.find_byte(b':') {
            Some(colon) if colon > 0 => fields.push(Field {
                name: lossy(&line[..colon]).to_ascii_lowercase(),
                line: number,
                value: vec![(number, line[colon + 1..].trim())],
            }),
            _ => problems.push(SeriesProblem::new(
                number,
                format!("not a field: {:?}", lossy(line)),
            )),
        }
    }
    fields
}

/// Whether a line is empty or only blanks.
fn is_blank_line(line: &[u8]) -> bool {
    line.iter().all(|&b| b == b' ' || b == b'\t')
}

/// The field named `name` (lowercase); a second one is reported.
fn field<'f, 't>(
    fields: &'f [Field<'t>],
    name: &str,
    problems: &mut Vec<SeriesProblem>,
) -> Option<&'f Field<'t>> {
    let mut found = fields.iter().filter(|f| f.name == name);
    let first = found.next()?;
    if let Some(again) = found.next() {
        problems.push(SeriesProblem::new(
            again.line,
            format!("field {name} given twice; the first counts"),
        ));
    }
    Some(first)
}

/// A one-line field's value; continuation lines are reported.
fn single(fields: &[Field<'_>], name: &str, problems: &mut Vec<SeriesProblem>) -> Option<String> {
    let field = field(fields, name, problems)?;
    if let Some((line, _)) = field.value.get(1) {
        problems.push(SeriesProblem::new(
            *line,
            format!("field {name} has more than one line"),
        ));
    }
    let value = field.value[0].1;
    (!value.is_empty()).then(|| lossy(value))
}

/// One line of a checksum list.
struct Listed {
    digest: String,
    size: u64,
    name: String,
    line: usize,
}

/// The `digest size name` lines of checksum field `name`; bad lines are reported.
fn checksums(
    fields: &[Field<'_>],
    name: &str,
    digest_len: usize,
    problems: &mut Vec<SeriesProblem>,
) -> Vec<Listed> {
    let Some(field) = field(fields, name, problems) else {
        return Vec::new();
    };
    let mut listed = Vec::new();
    for &(line, text) in &field.value {
        if text.is_empty() {
            continue;
        }
        match listed_line(text, digest_len) {
            Some((digest, size, file)) => {
                let name = lossy(file);
                check_file_name(&name, file, line, problems);
                listed.push(Listed {
                    digest,
                    size,
                    name,
                    line,
                });
            }
            None => problems.push(SeriesProblem::new(
                line,
                format!("bad line in {name}: {:?}", lossy(text)),
            )),
        }
    }
    listed
}

/// `digest size name`: a hex digest of `digest_len` digits, a decimal size, a name.
fn listed_line(text: &[u8], digest_len: usize) -> Option<(String, u64, &[u8])> {
    let mut words = text
        .split(|&b| b == b' ' || b == b'\t')
        .filter(|w| !w.is_empty());
    let (digest, size, name) = (words.next()?, words.next()?, words.next()?);
    if words.next().is_some()
        || digest.len() != digest_len
        || !digest.iter().all(u8::is_ascii_hexdigit)
    {
        return None;
    }
    let size = std::str::from_utf8(size)
        .ok()
        .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))?;
    Some((lossy(digest).to_ascii_lowercase(), size.parse().ok()?, name))
}

/// Whether `name` is a plain file name in the `.dsc`'s directory: no directory part, not
/// `.` or `..`.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\', '\0']) && name != "." && name != ".."
}

/// Report a file name that is not a plain name in the `.dsc`'s directory.
fn check_file_name(name: &str, raw: &[u8], line: usize, problems: &mut Vec<SeriesProblem>) {
    if !is_plain_name(name) {
        problems.push(SeriesProblem::new(
            line,
            format!("file name {name:?} is not a plain name"),
        ));
    }
    if raw.to_str().is_err() {
        problems.push(SeriesProblem::new(
            line,
            format!("file name {name:?} is not valid UTF-8"),
        ));
    }
}

/// Merge the md5 and sha256 lists by name.
fn merge(md5: Vec<Listed>, sha256: Vec<Listed>, problems: &mut Vec<SeriesProblem>) -> Vec<DscFile> {
    let mut files = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for listed in md5 {
        if index.contains_key(&listed.name) {
            problems.push(SeriesProblem::new(
                listed.line,
                format!("{} listed twice in Files", listed.name),
            ));
            continue;
        }
        index.insert(listed.name.clone(), files.len());
        files.push(DscFile {
            name: listed.name,
            size: listed.size,
            md5: Some(listed.digest),
            sha256: None,
        });
    }
    let had_files = !files.is_empty();
    for listed in sha256 {
        match index.get(&listed.name) {
            Some(&at) if files[at].sha256.is_some() => problems.push(SeriesProblem::new(
                listed.line,
                format!("{} listed twice in Checksums-Sha256", listed.name),
            )),
            Some(&at) => {
                if files[at].size != listed.size {
                    problems.push(SeriesProblem::new(
                        listed.line,
                        format!(
                            "{}: size {} here but {} in Files",
                            listed.name, listed.size, files[at].size
                        ),
                    ));
                }
                files[at].sha256 = Some(listed.digest);
            }
            None => {
                if had_files {
                    problems.push(SeriesProblem::new(
                        listed.line,
                        format!("{} is in Checksums-Sha256 but not in Files", listed.name),
                    ));
                }
                index.insert(listed.name.clone(), files.len());
                files.push(DscFile {
                    name: listed.name,
                    size: listed.size,
                    md5: None,
                    sha256: Some(listed.digest),
                });
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    const MD5_ORIG: &str = "0123456789abcdef0123456789abcdef";
    const MD5_DEB: &str = "fedcba9876543210fedcba9876543210";
    const SHA_ORIG: &str = "1111111111111111111111111111111111111111111111111111111111111111";
    const SHA_DEB: &str = "2222222222222222222222222222222222222222222222222222222222222222";

    /// A made-up signed `.dsc` for a kernel source package.
    fn signed_dsc() -> String {
        format!(
            "-----BEGIN PGP SIGNED MESSAGE-----\n\
Hash: SHA512\n\
\n\
Format: 3.0 (quilt)\n\
Source: linux\n\
Binary: linux-doc, linux-headers-amd64,\n linux-image-amd64\n\
Architecture: all amd64\n\
Version: 6.1.76-1\n\
Maintainer: Test Kernel Team <kernel@example.invalid>\n\
Checksums-Sha1:\n \
0000000000000000000000000000000000000000 141000000 linux_6.1.76.orig.tar.xz\n\
Checksums-Sha256:\n \
{SHA_ORIG} 141000000 linux_6.1.76.orig.tar.xz\n \
{SHA_DEB} 1500000 linux_6.1.76-1.debian.tar.xz\n\
Files:\n \
{MD5_ORIG} 141000000 linux_6.1.76.orig.tar.xz\n \
{MD5_DEB} 1500000 linux_6.1.76-1.debian.tar.xz\n\
- -dash-escaped: yes\n\
\n\
-----BEGIN PGP SIGNATURE-----\n\
\n\
iQIzBAEBCgAdFiEEAAAAAAAAAAAAAAAAAAAAAAAAAAAFAmAAAAAACgkQAAAAAAAA\n\
=AAAA\n\
-----END PGP SIGNATURE-----\n"
        )
    }

    #[test]
    fn signed_quilt_dsc() {
        let dsc = parse(signed_dsc().as_bytes());
        assert!(dsc.problems.is_empty(), "{:?}", dsc.problems);
        assert!(dsc.signed);
        assert_eq!(dsc.source.as_deref(), Some("linux"));
        assert_eq!(dsc.version.as_deref(), Some("6.1.76-1"));
        assert_eq!(dsc.format.as_deref(), Some("3.0 (quilt)"));
        assert_eq!(
            dsc.files,
            [
                DscFile {
                    name: "linux_6.1.76.orig.tar.xz".into(),
                    size: 141_000_000,
                    md5: Some(MD5_ORIG.into()),
                    sha256: Some(SHA_ORIG.into()),
                },
                DscFile {
                    name: "linux_6.1.76-1.debian.tar.xz".into(),
                    size: 1_500_000,
                    md5: Some(MD5_DEB.into()),
                    sha256: Some(SHA_DEB.into()),
                },
            ]
        );
        assert_eq!(dsc.debian_tarball(), Some("linux_6.1.76-1.debian.tar.xz"));
        assert_eq!(dsc.orig_tarball(), Some("linux_6.1.76.orig.tar.xz"));
        assert_eq!(dsc.debian_diff(), None);
    }

    #[test]
    fn unsigned_format_1_with_crlf() {
        let text = format!(
            "Format: 1.0\r\nsource: linux-2.6\r\nVERSION: 2.6.32-48squeeze20\r\nFiles: \r\n {MD5_ORIG} 10 linux-2.6_2.6.32.orig.tar.gz\r\n {MD5_DEB} 20 linux-2.6_2.6.32-48squeeze20.diff.gz\r\n"
        );
        let dsc = parse(text.as_bytes());
        assert!(dsc.problems.is_empty(), "{:?}", dsc.problems);
        assert!(!dsc.signed);
        assert_eq!(dsc.source.as_deref(), Some("linux-2.6"));
        assert_eq!(dsc.files.len(), 2);
        assert!(dsc.files.iter().all(|f| f.sha256.is_none()));
        assert_eq!(
            dsc.debian_diff(),
            Some("linux-2.6_2.6.32-48squeeze20.diff.gz")
        );
        assert_eq!(dsc.orig_tarball(), Some("linux-2.6_2.6.32.orig.tar.gz"));
        assert_eq!(dsc.debian_tarball(), None);
    }

    #[test]
    fn problems_are_located() {
        let text = format!(
            "Source: a\nSource: b\nVersion: 1\n 2\nnonsense\nFiles:\n {MD5_ORIG} 10 ok.orig.tar.gz\n zz 1 bad\n {MD5_DEB} 5 ../escape\nChecksums-Sha256:\n {SHA_ORIG} 11 ok.orig.tar.gz\n {SHA_DEB} 3 extra.tar.xz\n\nSecond: paragraph\n"
        );
        let dsc = parse(text.as_bytes());
        assert_eq!(dsc.source.as_deref(), Some("a"));
        let lines: Vec<usize> = dsc.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [5, 14, 2, 4, 8, 9, 11, 12], "{:?}", dsc.problems);
        assert_eq!(dsc.files.len(), 3);
    }

    #[test]
    fn orig_component_tarballs_are_not_the_orig_tarball() {
        let text = format!(
            "Files:\n {MD5_ORIG} 1 x_1.orig-extra.tar.xz\n {MD5_ORIG} 1 x_1.orig.tar.xz.asc\n {MD5_ORIG} 1 x_1.orig.tar.xz\n"
        );
        assert_eq!(
            parse(text.as_bytes()).orig_tarball(),
            Some("x_1.orig.tar.xz")
        );
    }

    #[test]
    fn broken_signatures_and_garbage() {
        let dsc = parse(b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nSource: x\n");
        assert_eq!(dsc.source.as_deref(), Some("x"));
        assert_eq!(dsc.problems.len(), 1);
        for text in [
            &b""[..],
            b"-----BEGIN PGP SIGNED MESSAGE-----",
            b" \n:\n\xff: \xfe\nFiles:\n \xff \xff \xff\n",
            b"Files:\n 0123456789abcdef0123456789abcdef 99999999999999999999999 f\n",
        ] {
            let _ = parse(text);
        }
    }
}
