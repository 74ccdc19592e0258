//! Fenced code -> HTML with CSS classes (the theme ships the colours).
//!
//! The syntax set (two-face's, which has current grammars such as TOML that
//! syntect's own set lacks) is loaded once per process, and only when the
//! first page with a code block asks for it: sites without code never pay.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

fn syntaxes() -> &'static SyntaxSet {
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

/// A `<pre class="code">` block for `code` in language `lang` (a fence's info
/// word such as `toml`, `rust`, `py`); unknown languages come out as escaped
/// plain text.
pub(crate) fn highlight_code(code: &str, lang: &str) -> String {
    let lang_attr = pulldown_cmark_escape_attr(lang);
    let body = if lang.is_empty() {
        escape(code)
    } else {
        let set = syntaxes();
        match set.find_syntax_by_token(lang) {
            Some(syntax) => {
                let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, ClassStyle::Spaced);
                let parsed = LinesWithEndings::from(code)
                    .try_for_each(|line| generator.parse_html_for_line_which_includes_newline(line));
                match parsed {
                    Ok(()) => generator.finalize(),
                    Err(_) => escape(code),
                }
            }
            None => escape(code),
        }
    };
    if lang.is_empty() {
        format!("<pre class=\"code\" tabindex=\"0\"><code>{body}</code></pre>\n")
    } else {
        format!("<pre class=\"code\" data-lang=\"{lang_attr}\" tabindex=\"0\"><code>{body}</code></pre>\n")
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

fn pulldown_cmark_escape_attr(text: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let html = highlight_code("[session]\nminutes = 30\n", "toml");
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"toml\" tabindex=\"0\"><code>"));
        assert!(html.contains("<span class=\""), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        let html = highlight_code("<b>x</b>", "no-such-language");
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"));
    }
}
