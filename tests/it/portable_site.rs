//! `praxis build --portable` on the demo site: every link, script,
//! stylesheet, image and form of every page is relative to its page and
//! names a file that exists (a folder's `index.html`), and every anchor it
//! points at is on that page (404.html aside, which a server shows at any
//! depth); absolute URLs (canonical, JSON-LD, sitemap) keep base_url. (tests/browser/portable.spec.mjs opens it from file://.)

use std::collections::HashMap;
use std::path::Path;

use crate::common::{demo_copy, run_praxis_with_env};
use praxis::html::tags;

fn built(portable: bool) -> (tempfile::TempDir, std::path::PathBuf) {
    let site = demo_copy();
    let root = site.path().to_string_lossy().into_owned();
    let output = site.path().join("public");
    let out = output.to_string_lossy().into_owned();
    let mut args = vec!["build", "--root", root.as_str(), "--output", out.as_str()];
    if portable {
        args.push("--portable");
    }
    run_praxis_with_env(&args, site.path(), &[]).assert_success();
    (site, output)
}

fn html_files(output: &Path) -> Vec<String> {
    walkdir::WalkDir::new(output)
        .into_iter()
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "html"))
        .map(|entry| {
            entry
                .path()
                .strip_prefix(output)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// `href` of the page at `from` (a path in the output), resolved to a path
/// in the output and its fragment; `None` when it leaves the site.
fn resolve(from: &str, href: &str) -> Option<(String, String)> {
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let path = path.split('?').next().unwrap_or_default();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop(); // the page's own file name
    if !path.is_empty() {
        for part in path.split('/') {
            match part {
                ".." => {
                    parts.pop()?;
                }
                "." | "" => {}
                other => parts.push(other),
            }
        }
    } else {
        parts.push(from.rsplit('/').next().unwrap_or(from));
    }
    Some((parts.join("/"), fragment.to_string()))
}

#[test]
fn every_local_url_is_relative_and_names_a_file_and_anchor_that_exist() {
    let (_site, output) = built(true);
    let pages = html_files(&output);
    assert!(pages.len() > 50, "{} pages", pages.len());
    let texts: HashMap<&str, String> = pages
        .iter()
        .map(|page| {
            (
                page.as_str(),
                std::fs::read_to_string(output.join(page)).expect("read a page"),
            )
        })
        .collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (page, html) in &texts {
        if *page == "404.html" {
            // Served for a missing address at any depth: it keeps
            // root-relative URLs (and from disk it is never shown).
            assert!(html.contains("href=\"/style.css\""), "{html}");
            continue;
        }
        for tag in tags(html) {
            for attribute in &tag.attributes {
                if !matches!(attribute.name.as_str(), "href" | "src" | "action" | "data-index") {
                    continue;
                }
                let url = attribute.value;
                if url.starts_with('/') && !url.starts_with("//") {
                    problems.push(format!("{page}: root-relative {} `{url}`", attribute.name));
                    continue;
                }
                if url.contains(':') || url.starts_with("//") {
                    continue; // https:, mailto:, tel: and the like
                }
                let Some((target, fragment)) = resolve(page, url) else {
                    problems.push(format!("{page}: `{url}` leaves the site"));
                    continue;
                };
                checked += 1;
                let is_folder = attribute.name == "data-index";
                if is_folder {
                    if !output.join(&target).join("manifest.js").is_file() {
                        problems.push(format!("{page}: data-index `{url}` has no manifest.js"));
                    }
                } else if !output.join(&target).is_file() {
                    problems.push(format!("{page}: `{url}` is not a file ({target})"));
                } else if !fragment.is_empty()
                    && let Some(target_html) = texts.get(target.as_str())
                    && !target_html.contains(&format!("id=\"{fragment}\""))
                {
                    problems.push(format!("{page}: `{url}`: no #{fragment} in {target}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked > 1000, "{checked} local URLs checked");

    // Absolute URLs still name the published site.
    let technique = &texts["techniques/mirror-therapy/index.html"];
    assert!(
        technique.contains("<link rel=\"canonical\" href=\"https://example.org/techniques/mirror-therapy/\">"),
        "canonical keeps base_url"
    );
    assert!(
        technique.contains("\"url\":\"https://example.org/techniques/mirror-therapy/\""),
        "JSON-LD keeps base_url"
    );
    let sitemap = std::fs::read_to_string(output.join("sitemap.xml")).expect("sitemap");
    assert!(
        sitemap.contains("<loc>https://example.org/techniques/mirror-therapy/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_portable_build_differs_from_a_plain_one_only_in_its_urls() {
    let (_plain_site, plain) = built(false);
    let (_portable_site, portable) = built(true);
    let mut plain_files: Vec<String> = walkdir::WalkDir::new(&plain)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(&plain).unwrap().to_string_lossy().into_owned())
        .collect();
    plain_files.sort();
    let mut portable_files: Vec<String> = walkdir::WalkDir::new(&portable)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(&portable).unwrap().to_string_lossy().into_owned())
        .collect();
    portable_files.sort();
    assert_eq!(plain_files, portable_files, "the same files");
    let read = |dir: &Path, file: &str| std::fs::read_to_string(dir.join(file)).expect("read");
    // The search index and the feeds are the same bytes; a page differs in its URLs.
    for same in [
        "search-index/manifest.js",
        "sitemap.xml",
        "atom.xml",
        "search-engine.js",
        "search-ui.js",
        "style.css",
    ] {
        assert_eq!(read(&plain, same), read(&portable, same), "{same}");
    }
    let page = "techniques/mirror-therapy/index.html";
    let (before, after) = (read(&plain, page), read(&portable, page));
    assert!(before.contains("href=\"/faq/\""), "plain links are root-relative");
    assert!(
        after.contains("href=\"../../faq/index.html\""),
        "portable links are relative"
    );
    assert_eq!(
        after.replace("\"../../", "\"/").replace("/index.html", "/"),
        before,
        "nothing but URLs changes"
    );
}

#[test]
fn a_base_url_with_a_path_puts_every_local_url_under_it() {
    let site = demo_copy();
    let root = site.path().to_string_lossy().into_owned();
    let output = site.path().join("public");
    let out = output.to_string_lossy().into_owned();
    let args = [
        "build",
        "--root",
        root.as_str(),
        "--output",
        out.as_str(),
        "--base-url",
        "https://example.org/clinic/",
    ];
    run_praxis_with_env(&args, site.path(), &[]).assert_success();
    let mut problems = Vec::new();
    for page in html_files(&output) {
        let html = std::fs::read_to_string(output.join(&page)).expect("read a page");
        for tag in tags(&html) {
            for attribute in &tag.attributes {
                let url = attribute.value;
                let local = url.starts_with('/') && !url.starts_with("//");
                if matches!(attribute.name.as_str(), "href" | "src" | "action" | "data-index")
                    && local
                    && !url.starts_with("/clinic/")
                {
                    problems.push(format!("{page}: {} `{url}` is not under /clinic/", attribute.name));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let technique = std::fs::read_to_string(output.join("techniques/mirror-therapy/index.html")).unwrap();
    assert!(technique.contains("href=\"/clinic/style.css\""), "{technique}");
    assert!(technique.contains("href=\"https://example.org/clinic/techniques/mirror-therapy/\""));
    let search = std::fs::read_to_string(output.join("search/index.html")).unwrap();
    assert!(search.contains("data-index=\"/clinic/search-index/\""), "{search}");
    let sitemap = std::fs::read_to_string(output.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/clinic/techniques/mirror-therapy/</loc>"));
}

#[test]
fn a_base_url_flag_that_is_not_a_web_address_is_a_usage_error() {
    let site = demo_copy();
    let root = site.path().to_string_lossy().into_owned();
    for bad in ["not a url", "example.org", "https://"] {
        let run = run_praxis_with_env(&["build", "--root", &root, "--base-url", bad], site.path(), &[]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(run.stderr.contains("not a full web address"), "{}", run.stderr);
    }
    // Issue 25: `?x=1#frag` exited 0 and broke every link.
    for (bad, problem) in [
        ("https://example.org/?x=1#frag", "query"),
        ("https://example.org/#frag", "fragment"),
        ("https://user:pass@example.org", "password"),
    ] {
        let run = run_praxis_with_env(&["build", "--root", &root, "--base-url", bad], site.path(), &[]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(run.stderr.contains(problem), "{bad}: {}", run.stderr);
    }
    assert!(!site.path().join("public").exists(), "nothing was built");
}
