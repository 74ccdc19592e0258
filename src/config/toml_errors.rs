//! TOML errors said in plain words, with the fix.
//!
//! The TOML parser's own messages are for programmers ("unexpected key or
//! value, expected newline, `#`"). The people who write a clinic's pages
//! make a few mistakes again and again: a date in words, YAML's `key:
//! value`, text without quotes, a quote never closed. Each gets a sentence
//! that names the mistake and the line that fixes it; anything else keeps
//! the parser's words.

use crate::diagnostics::{Diagnostic, Position};

/// The hint of a missing key, in site.toml or front matter.
pub(crate) const MISSING_KEY_HINT: &str = "add the missing key (the README lists every key and its meaning)";

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A TOML parse or type error as a diagnostic. `offset` is where the TOML
/// fragment starts in the file, so the position is the file's, not the
/// fragment's.
pub(crate) fn toml_error(path: &str, file_text: &str, offset: usize, err: &toml::de::Error) -> Diagnostic {
    let span = err.span().unwrap_or(0..1);
    let position = Position::at(file_text, offset + span.start, span.len());
    let raw = err.message().trim().to_string();
    let (line_start, line) = line_at(file_text, offset + span.start);
    let value_text = file_text.get(offset + span.start..offset + span.end).unwrap_or("");
    let (message, hint) = explain(&raw, line, value_text);
    // A value in words or without quotes: point at the whole value, not
    // at the character the parser stopped on.
    let value = line.split_once('=').map(|(_, value)| value.trim());
    let position = match value {
        Some(value) if !value.is_empty() && message.starts_with(&format!("`{value}`")) => {
            let at = line_start + line.find(value).unwrap_or(0);
            Position::at(file_text, at, value.len())
        }
        _ => position,
    };
    let diagnostic = Diagnostic::error(path, position, message);
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// [`toml_error`] with the dotted name of the key holding the bad value in
/// front of the message (`links.auto_link`: invalid type...).
pub(crate) fn keyed_toml_error(
    path: &str,
    file_text: &str,
    offset: usize,
    err: &toml::de::Error,
    key: Option<&str>,
) -> Diagnostic {
    let mut diagnostic = toml_error(path, file_text, offset, err);
    if let Some(key) = key {
        diagnostic.message = format!("`{key}`: {}", diagnostic.message);
    }
    diagnostic
}

/// The line of `text` holding byte `at`, without its line break, with the
/// offset where it starts.
fn line_at(text: &str, at: usize) -> (usize, &str) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    (start, text.get(start..end).unwrap_or(""))
}

/// The parser's message `raw` for the line `line` (and the bad value's own
/// text, for type errors) in plain words, with a hint.
fn explain(raw: &str, line: &str, value_text: &str) -> (String, Option<String>) {
    let trimmed = line.trim();
    let (key, value) = match trimmed.split_once('=') {
        Some((key, value)) => (key.trim(), value.trim()),
        None => (trimmed, ""),
    };
    if raw.starts_with("key with no value") {
        if let Some((key, value)) = trimmed.split_once(':') {
            let (key, value) = (key.trim(), value.trim());
            return (
                format!("`{trimmed}` joins the key and its value with `:`; front matter is TOML, which uses `=`"),
                Some(format!("write {key} = {value}")),
            );
        }
        return (
            format!("`{trimmed}` is a key without a value"),
            Some(format!("write {key} = \"...\", with the value after `=`")),
        );
    }
    if raw.starts_with("string values must be quoted") || raw.starts_with("unexpected key or value") {
        if looks_like_a_date(value) {
            return (
                format!("`{value}` is not a date Praxis can read"),
                Some(format!(
                    "write dates as year-month-day, without quotes: {key} = 2026-10-01"
                )),
            );
        }
        if matches!(value.to_ascii_lowercase().as_str(), "yes" | "no" | "on" | "off") {
            return (
                format!("`{value}` is not a yes-or-no value TOML reads"),
                Some(format!("write {key} = true or {key} = false")),
            );
        }
        if !value.is_empty() && !value.starts_with(['"', '\'', '[', '{']) {
            return (
                format!("`{value}` is text without quotes"),
                Some(format!("write {key} = \"{value}\"")),
            );
        }
    }
    if raw.starts_with("invalid basic string") || raw.starts_with("invalid literal string") {
        let quote = if raw.starts_with("invalid basic") { '"' } else { '\'' };
        return (
            format!("the text of `{key}` has no closing {quote}"),
            Some(format!(
                "end it on the same line: {key} = {quote}...{quote}; text over several lines goes between triple quotes ({quote}{quote}{quote})"
            )),
        );
    }
    if raw.starts_with("unclosed array") {
        return (
            format!("the list of `{key}` has no closing `]`"),
            Some(format!("end the list on its line: {key} = [\"a\", \"b\"]")),
        );
    }
    if let Some(expected) = raw.strip_prefix("invalid type: ") {
        // toml hands a date to serde as a map: say what the writer wrote.
        let written = if raw.contains("invalid type: map") && looks_like_a_date(value_text) {
            "a date".to_string()
        } else {
            expected.split(", expected").next().unwrap_or(expected).to_string()
        };
        let wanted = expected
            .split_once(", expected ")
            .map_or("another type", |(_, wanted)| plain_type(wanted));
        return (
            format!("{written}, where {wanted} is expected"),
            Some(type_hint(wanted, key)),
        );
    }
    if raw.starts_with("missing field") {
        return (raw.to_string(), Some(MISSING_KEY_HINT.to_string()));
    }
    (raw.to_string(), None)
}

/// Whether `text` reads as a date in words or in another notation:
/// `October 1, 2026`, `10/01/2026`, `1.10.2026`, `2026-10-01`.
fn looks_like_a_date(text: &str) -> bool {
    let lower = text.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    let has_digits = lower.chars().any(|c| c.is_ascii_digit());
    let month_word = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|word| word.len() >= 3 && MONTHS.iter().any(|month| word.starts_with(month)));
    let numeric = lower.len() >= 6
        && lower.chars().all(|c| c.is_ascii_digit() || "/.-".contains(c))
        && lower.chars().filter(|c| "/.-".contains(*c)).count() == 2;
    has_digits && (month_word || numeric)
}

/// serde's name of a type, as a writer would say it.
fn plain_type(serde_name: &str) -> &'static str {
    match serde_name.trim() {
        "i64" | "i32" | "u32" | "u64" | "usize" | "u16" | "u8" => "a whole number",
        "f64" | "f32" => "a number",
        "a boolean" => "true or false",
        "a string" => "text in quotes",
        "a sequence" => "a list in [ ]",
        name if name.contains("string or") => "text in quotes",
        _ => "another type",
    }
}

/// How to write a value of the type `wanted` for `key`.
fn type_hint(wanted: &str, key: &str) -> String {
    let key = if key.is_empty() || key.contains(char::is_whitespace) {
        "key"
    } else {
        key
    };
    match wanted {
        "a whole number" => format!("write a whole number, without quotes: {key} = 3"),
        "a number" => format!("write a number, without quotes: {key} = 8"),
        "true or false" => format!("write {key} = true or {key} = false, without quotes"),
        "text in quotes" => format!("write text between quotes: {key} = \"...\""),
        "a list in [ ]" => format!("write a list in [ ], even of one item: {key} = [\"...\"]"),
        _ => "check the value's type: strings need quotes, lists use [ ]".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_mistakes_get_plain_words_and_the_fix() {
        let (message, hint) = explain("key with no value, expected `=`", "title: \"Sciatica\"", "");
        assert!(message.contains("uses `=`"), "{message}");
        assert_eq!(hint.unwrap(), "write title = \"Sciatica\"");
        let (message, hint) = explain(
            "unexpected key or value, expected newline, `#`",
            "last_reviewed = October 1, 2026",
            "",
        );
        assert_eq!(message, "`October 1, 2026` is not a date Praxis can read");
        assert_eq!(
            hint.unwrap(),
            "write dates as year-month-day, without quotes: last_reviewed = 2026-10-01"
        );
        let (message, hint) = explain(
            "string values must be quoted, expected literal string",
            "description = some words",
            "",
        );
        assert_eq!(message, "`some words` is text without quotes");
        assert_eq!(hint.unwrap(), "write description = \"some words\"");
        let (message, _) = explain("invalid basic string, expected `\"`", "description = \"unclosed", "");
        assert_eq!(message, "the text of `description` has no closing \"");
        let (message, hint) = explain("invalid type: map, expected i64", "weight = 2026-01-02", "2026-01-02");
        assert_eq!(message, "a date, where a whole number is expected");
        assert_eq!(hint.unwrap(), "write a whole number, without quotes: weight = 3");
        let (message, _) = explain(
            "invalid type: string \"x\", expected a boolean",
            "draft = \"x\"",
            "\"x\"",
        );
        assert_eq!(message, "string \"x\", where true or false is expected");
        let (message, hint) = explain("some other error", "x", "");
        assert_eq!((message.as_str(), hint), ("some other error", None));
    }
}
