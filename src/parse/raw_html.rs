//! Raw HTML in markdown passes through, except what could run code or reach a
//! third party (docs/site-format.md, "Markdown and raw HTML"). This is a guard for writers' mistakes and
//! pasted embed codes, not a sanitizer for hostile input: the content of a
//! static site is written by the site's own authors.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::is_script_url;

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
        // <base> re-targets every relative link and image of the page, and a
        // refresh sends the visitor on by itself: either can hand a patient
        // to another site without a click.
        rule(
            "a <base> element (it would send every relative link elsewhere)",
            r"(?i)<base\b[^>]*>",
            "",
        ),
        rule(
            "a <meta> refresh (it would send the visitor to another page by itself)",
            r#"(?i)<meta\b[^>]*\bhttp-equiv\s*=\s*["']?\s*refresh[^>]*>"#,
            "",
        ),
        rule(
            "an event handler attribute",
            r#"(?i)\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#,
            "",
        ),
    ]
});

/// An attribute that holds an address a browser follows or loads.
static URL_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(href|src|action|formaction|xlink:href|data|poster)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#)
        .expect("the URL attribute pattern is a valid regex")
});

/// One kind of thing removed from raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Removal {
    pub(crate) what: &'static str,
    /// Byte offset in the raw HTML of its first occurrence, for the
    /// warning's line (0 when it only appeared once other parts were gone).
    pub(crate) at: usize,
}

/// The HTML with dangerous parts removed, and each kind removed.
pub(crate) fn clean_raw_html(html: &str) -> (String, Vec<Removal>) {
    let mut removed = Vec::new();
    let mut current = std::borrow::Cow::Borrowed(html);
    for rule in RULES.iter() {
        if rule.pattern.is_match(&current) {
            // An attribute's match starts with the space before it.
            let at = rule.pattern.find(html).map_or(0, |found| {
                found.start() + found.as_str().len() - found.as_str().trim_start().len()
            });
            removed.push(Removal { what: rule.what, at });
            current = std::borrow::Cow::Owned(rule.pattern.replace_all(&current, rule.replacement).into_owned());
        }
    }
    let mut script_urls = false;
    let cleaned = URL_ATTRIBUTE.replace_all(&current, |caps: &regex::Captures<'_>| {
        let value = caps[2].trim_matches(['"', '\'']);
        if is_script_url(&decode_entities(value)) {
            script_urls = true;
            format!("{}=\"#\"", &caps[1])
        } else {
            caps[0].to_string()
        }
    });
    if script_urls {
        let at = URL_ATTRIBUTE
            .captures_iter(html)
            .find(|caps| is_script_url(&decode_entities(caps[2].trim_matches(['"', '\'']))))
            .and_then(|caps| caps.get(0))
            .map_or(0, |found| found.start());
        removed.push(Removal {
            what: "a script URL (javascript:, vbscript: or an HTML data: URL)",
            at,
        });
        current = std::borrow::Cow::Owned(cleaned.into_owned());
    }
    (current.into_owned(), removed)
}

/// Character references in an attribute value, decoded as far as a scheme
/// check needs: numeric ones (with or without the `;`) and the named
/// characters that can hide a scheme (`&Tab;`, `&NewLine;`, `&colon;`).
fn decode_entities(value: &str) -> String {
    static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)&#(x[0-9a-f]+|[0-9]+);?|&(tab|newline|colon);")
            .expect("the reference pattern is a valid regex")
    });
    REFERENCE
        .replace_all(value, |caps: &regex::Captures<'_>| {
            let decoded = match (caps.get(1), caps.get(2)) {
                (Some(number), _) => {
                    let digits = number.as_str();
                    let code = match digits.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16),
                        None => digits.parse(),
                    };
                    code.ok().and_then(char::from_u32).unwrap_or('\u{fffd}')
                }
                (None, Some(name)) => match name.as_str().to_ascii_lowercase().as_str() {
                    "tab" => '\t',
                    "newline" => '\n',
                    _ => ':',
                },
                _ => '\u{fffd}',
            };
            decoded.to_string()
        })
        .into_owned()
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

    #[test]
    fn base_and_refresh_that_send_visitors_elsewhere_are_removed() {
        let (html, removed) = clean_raw_html(
            "<BASE href=\"https://elsewhere.example/\"><meta http-equiv='Refresh' content=\"0;url=https://elsewhere.example\"><meta name=\"x\" content=\"refresh\"><p>Text</p>",
        );
        assert_eq!(html, "<meta name=\"x\" content=\"refresh\"><p>Text</p>");
        assert_eq!(removed.len(), 2, "{removed:?}");
        assert!(
            removed[0].what.contains("<base>") && removed[1].what.contains("refresh"),
            "{removed:?}"
        );
        assert_eq!(removed[1].at, "<BASE href=\"https://elsewhere.example/\">".len());
    }

    #[test]
    fn hidden_script_addresses_are_found() {
        for url in [
            "javascript:go()",
            " JavaScript:go()",
            "java\tscript:go()",
            "vbscript:x",
            "data:text/html;base64,AAAA",
        ] {
            assert!(is_script_url(url), "{url:?}");
        }
        for url in [
            "https://example.org/javascript:",
            "/pages/javascript-tips/",
            "mailto:a@b.c",
            "#faq",
        ] {
            assert!(!is_script_url(url), "{url:?}");
        }
        for html in [
            "<a href=\"java&#x09;script:alert(7)\">a</a>",
            "<a href='&#106;avascript:alert(7)'>a</a>",
            "<a href=javascript&colon;alert(7)>a</a>",
            "<a href=\"&#0000106&#0000097vascript:alert(7)\">a</a>",
        ] {
            let (cleaned, removed) = clean_raw_html(html);
            assert!(cleaned.starts_with("<a href=\"#\">"), "{html} -> {cleaned}");
            let whats: Vec<&str> = removed.iter().map(|r| r.what).collect();
            assert_eq!(whats, ["a script URL (javascript:, vbscript: or an HTML data: URL)"]);
            assert_eq!(removed[0].at, "<a ".len(), "the href attribute");
        }
        let fine = "<a href=\"/techniques/\">a</a>";
        assert_eq!(clean_raw_html(fine), (fine.to_string(), vec![]));
    }
}
