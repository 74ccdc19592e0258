//! The built demo site keeps the default theme's promises: CSS under 30 KB
//! (style.css, syntax.css and the generated theme-options.css together),
//! JavaScript other than search under 10 KB, nothing inline that a
//! `Content-Security-Policy: default-src 'self'` would block, and no
//! script, stylesheet, image, font or frame loaded from another host.
//! (The browser tests check the same in Chromium; this one runs with
//! `cargo test`, without a browser.)

use std::path::Path;

use crate::common::{demo_copy, run_praxis_with_env};
use praxis::html::tags;

/// All CSS of a page view, in bytes.
const CSS_BUDGET: u64 = 30_000;
/// JavaScript other than search (and its index), in bytes.
const JS_BUDGET: u64 = 10_000;
/// The search client: its engine and the page's part.
const SEARCH_SCRIPTS: [&str; 2] = ["search-engine.js", "search-ui.js"];

fn built_demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = demo_copy();
    let root = site.path().to_string_lossy().into_owned();
    let output = site.path().join("public");
    let out = output.to_string_lossy().into_owned();
    run_praxis_with_env(&["build", "--root", &root, "--output", &out], site.path(), &[]).assert_success();
    (site, output)
}

fn files(output: &Path, extension: &str) -> Vec<(String, u64)> {
    walkdir::WalkDir::new(output)
        .into_iter()
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|e| e == extension))
        .map(|entry| {
            let rel = entry
                .path()
                .strip_prefix(output)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, entry.metadata().expect("metadata").len())
        })
        .collect()
}

#[test]
fn css_and_javascript_stay_within_budget() {
    let (_site, output) = built_demo();
    let css = files(&output, "css");
    let names: Vec<&str> = css.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains(&"theme-options.css"), "the demo is branded: {names:?}");
    let css_total: u64 = css.iter().map(|(_, size)| size).sum();
    assert!(css_total < CSS_BUDGET, "CSS {css_total} bytes: {css:?}");

    let other_js: Vec<(String, u64)> = files(&output, "js")
        .into_iter()
        .filter(|(name, _)| !SEARCH_SCRIPTS.contains(&name.as_str()) && !name.starts_with("search-index/"))
        .collect();
    let js_total: u64 = other_js.iter().map(|(_, size)| size).sum();
    assert!(
        js_total < JS_BUDGET,
        "JavaScript besides search {js_total} bytes: {other_js:?}"
    );
    // What the budgets measured, for the CI log.
    println!("CSS {css_total} bytes, other JavaScript {js_total} bytes");
}

/// Attributes that make the browser fetch something, by tag.
const FETCHING: &[(&str, &str)] = &[
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
];

#[test]
fn every_page_works_under_a_strict_content_security_policy() {
    let (_site, output) = built_demo();
    let mut problems = Vec::new();
    let pages = files(&output, "html");
    assert!(pages.len() > 50, "{} pages", pages.len());
    for (page, _) in &pages {
        let html = std::fs::read_to_string(output.join(page)).expect("read a page");
        for tag in tags(&html) {
            if tag.attribute("style").is_some() {
                problems.push(format!("{page}: style attribute on <{}>", tag.name));
            }
            if tag.attributes.iter().any(|a| a.name.starts_with("on")) {
                problems.push(format!("{page}: event handler on <{}>", tag.name));
            }
            match tag.name.as_str() {
                "style" => problems.push(format!("{page}: <style> element")),
                // JSON-LD is data, not script: CSP does not apply to it.
                "script" if tag.attribute("type").is_some_and(|t| t.value == "application/ld+json") => {}
                "script" if tag.body.is_some_and(|(_, body)| !body.trim().is_empty()) => {
                    problems.push(format!("{page}: inline script"));
                }
                _ => {}
            }
            // A canonical or alternate link names an address; it loads nothing.
            let names_only = tag.name == "link"
                && tag
                    .attribute("rel")
                    .is_some_and(|rel| matches!(rel.value, "canonical" | "alternate"));
            for (name, attribute) in FETCHING {
                let Some(value) = tag.attribute(attribute).filter(|_| tag.name == *name && !names_only) else {
                    continue;
                };
                let url = value.value.trim();
                let remote = url.starts_with("//") || url.starts_with("http://") || url.starts_with("https://");
                if remote && !url.starts_with("https://example.org/") {
                    problems.push(format!(
                        "{page}: <{name} {attribute}=\"{url}\"> loads from another host"
                    ));
                }
            }
        }
        // Markdown images carry their size and load lazily.
        for tag in tags(&html).iter().filter(|tag| tag.name == "img") {
            if tag.attribute("class").is_some_and(|c| c.value == "brand-logo") {
                continue;
            }
            for attribute in ["width", "height", "loading", "decoding"] {
                if tag.attribute(attribute).is_none() {
                    problems.push(format!("{page}: <img> without {attribute}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
