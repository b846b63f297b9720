//! The mail part of a format-patch: `From <sha>` line, `From:`, `Date:`, `Subject:`,
//! the MIME headers when the message is not ASCII, and the message body, as git's
//! `log_write_email_headers()` and `pretty_print_commit()` write them for `--stdout -1`.

use crate::date;
use crate::wrap::{
    add_rfc2047, add_wrapped, is_space, last_line_length, needs_rfc2047, needs_rfc822_quoting,
    non_ascii, rfc822_quoted, Rfc2047,
};
use bstr::ByteSlice;

/// git's RFC 2822 line length limit for headers it wraps.
const MAX_LENGTH: i32 = 78;
/// The subject prefix of a single patch.
const SUBJECT: &[u8] = b"Subject: [PATCH] ";

/// The parts of a commit the mail is made of.
pub(crate) struct MailInput<'a> {
    /// The commit id, in hex.
    pub hex: &'a str,
    /// Author name and email, as recorded.
    pub name: &'a [u8],
    pub email: &'a [u8],
    /// Author time: seconds since the epoch and git's `hhmm` zone.
    pub seconds: i64,
    pub tz: i32,
    /// The raw commit message.
    pub message: &'a [u8],
}

/// Append the mail headers and message of `input` to `out`, up to and including the
/// newline that ends the message (the `---` separator is not written).
pub(crate) fn write_mail(out: &mut Vec<u8>, input: &MailInput<'_>) {
    // A commit message is a C string to git.
    let message = input.message.split(|&b| b == 0).next().unwrap_or_default();
    let start = out.len();
    out.extend_from_slice(format!("From {} Mon Sep 17 00:00:00 2001\n", input.hex).as_bytes());
    write_from(out, input.name, input.email);
    out.extend_from_slice(b"Date: ");
    out.extend_from_slice(date::rfc2822(input.seconds, input.tz).as_bytes());
    out.push(b'\n');

    let (title, rest) = subject(skip_blank_lines(message));
    out.extend_from_slice(SUBJECT);
    if needs_rfc2047(&title) {
        add_rfc2047(out, &title, Rfc2047::Subject);
    } else {
        let indent = -last_line_length(out);
        add_wrapped(out, &title, indent, 1, MAX_LENGTH);
    }
    out.push(b'\n');
    if message.iter().any(|&b| non_ascii(b)) {
        out.extend_from_slice(
            b"MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n",
        );
    }
    out.push(b'\n');

    let beginning_of_body = out.len();
    write_remainder(out, rest);
    let trimmed = trim_end(&out[start..]).len();
    out.truncate(start + trimmed);
    out.push(b'\n');
    if out.len() <= beginning_of_body {
        out.push(b'\n');
    }
}

/// `From: name <email>`, the name RFC 2047-encoded or RFC 822-quoted when needed.
fn write_from(out: &mut Vec<u8>, name: &[u8], email: &[u8]) {
    out.extend_from_slice(b"From: ");
    let mut max_length = MAX_LENGTH;
    if needs_rfc2047(name) {
        add_rfc2047(out, name, Rfc2047::Address);
        max_length = 76;
    } else if needs_rfc822_quoting(name) {
        add_wrapped(out, &rfc822_quoted(name), -6, 1, max_length);
    } else {
        add_wrapped(out, name, -6, 1, max_length);
    }
    let email_len = i32::try_from(email.len()).unwrap_or(i32::MAX);
    if max_length
        < last_line_length(out)
            .saturating_add(3)
            .saturating_add(email_len)
    {
        out.push(b'\n');
    }
    out.extend_from_slice(b" <");
    out.extend_from_slice(email);
    out.extend_from_slice(b">\n");
}

/// The next line of `text` with its newline, and the rest.
fn one_line(text: &[u8]) -> (&[u8], &[u8]) {
    let end = text.find_byte(b'\n').map_or(text.len(), |p| p + 1);
    text.split_at(end)
}

/// `line` without trailing whitespace (git's `is_blank_line()` trimming).
fn trim_end(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(0, |p| p + 1);
    &line[..end]
}

fn skip_blank_lines(mut text: &[u8]) -> &[u8] {
    while !text.is_empty() {
        let (line, rest) = one_line(text);
        if !trim_end(line).is_empty() {
            break;
        }
        text = rest;
    }
    text
}

/// git's `format_subject()`: the first paragraph, lines trimmed and joined by spaces.
fn subject(mut text: &[u8]) -> (Vec<u8>, &[u8]) {
    let mut title = Vec::new();
    while !text.is_empty() {
        let (line, rest) = one_line(text);
        text = rest;
        let line = trim_end(line);
        if line.is_empty() {
            break;
        }
        if !title.is_empty() {
            title.push(b' ');
        }
        title.extend_from_slice(line);
    }
    (title, text)
}

/// git's `pp_remainder()`: leading blank lines skipped, trailing whitespace trimmed.
fn write_remainder(out: &mut Vec<u8>, mut text: &[u8]) {
    let mut first = true;
    while !text.is_empty() {
        let (line, rest) = one_line(text);
        text = rest;
        let line = trim_end(line);
        if line.is_empty() && first {
            continue;
        }
        first = false;
        out.extend_from_slice(line);
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(name: &str, message: &str) -> String {
        let mut out = Vec::new();
        let input = MailInput {
            hex: "0123456789abcdef0123456789abcdef01234567",
            name: name.as_bytes(),
            email: b"a@b.c",
            seconds: 1_420_162_445,
            tz: 130,
            message: message.as_bytes(),
        };
        write_mail(&mut out, &input);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn plain_mail() {
        assert_eq!(
            mail(
                "A. Name",
                "\n\nsubject\ncontinued  \n\n\nbody  \n\nmore\n\n\n"
            ),
            "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n\
             From: \"A. Name\" <a@b.c>\n\
             Date: Fri, 2 Jan 2015 03:04:05 +0130\n\
             Subject: [PATCH] subject continued\n\nbody\n\nmore\n"
        );
    }

    #[test]
    fn empty_body_keeps_the_blank_line() {
        let text = mail("Nobody", "Ünicode");
        assert!(text.ends_with(
            "Subject: [PATCH] =?UTF-8?q?=C3=9Cnicode?=\nMIME-Version: 1.0\n\
             Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
        ));
    }
}
