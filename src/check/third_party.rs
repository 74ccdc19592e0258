//! Finding what would make a visitor's browser contact a third party:
//! remote scripts, stylesheets, fonts, images, frames and analytics.
//!
//! A patient reading about their condition should not tell an outside
//! company which page they read. Every request a page makes by itself counts:
//! `src` of scripts, images, frames, media; `href` of stylesheets, preloads
//! and icons; `url()` and `@import` in CSS; `fetch`/`import` of a URL in
//! scripts; and known analytics code. A plain link (`<a href>`) is not a
//! request: the visitor decides to follow it.
//!
//! The scan is a small tokenizer over tags and attributes rather than a full
//! HTML parser: it must read templates too, where `{{ ... }}` and `{% ... %}`
//! sit inside tags, and it only has to find attribute values that are
//! literal remote URLs.

use std::sync::LazyLock;

use regex::Regex;

use crate::html::{self, Attribute};

/// One request to another host, found at `offset..offset + len` of the
/// scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RemoteRequest {
    pub(crate) offset: usize,
    pub(crate) len: usize,
    /// The URL or the analytics marker found.
    pub(crate) url: String,
    /// What makes the request: "a remote script", "a remote image", ...
    pub(crate) what: &'static str,
}

/// Hosts of analytics and tracking services, found in script code.
const TRACKERS: &[&str] = &[
    "googletagmanager.com",
    "google-analytics.com",
    "doubleclick.net",
    "connect.facebook.net",
    "hotjar.com",
    "plausible.io",
    "clarity.ms",
    "cloudflareinsights.com",
    "cdn.segment.com",
    "usefathom.com",
    "matomo.cloud",
    "stats.wp.com",
    "mc.yandex.ru",
];

/// The host of an absolute or protocol-relative URL, lower-cased; `None`
/// for a URL on the same site (relative, `data:`, `mailto:`...).
pub(crate) fn remote_host(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .or_else(|| lower.strip_prefix("//"))?;
    let host_and_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host_and_port.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    (!host.is_empty() && !host.contains(['{', '}', ' '])).then(|| host.to_string())
}

/// Whether `url` would be fetched from a host other than `own_host`.
pub(crate) fn is_third_party(url: &str, own_host: Option<&str>) -> bool {
    remote_host(url).is_some_and(|host| Some(host.as_str()) != own_host)
}

/// Every third-party request in an HTML text (content or template).
pub(crate) fn scan_html(html: &str, own_host: Option<&str>) -> Vec<RemoteRequest> {
    let mut found = Vec::new();
    for tag in html::tags(html) {
        check_tag(&tag.name, &tag.attributes, own_host, &mut found);
        if let Some((offset, body)) = tag.body {
            let mut inner = if tag.name == "style" {
                scan_css(body, own_host)
            } else {
                scan_script(body, own_host)
            };
            for request in &mut inner {
                request.offset += offset;
            }
            found.extend(inner);
        }
    }
    found
}

fn check_tag(name: &str, attributes: &[Attribute<'_>], own_host: Option<&str>, found: &mut Vec<RemoteRequest>) {
    let attribute = |wanted: &str| attributes.iter().find(|a| a.name == wanted);
    let mut flag = |attribute: &Attribute<'_>, what: &'static str| {
        for (offset, url) in urls_of(attribute) {
            if is_third_party(url, own_host) {
                found.push(RemoteRequest {
                    offset,
                    len: url.len(),
                    url: url.to_string(),
                    what,
                });
            }
        }
    };
    let fetched: &[(&str, &str, &'static str)] = &[
        ("script", "src", "a remote script"),
        ("iframe", "src", "an embedded frame from another site"),
        ("frame", "src", "an embedded frame from another site"),
        ("img", "src", "a remote image"),
        ("img", "srcset", "a remote image"),
        ("source", "src", "remote media"),
        ("source", "srcset", "a remote image"),
        ("video", "src", "a remote video"),
        ("video", "poster", "a remote image"),
        ("audio", "src", "remote audio"),
        ("track", "src", "remote media"),
        ("object", "data", "an embedded object from another site"),
        ("embed", "src", "an embedded object from another site"),
        ("input", "src", "a remote image"),
    ];
    for (tag, key, what) in fetched {
        if *tag == name
            && let Some(found_attribute) = attribute(key)
        {
            flag(found_attribute, what);
        }
    }
    // Not requests the page makes, but no ordinary link either: they hand
    // the visitor, or what the visitor types, to another site.
    let sends: &[(&str, &str, &'static str)] = &[
        (
            "base",
            "href",
            "a <base> that sends every relative link to another site",
        ),
        (
            "form",
            "action",
            "a form that sends what the visitor types to another site",
        ),
        (
            "button",
            "formaction",
            "a form that sends what the visitor types to another site",
        ),
        (
            "input",
            "formaction",
            "a form that sends what the visitor types to another site",
        ),
    ];
    for (tag, key, what) in sends {
        if *tag == name
            && let Some(found_attribute) = attribute(key)
        {
            flag(found_attribute, what);
        }
    }
    if name == "link"
        && let Some(href) = attribute("href")
    {
        let rel = attribute("rel").map_or(String::new(), |r| r.value.to_ascii_lowercase());
        let what = if rel.contains("stylesheet") {
            Some("a remote stylesheet")
        } else if rel.contains("preload") || rel.contains("prefetch") {
            Some("a remote preload (often a web font)")
        } else if rel.contains("icon") || rel.contains("manifest") {
            Some("a remote icon")
        } else if rel.contains("preconnect") || rel.contains("dns-prefetch") {
            Some("a connection to another site")
        } else {
            None
        };
        if let Some(what) = what {
            flag(href, what);
        }
    }
    if let Some(style) = attribute("style") {
        for mut request in scan_css(style.value, own_host) {
            request.offset += style.offset;
            found.push(request);
        }
    }
    if name == "meta"
        && attribute("http-equiv").is_some_and(|e| e.value.trim().eq_ignore_ascii_case("refresh"))
        && let Some(content) = attribute("content")
        && let Some(at) = content.value.to_ascii_lowercase().find("url=")
    {
        let url = content.value[at + 4..].trim_matches(['\'', '"', ' ']);
        if is_third_party(url, own_host) {
            found.push(RemoteRequest {
                offset: content.offset + content.value[at + 4..].find(url).map_or(at + 4, |i| at + 4 + i),
                len: url.len(),
                url: url.to_string(),
                what: "a redirect to another site",
            });
        }
    }
}

/// The URLs of an attribute value with their offsets: one URL, or each
/// candidate of a `srcset`.
fn urls_of<'a>(attribute: &Attribute<'a>) -> Vec<(usize, &'a str)> {
    if attribute.name == "srcset" {
        let mut urls = Vec::new();
        let mut at = 0;
        for candidate in attribute.value.split(',') {
            let trimmed = candidate.trim_start();
            let url = trimmed.split_whitespace().next().unwrap_or("");
            let lead = candidate.len() - trimmed.len();
            urls.push((attribute.offset + at + lead, url));
            at += candidate.len() + 1;
        }
        urls
    } else {
        let lead = attribute.value.len() - attribute.value.trim_start().len();
        vec![(attribute.offset + lead, attribute.value.trim())]
    }
}

static CSS_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)@import\s+(?:url\(\s*)?["']?([^"')\s;]+)|url\(\s*["']?([^"')\s]+)"#)
        .expect("the CSS URL pattern is valid")
});

/// Every third-party `url(...)` and `@import` in a CSS text.
pub(crate) fn scan_css(css: &str, own_host: Option<&str>) -> Vec<RemoteRequest> {
    CSS_URL
        .captures_iter(css)
        .filter_map(|captures| {
            let import = captures.get(1);
            let url = import.or_else(|| captures.get(2))?;
            is_third_party(url.as_str(), own_host).then(|| RemoteRequest {
                offset: url.start(),
                len: url.len(),
                url: url.as_str().to_string(),
                what: if import.is_some() {
                    "a remote stylesheet (CSS @import)"
                } else {
                    "a remote font or image (CSS url())"
                },
            })
        })
        .collect()
}

static SCRIPT_FETCH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\bfetch|\bimport|\bimportScripts|\bsendBeacon|\.open)\s*\(?\s*(?:"GET"\s*,\s*)?["'`]((?:https?:)?//[^"'`\s]+)|\bfrom\s+["']((?:https?:)?//[^"']+)"#)
        .expect("the script fetch pattern is valid")
});

/// Analytics code and fetches of remote URLs in a script.
pub(crate) fn scan_script(script: &str, own_host: Option<&str>) -> Vec<RemoteRequest> {
    let mut found: Vec<RemoteRequest> = SCRIPT_FETCH
        .captures_iter(script)
        .filter_map(|captures| {
            let url = captures.get(1).or_else(|| captures.get(2))?;
            is_third_party(url.as_str(), own_host).then(|| RemoteRequest {
                offset: url.start(),
                len: url.len(),
                url: url.as_str().to_string(),
                what: "a script fetching from another site",
            })
        })
        .collect();
    let lower = script.to_ascii_lowercase();
    for tracker in TRACKERS {
        if let Some(at) = lower.find(tracker)
            && !found.iter().any(|f| f.offset <= at && at < f.offset + f.len)
        {
            found.push(RemoteRequest {
                offset: at,
                len: tracker.len(),
                url: (*tracker).to_string(),
                what: "analytics or tracking code",
            });
        }
    }
    found.sort_by_key(|f| f.offset);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(found: &[RemoteRequest]) -> Vec<&str> {
        found.iter().map(|f| f.url.as_str()).collect()
    }

    #[test]
    fn requests_are_found_links_are_not() {
        let html = r#"<p><a href="https://pubmed.ncbi.nlm.nih.gov/1/">paper</a>
<img src="https://cdn.example.com/x.png" alt="x"><img src="/local.png" alt="">
<script src="//cdn.example.net/lib.js"></script>
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Inter">
<link rel="alternate" href="https://example.org/feed">
<iframe src="https://www.youtube.com/embed/1"></iframe>
<img srcset="/a.png 1x, https://img.example/b.png 2x" alt="b"></p>"#;
        let found = scan_html(html, Some("example.org"));
        assert_eq!(
            urls(&found),
            [
                "https://cdn.example.com/x.png",
                "//cdn.example.net/lib.js",
                "https://fonts.googleapis.com/css?family=Inter",
                "https://www.youtube.com/embed/1",
                "https://img.example/b.png",
            ]
        );
        let at = found[0].offset;
        assert_eq!(&html[at..at + found[0].len], "https://cdn.example.com/x.png");
        assert_eq!(found[3].what, "an embedded frame from another site");
    }

    #[test]
    fn base_forms_and_redirects_to_other_sites_are_found() {
        let html = r#"<base href="https://evil.example/"><form action="https://forms.example/x"><button formaction="/send">
<meta http-equiv="Refresh" content="0; url=https://evil.example/go"><meta http-equiv="refresh" content="5; url=/moved/"></form>"#;
        let found = scan_html(html, Some("example.org"));
        assert_eq!(
            urls(&found),
            [
                "https://evil.example/",
                "https://forms.example/x",
                "https://evil.example/go"
            ]
        );
        assert_eq!(found[2].what, "a redirect to another site");
        let at = found[2].offset;
        assert_eq!(&html[at..at + found[2].len], "https://evil.example/go");
    }

    #[test]
    fn the_sites_own_host_is_not_a_third_party() {
        let html = r#"<img src="https://example.org/logo.svg" alt="">"#;
        assert!(scan_html(html, Some("example.org")).is_empty());
        assert_eq!(scan_html(html, Some("clinic.example")).len(), 1);
    }

    #[test]
    fn css_imports_fonts_and_inline_styles() {
        let css = "@import 'https://fonts.example/a.css';\n@import url(https://fonts.example/b.css);\n.x { background: url(\"/ok.png\"); }\n@font-face { src: url(https://fonts.gstatic.com/f.woff2) }";
        let found = scan_css(css, None);
        assert_eq!(
            urls(&found),
            [
                "https://fonts.example/a.css",
                "https://fonts.example/b.css",
                "https://fonts.gstatic.com/f.woff2"
            ]
        );
        assert_eq!(found[1].what, "a remote stylesheet (CSS @import)");
        let html = r#"<div style="background-image: url('https://img.example/bg.jpg')">x</div>"#;
        let found = scan_html(html, None);
        let at = found[0].offset;
        assert_eq!(&html[at..at + found[0].len], "https://img.example/bg.jpg");
    }

    #[test]
    fn analytics_snippets_are_found_in_scripts() {
        let html = "<script>\n(function(){var s=document.createElement('script');s.src='https://www.googletagmanager.com/gtag/js';})();\n</script>";
        let found = scan_html(html, None);
        assert_eq!(urls(&found), ["googletagmanager.com"]);
        assert_eq!(found[0].what, "analytics or tracking code");
        assert_eq!(
            urls(&scan_script("fetch('https://api.example.com/x')", None)),
            ["https://api.example.com/x"]
        );
    }

    #[test]
    fn template_syntax_inside_tags_is_skipped() {
        let html = r#"<a class="brand" href="/"{% if current_path == "/" %} aria-current="page"{% endif %}><img src="{{ site.clinic.logo }}" alt=""></a>"#;
        assert!(scan_html(html, None).is_empty());
        let html = r#"<img {% if x %}class="a"{% endif %} src="https://cdn.example/{{ name }}.png">"#;
        assert_eq!(scan_html(html, None).len(), 1);
    }

    #[test]
    fn broken_html_does_not_panic() {
        for html in [
            "<",
            "<img src=",
            "<img src=\"https://x.example",
            "<script>",
            "<!--",
            "<a b='",
            "<é>",
            "<style>url(",
        ] {
            let _ = scan_html(html, None);
        }
    }
}
