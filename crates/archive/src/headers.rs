//! The header block of a mail: its fields unfolded, looked up by name, and the
//! message-ids of `Message-ID`, `In-Reply-To` and `References`.

use bstr::{BString, ByteSlice};
use kdelta_patch::mail::{decode_encoded_words, is_continuation, split_field, unfold};

/// The fields of a mail's header block, in order, names in lower case.
#[derive(Debug, Default)]
pub struct Headers {
    fields: Vec<(String, BString)>,
}

impl Headers {
    /// Split `mail` into its header fields and the body after the first blank line.
    /// A leading mbox `From ` line is skipped.
    pub fn split(mail: &[u8]) -> (Headers, &[u8]) {
        let mut fields: Vec<(String, Vec<&[u8]>)> = Vec::new();
        let mut pos = 0;
        let mut first = true;
        while pos < mail.len() {
            let end = mail[pos..].find_byte(b'\n').map_or(mail.len(), |n| pos + n);
            let line = mail[pos..end].trim_end_with(|c| c == '\r');
            let next = (end + 1).min(mail.len());
            if line.is_empty() {
                return (Headers::unfold(fields), &mail[next..]);
            }
            if first && line.starts_with(b"From ") {
                first = false;
                pos = next;
                continue;
            }
            first = false;
            if is_continuation(line) {
                if let Some((_, lines)) = fields.last_mut() {
                    lines.push(line);
                }
            } else if let Some((name, value)) = split_field(line) {
                fields.push((
                    name.to_ascii_lowercase().to_str_lossy().into_owned(),
                    vec![value],
                ));
            }
            pos = next;
        }
        (Headers::unfold(fields), &mail[mail.len()..])
    }

    fn unfold(fields: Vec<(String, Vec<&[u8]>)>) -> Headers {
        let fields = fields
            .into_iter()
            .map(|(name, lines)| {
                let (first, rest) = lines
                    .split_first()
                    .map_or((&b""[..], &[][..]), |(f, r)| (*f, r));
                (name, unfold(first, rest.iter().copied()))
            })
            .collect();
        Headers { fields }
    }

    /// The raw (unfolded, not decoded) value of the first field `name` (lower case).
    pub fn raw(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// The value of the first field `name`, encoded-words decoded, as text.
    pub fn text(&self, name: &str) -> Option<String> {
        self.raw(name)
            .map(|v| decode_encoded_words(v).0.to_str_lossy().trim().to_string())
    }

    /// The message-ids in the first field `name`, without angle brackets, in order.
    pub fn ids(&self, name: &str) -> Vec<String> {
        self.raw(name).map(message_ids).unwrap_or_default()
    }
}

/// The `<…>` message-ids in a field value, brackets removed; a value without brackets
/// counts as one id when it looks like one (`local@domain`).
pub fn message_ids(value: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find_byte(b'<') {
        let Some(close) = rest[open..].find_byte(b'>') else {
            break;
        };
        let id = rest[open + 1..open + close].trim_ascii();
        if !id.is_empty() && !id.contains(&b' ') {
            out.push(id.to_str_lossy().into_owned());
        }
        rest = &rest[open + close + 1..];
    }
    if out.is_empty() {
        let id = value.trim_ascii();
        if id.contains(&b'@') && !id.contains(&b' ') {
            out.push(id.to_str_lossy().into_owned());
        }
    }
    out
}

/// A parameter of a structured field value (`charset` of `text/plain; charset="utf-8"`),
/// unquoted; names compare case-insensitively.
pub fn parameter(value: &[u8], name: &str) -> Option<BString> {
    for part in value.split_str(";").skip(1) {
        let Some((key, val)) = part.split_once_str("=") else {
            continue;
        };
        if key.trim_ascii().eq_ignore_ascii_case(name.as_bytes()) {
            let val = val.trim_ascii();
            let val = val
                .strip_prefix(b"\"")
                .and_then(|v| v.strip_suffix(b"\""))
                .unwrap_or(val);
            return Some(BString::from(val));
        }
    }
    None
}

/// The media type of a `Content-Type` value, lower case (`text/plain`).
pub fn media_type(value: &[u8]) -> String {
    let end = value.find_byte(b';').unwrap_or(value.len());
    value[..end]
        .trim_ascii()
        .to_ascii_lowercase()
        .to_str_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_unfold_and_stop_at_the_blank_line() {
        let mail = b"From 123 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] a\n  long one\nMessage-ID: <x@y>\nReferences: <a@b>\n <c@d>\n\nbody\n";
        let (h, body) = Headers::split(mail);
        assert_eq!(h.text("subject").as_deref(), Some("[PATCH] a long one"));
        assert_eq!(h.ids("message-id"), ["x@y"]);
        assert_eq!(h.ids("references"), ["a@b", "c@d"]);
        assert_eq!(body, b"body\n");
    }

    #[test]
    fn crlf_headers_and_bare_ids() {
        let (h, body) =
            Headers::split(b"Message-Id: bare@id\r\nIn-Reply-To: <p@q> (comment)\r\n\r\nx");
        assert_eq!(h.ids("message-id"), ["bare@id"]);
        assert_eq!(h.ids("in-reply-to"), ["p@q"]);
        assert_eq!(body, b"x");
    }

    #[test]
    fn parameters_and_media_types() {
        let v = b"multipart/mixed; boundary=\"=-abc\"; charset=UTF-8";
        assert_eq!(media_type(v), "multipart/mixed");
        assert_eq!(parameter(v, "BOUNDARY").expect("test fixture"), "=-abc");
        assert_eq!(parameter(v, "charset").expect("test fixture"), "UTF-8");
        assert_eq!(parameter(v, "name"), None);
    }
}
