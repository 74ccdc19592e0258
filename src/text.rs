//! Text hygiene shared by every stage that reads a user's file: one line
//! ending, no byte-order mark, and the control characters no page may hold.

use crate::diagnostics::{Diagnostic, Position};

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(normalise_text("\u{feff}a\r\nb\rc".into()), "a\nb\nc");
    }
}
