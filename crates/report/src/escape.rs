//! Escaping untrusted text (patch subjects, names, headers, notes) for every output format:
//! nothing a patch says may become markup, a link, a formula or a script.

/// Text for HTML element content and attribute values (quoted with `"`).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for Markdown (CommonMark / GitHub / GitLab), inside a paragraph, list item or table
/// cell: markup characters are backslash-escaped, `&` becomes an entity (so no raw HTML or
/// entity survives), and line breaks become spaces. What would make the start of a line a
/// list item or a rule (`-`, `+`, `=`, `1.`) is escaped at the start of the text.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '|'
            | '!' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' if i == digits && i > 0 => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for MediaWiki: inside `<nowiki>`, with `<`, `>` and `&` as entities so that no tag
/// (not even `</nowiki>`) can close it; line breaks become spaces.
pub fn wiki(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    format!("<nowiki>{}</nowiki>", html(&flat))
}

/// A URL for a link target in HTML, Markdown or MediaWiki, or `None` when it is not a plain
/// `http(s)` URL (so a `javascript:` link or markup in a URL is never emitted as a link).
/// Every character but letters, digits and `-.:/?#=%+,;@&` is percent-encoded, which keeps
/// the URL's meaning and leaves no markup in it: no `)` to end a Markdown link, no `_`, `~`
/// or `'` for MediaWiki's magic words, signatures or emphasis.
pub fn url(text: &str) -> Option<String> {
    let plain = text.starts_with("https://") || text.starts_with("http://");
    let clean = !text
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>\"'`[]|{}\\".contains(c));
    if !(plain && clean) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "-.:/?#=%+,;@&".contains(c) {
            out.push(c);
        } else {
            let mut bytes = [0u8; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Some(out)
}

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A field that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a
/// leading `'`, as OWASP recommends.
pub fn csv(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVIL: &str = "<script>alert(1)</script><img src=x onerror=alert(2)> & [x](javascript:y)";

    #[test]
    fn a_url_keeps_no_markup() {
        assert_eq!(
            url("https://example.org/x)**bold**").as_deref(),
            Some("https://example.org/x%29%2A%2Abold%2A%2A")
        );
        assert_eq!(
            url("https://example.org/__NOTOC__~~~~").as_deref(),
            Some("https://example.org/%5F%5FNOTOC%5F%5F%7E%7E%7E%7E")
        );
        assert_eq!(
            url("https://lore.kernel.org/r/20240101.1234-1-a@b.org?x=1&y=2#m").as_deref(),
            Some("https://lore.kernel.org/r/20240101.1234-1-a@b.org?x=1&y=2#m")
        );
        assert_eq!(url("javascript:alert(1)"), None);
        assert_eq!(url("https://x/ y"), None);
    }

    #[test]
    fn html_leaves_no_tag_or_quote() {
        let out = html(EVIL);
        assert!(!out.contains('<') && !out.contains('>'));
        assert_eq!(html("a\"b'c"), "a&quot;b&#39;c");
    }

    #[test]
    fn markdown_leaves_no_raw_html_or_link() {
        let out = markdown(EVIL);
        let unescaped = out
            .char_indices()
            .filter(|&(i, c)| "<>[]()".contains(c) && !out[..i].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 0, "{out}");
        assert!(out.contains("\\<script\\>") && out.contains("&amp;"));
        assert_eq!(markdown("a|b\nc"), "a\\|b c");
    }

    #[test]
    fn markdown_starts_no_list_or_rule() {
        assert_eq!(markdown("- x - y"), "\\- x - y");
        assert_eq!(markdown("+ x"), "\\+ x");
        assert_eq!(markdown("==="), "\\===");
        assert_eq!(markdown("12. x 3. y"), "12\\. x 3. y");
        assert_eq!(markdown("v6.1"), "v6.1");
    }

    #[test]
    fn wiki_cannot_close_nowiki() {
        let out = wiki("x</nowiki><script>");
        assert_eq!(out, "<nowiki>x&lt;/nowiki&gt;&lt;script&gt;</nowiki>");
        assert_eq!(wiki(""), "");
    }

    #[test]
    fn only_plain_http_urls_are_links() {
        assert_eq!(
            url("https://lore.kernel.org/x").as_deref(),
            Some("https://lore.kernel.org/x")
        );
        assert_eq!(url("javascript:alert(1)"), None);
        assert_eq!(url("https://x/\"><script>"), None);
    }

    #[test]
    fn csv_quotes_and_guards_formulas() {
        assert_eq!(csv("plain"), "plain");
        assert_eq!(csv("a,b"), "\"a,b\"");
        assert_eq!(csv("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv("-1,2"), "\"'-1,2\"");
    }
}
