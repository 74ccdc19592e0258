//! Text hygiene shared by every stage that reads a user's file: one line
//! ending, no byte-order mark, the control characters no page may hold,
//! and addresses that would run script.

use crate::diagnostics::{Diagnostic, Position, Rule};

/// Strips a UTF-8 byte-order mark and turns CRLF (and lone CR) into LF, so
/// that every later stage counts lines and columns the same way.
pub(crate) fn normalise_text(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// Characters that no web page or XML feed may carry: the C0 controls but
/// tab, line feed and carriage return, DEL, and the C1 controls
/// (U+0080-U+009F), which HTML forbids as well and which come in with text
/// decoded as Latin-1 by mistake.
pub(crate) fn is_forbidden_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// An invisible control character, named by its code point.
pub(crate) fn control_character_error(path: &str, position: Position, c: char) -> Diagnostic {
    Diagnostic::error(
        path,
        position,
        format!("an invisible control character (U+{:04X}) is here", u32::from(c)),
    )
    .with_hint("delete it (it often comes with text pasted from another program); web pages and feeds cannot carry it")
    .with_rule(Rule::ControlCharacter)
}

/// Whether following or loading `url` would run script (`javascript:`,
/// `vbscript:`, an HTML `data:` document), read as a browser reads it:
/// tabs, line breaks and other control characters inside it are ignored.
pub(crate) fn is_script_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:text/html"]
        .iter()
        .any(|bad| scheme.starts_with(bad))
}

/// Why `url` cannot be a site's base address, or `None` when it can: it
/// must be a full web address (scheme and host), and every link, the
/// sitemap and the feed start with it, so a password, a query or a
/// fragment in it would end up in all of them.
pub(crate) fn base_address_problem(url: &str) -> Option<&'static str> {
    let lower = url.trim().to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else {
        return Some("it is not a full web address");
    };
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || rest.contains(char::is_whitespace) {
        return Some("it is not a full web address");
    }
    if host.contains('@') {
        return Some("it holds a user name or password");
    }
    if rest.contains('?') {
        return Some("it holds a query (`?`)");
    }
    if rest.contains('#') {
        return Some("it holds a fragment (`#`)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_addresses() {
        assert_eq!(base_address_problem("https://example.org/clinic/"), None);
        assert_eq!(base_address_problem("http://127.0.0.1:1111"), None);
        assert!(base_address_problem("example.org").is_some());
        assert!(base_address_problem("https://").is_some());
        assert!(base_address_problem("https://user:pass@example.org").is_some());
        assert!(base_address_problem("https://example.org/?x=1").is_some());
        assert!(base_address_problem("https://example.org/#frag").is_some());
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(normalise_text("\u{feff}a\r\nb\rc".into()), "a\nb\nc");
    }
}
