//! A mail's body as text: transfer encodings (quoted-printable, base64) undone, charsets
//! turned into UTF-8, and of a multipart mail the text parts (inline text and attached
//! patches) joined in order. HTML and binary parts are left out.

use crate::headers::{media_type, parameter, Headers};
use bstr::ByteSlice;
use kdelta_patch::mail::{charset_to_utf8, decode_base64};

/// How deep multipart parts may nest before the rest is ignored.
const MAX_DEPTH: usize = 8;

/// The text of a body whose header block is `headers`.
pub fn body_text(headers: &Headers, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    part_text(headers, body, 0, &mut out);
    out
}

fn part_text(headers: &Headers, body: &[u8], depth: usize, out: &mut Vec<u8>) {
    let content_type = headers.raw("content-type").unwrap_or(b"text/plain");
    let media = media_type(content_type);
    if media.starts_with("multipart/") {
        if depth >= MAX_DEPTH {
            return;
        }
        let Some(boundary) = parameter(content_type, "boundary") else {
            return;
        };
        for part in split_parts(body, &boundary) {
            let (part_headers, part_body) = Headers::split(part);
            part_text(&part_headers, part_body, depth + 1, out);
        }
        return;
    }
    if !is_text(&media) {
        return;
    }
    let encoding = headers
        .raw("content-transfer-encoding")
        .map(|e| e.trim_ascii().to_ascii_lowercase())
        .unwrap_or_default();
    let decoded = match encoding.as_slice() {
        b"quoted-printable" => decode_quoted_printable(body),
        b"base64" => {
            let compact: Vec<u8> = body
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            decode_base64(&compact).unwrap_or_default()
        }
        _ => body.to_vec(),
    };
    let text = match parameter(content_type, "charset") {
        Some(charset) => charset_to_utf8(&charset, &decoded).unwrap_or(decoded),
        None => decoded,
    };
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.extend_from_slice(&text);
}

/// Whether a part of this media type is text kdelta reads: plain text and patches.
fn is_text(media: &str) -> bool {
    media.is_empty()
        || media == "text/plain"
        || media.contains("patch")
        || media.contains("diff")
        || media == "message/rfc822"
}

/// The parts of a multipart body, between `--boundary` lines, up to `--boundary--`.
fn split_parts<'b>(body: &'b [u8], boundary: &[u8]) -> Vec<&'b [u8]> {
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    let mut parts = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    while pos < body.len() {
        let end = body[pos..].find_byte(b'\n').map_or(body.len(), |n| pos + n);
        let line = body[pos..end].trim_end_with(|c| c == '\r' || c == ' ' || c == '\t');
        if let Some(rest) = line.strip_prefix(delimiter.as_slice()) {
            if rest.is_empty() || rest == b"--" {
                if let Some(s) = start {
                    parts.push(&body[s..pos.saturating_sub(1).max(s)]);
                }
                if rest == b"--" {
                    return parts;
                }
                start = Some((end + 1).min(body.len()));
            }
        }
        pos = end + 1;
    }
    if let Some(s) = start {
        parts.push(&body[s.min(body.len())..]);
    }
    parts
}

/// Undo quoted-printable: `=XX` escapes and `=` soft line breaks; anything malformed is
/// kept as written.
pub fn decode_quoted_printable(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        let rest = &text[i + 1..];
        if let Some(after) = soft_break(rest) {
            i += 1 + after;
        } else if let (Some(h), Some(l)) = (rest.first().and_then(hex), rest.get(1).and_then(hex)) {
            out.push(h << 4 | l);
            i += 3;
        } else {
            out.push(b'=');
            i += 1;
        }
    }
    out
}

/// The length of a soft line break's rest (`\n`, `\r\n`, trailing blanks then either).
fn soft_break(rest: &[u8]) -> Option<usize> {
    let blanks = rest
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    match rest.get(blanks..) {
        Some([b'\r', b'\n', ..]) => Some(blanks + 2),
        Some([b'\n', ..]) => Some(blanks + 1),
        Some([]) => Some(blanks),
        _ => None,
    }
}

fn hex(b: &u8) -> Option<u8> {
    (*b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(mail: &[u8]) -> String {
        let (h, body) = Headers::split(mail);
        String::from_utf8(body_text(&h, body)).expect("test fixture")
    }

    #[test]
    fn quoted_printable_bodies_are_decoded() {
        let mail = b"Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n-\tif (a =3D=3D b)=\n c;\nJ=C3=B6rg =\n";
        assert_eq!(text_of(mail), "-\tif (a == b) c;\nJörg ");
    }

    #[test]
    fn latin1_becomes_utf8() {
        let mail = b"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\nJ\xf6rg\n";
        assert_eq!(text_of(mail), "Jörg\n");
    }

    #[test]
    fn multipart_keeps_text_and_attached_patches_only() {
        let mail = b"Content-Type: multipart/mixed; boundary=XX\n\npreamble\n--XX\nContent-Type: text/plain\n\nHello\n--XX\nContent-Type: text/html\n\n<p>no</p>\n--XX\nContent-Type: text/x-patch; name=a.patch\nContent-Transfer-Encoding: base64\n\nLS0tIGEvZgorKysgYi9mCg==\n--XX--\nepilogue\n";
        assert_eq!(text_of(mail), "Hello\n--- a/f\n+++ b/f\n");
    }

    #[test]
    fn malformed_input_is_kept_not_lost() {
        assert_eq!(decode_quoted_printable(b"a=ZZb=4"), b"a=ZZb=4");
        let mail = b"Content-Type: multipart/mixed\n\nno boundary\n";
        assert_eq!(text_of(mail), "");
    }
}
