//! Raw HTML in markdown passes through, except what could run code or reach a
//! third party (SPEC section 4). This is a guard for writers' mistakes and
//! pasted embed codes, not a sanitizer for hostile input: the content of a
//! static site is written by the site's own authors.

use std::sync::LazyLock;

use regex::Regex;

struct Rule {
    what: &'static str,
    pattern: Regex,
    replacement: &'static str,
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |what, pattern: &str, replacement| Rule {
        what,
        pattern: Regex::new(pattern).expect("raw HTML patterns are valid regexes"),
        replacement,
    };
    vec![
        rule("a <script> element", r"(?is)<script\b.*?(</script\s*>|\z)", ""),
        rule("a closing </script> tag", r"(?i)</script\s*>", ""),
        rule(
            "an embedded frame or object",
            r"(?is)<(iframe|object|embed)\b[^>]*>(?:.*?</(?:iframe|object|embed)\s*>)?",
            "",
        ),
        rule("a closing frame or object tag", r"(?i)</(iframe|object|embed)\s*>", ""),
        rule(
            "an event handler attribute",
            r#"(?i)\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#,
            "",
        ),
        rule(
            "a javascript: URL",
            r#"(?i)\b(href|src|action|formaction)\s*=\s*("\s*javascript:[^"]*"|'\s*javascript:[^']*'|javascript:[^\s>]+)"#,
            "$1=\"#\"",
        ),
    ]
});

/// The HTML with dangerous parts removed, and a description of each removal.
pub fn clean_raw_html(html: &str) -> (String, Vec<&'static str>) {
    let mut removed = Vec::new();
    let mut current = std::borrow::Cow::Borrowed(html);
    for rule in RULES.iter() {
        if rule.pattern.is_match(&current) {
            removed.push(rule.what);
            current = std::borrow::Cow::Owned(rule.pattern.replace_all(&current, rule.replacement).into_owned());
        }
    }
    (current.into_owned(), removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harmless_html_is_untouched() {
        let html = "<details><summary>More</summary><p class=\"x\">Text</p></details>";
        assert_eq!(clean_raw_html(html), (html.to_string(), vec![]));
    }

    #[test]
    fn dangerous_parts_are_removed() {
        let (html, removed) = clean_raw_html(
            "<script src=\"https://cdn.example/x.js\"></script><iframe src=\"https://video.example\"></iframe><a href=\"javascript:go()\" onmouseover='x()'>a</a>",
        );
        assert_eq!(html, "<a href=\"#\">a</a>");
        assert_eq!(removed.len(), 4, "{removed:?}");
    }
}
