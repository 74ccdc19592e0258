//! `praxis build --portable`: a site that opens from disk (`file://`, a USB
//! stick, an unzipped folder) or from any folder of a web server.
//!
//! The theme and the content link with root-relative URLs (`/techniques/x/`),
//! which only work at the root of a web server. Here every such URL in the
//! HTML and CSS becomes relative to its file, and a URL of a folder names
//! the folder's `index.html`, since a browser reading files shows a folder's
//! listing instead. Absolute URLs (canonical links, JSON-LD, the sitemap and
//! feed) keep `base_url`: they name the published site, not this copy.

use rayon::prelude::*;

use super::{FileContents, OutputFile};
use crate::health::html_tags::tags;

/// Attributes that hold one URL.
const URL_ATTRIBUTES: [&str; 4] = ["href", "src", "action", "poster"];

/// Rewrites the root-relative URLs of every HTML and CSS file in `files`.
/// Files copied from the site's `static/` folder are read here, so an
/// unreadable one is an error naming it.
pub fn make_portable(files: &mut [OutputFile]) -> Result<(), std::io::Error> {
    files.par_iter_mut().try_for_each(|file| {
        let is_html = file.path.ends_with(".html");
        let is_css = file.path.ends_with(".css");
        // A server answers a missing address at any depth with 404.html, so
        // only root-relative URLs work in it; from disk it is never shown.
        if (!is_html && !is_css) || file.path == "404.html" {
            return Ok(());
        }
        let text = match &file.contents {
            FileContents::Text(text) => std::borrow::Cow::Borrowed(text.as_str()),
            FileContents::Embedded(bytes) => String::from_utf8_lossy(bytes),
            FileContents::Copy(path) => std::borrow::Cow::Owned(
                std::fs::read_to_string(path)
                    .map_err(|err| std::io::Error::new(err.kind(), format!("{}: {err}", path.display())))?,
            ),
        };
        let up = "../".repeat(file.path.matches('/').count());
        let rewritten = if is_html {
            portable_html(&text, &up)
        } else {
            portable_css(&text, &up)
        };
        if let Some(rewritten) = rewritten {
            file.contents = FileContents::Text(rewritten);
        }
        Ok(())
    })
}

/// The HTML with its root-relative URLs made relative through `up` (the
/// `../` that lead from the file's folder to the site's root); `None` when
/// it has none.
fn portable_html(html: &str, up: &str) -> Option<String> {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for tag in tags(html) {
        for attribute in &tag.attributes {
            let value = attribute.value;
            let replacement = match attribute.name.as_str() {
                name if URL_ATTRIBUTES.contains(&name) => relative_url(value, up),
                // The search index's folder, which search.js adds file names to.
                "data-index" => relative_folder(value, up),
                "srcset" => rewrite_list(value, ',', |candidate| {
                    let url_end = candidate.find(char::is_whitespace).unwrap_or(candidate.len());
                    relative_url(&candidate[..url_end], up).map(|url| format!("{url}{}", &candidate[url_end..]))
                }),
                // `<meta http-equiv="refresh" content="0; url=/new/">`, the
                // redirect of an alias.
                "content" if tag.name == "meta" => refresh_url(value, up),
                _ => None,
            };
            if let Some(replacement) = replacement {
                edits.push((attribute.offset, attribute.offset + value.len(), replacement));
            }
        }
    }
    apply(html, edits)
}

/// The `content` of a `<meta http-equiv="refresh">` (`0; url=/new/`) with
/// its URL made relative; `None` for other meta tags.
fn refresh_url(content: &str, up: &str) -> Option<String> {
    let at = content.to_ascii_lowercase().find("url=")? + 4;
    relative_url(&content[at..], up).map(|url| format!("{}{url}", &content[..at]))
}

/// The CSS with the root-relative URLs of its `url(...)` made relative.
fn portable_css(css: &str, up: &str) -> Option<String> {
    let mut edits = Vec::new();
    let mut from = 0;
    while let Some(at) = css[from..].find("url(").map(|at| from + at + 4) {
        let at = at + (css[at..].len() - css[at..].trim_start().len());
        let quote = css[at..].chars().next().filter(|c| matches!(c, '"' | '\''));
        let start = at + quote.map_or(0, char::len_utf8);
        let end = css[start..]
            .find(|c: char| Some(c) == quote || (quote.is_none() && c == ')'))
            .map_or(css.len(), |len| start + len);
        if let Some(url) = relative_url(css[start..end].trim(), up) {
            edits.push((start, end, url));
        }
        from = end;
    }
    apply(css, edits)
}

/// `edits` (start, end, replacement), in order and not overlapping, applied.
fn apply(text: &str, edits: Vec<(usize, usize, String)>) -> Option<String> {
    if edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + edits.len() * 16);
    let mut copied = 0;
    for (start, end, replacement) in edits {
        out.push_str(&text[copied..start]);
        out.push_str(&replacement);
        copied = end;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// Each item of a `separator`-separated list through `rewrite`; `None` when
/// no item changed.
fn rewrite_list(value: &str, separator: char, rewrite: impl Fn(&str) -> Option<String>) -> Option<String> {
    let mut changed = false;
    let items: Vec<String> = value
        .split(separator)
        .map(|item| {
            let trimmed = item.trim_start();
            let lead = &item[..item.len() - trimmed.len()];
            match rewrite(trimmed) {
                Some(new) => {
                    changed = true;
                    format!("{lead}{new}")
                }
                None => item.to_string(),
            }
        })
        .collect();
    changed.then(|| items.join(&separator.to_string()))
}

/// A root-relative URL (`/a/b/?q#f`) relative to a file `up` below the root,
/// naming a folder's `index.html`: `../../a/b/index.html?q#f`. Anything
/// else (`https:`, `//host`, `#f`, `b.png`) is `None`: left as it is.
fn relative_url(url: &str, up: &str) -> Option<String> {
    let path = relative_folder(url, up)?;
    let path_end = path.find(['?', '#']).unwrap_or(path.len());
    let (path, rest) = path.split_at(path_end);
    let index = if path.is_empty() || path.ends_with('/') {
        "index.html"
    } else {
        ""
    };
    Some(format!("{path}{index}{rest}"))
}

/// A root-relative URL relative to a file `up` below the root, as it is
/// (`/a/` -> `../a/`): for a folder that a script adds file names to.
fn relative_folder(url: &str, up: &str) -> Option<String> {
    let path = url.strip_prefix('/').filter(|rest| !rest.starts_with('/'))?;
    Some(format!("{up}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_relative_urls_become_relative_and_name_index_files() {
        assert_eq!(relative_url("/", "").as_deref(), Some("index.html"));
        assert_eq!(relative_url("/#main", "../").as_deref(), Some("../index.html#main"));
        assert_eq!(
            relative_url("/techniques/mirror-therapy/#faq-x", "../../").as_deref(),
            Some("../../techniques/mirror-therapy/index.html#faq-x")
        );
        assert_eq!(
            relative_url("/search/?q=knee", "../").as_deref(),
            Some("../search/index.html?q=knee")
        );
        assert_eq!(relative_url("/style.css", "../../").as_deref(), Some("../../style.css"));
        for kept in [
            "https://example.org/",
            "//cdn.example/x.js",
            "#faq-x",
            "images/a.png",
            "",
            "mailto:a@b",
        ] {
            assert_eq!(relative_url(kept, "../"), None, "{kept}");
        }
    }

    #[test]
    fn html_attributes_srcset_and_redirects_are_rewritten_and_scripts_are_not() {
        let html = concat!(
            "<meta name=\"viewport\" content=\"width=device-width\">",
            "<link rel=stylesheet href=\"/style.css\"><a href='/faq/'>FAQ</a> <a href=\"#top\">Top</a>",
            "<img src=\"/images/a.png\" srcset=\"/images/a-640.png 640w, /images/a.png 1280w\">",
            "<form action=\"/search/\" data-index=\"/search-index/\"></form><meta http-equiv=\"refresh\" content=\"0; url=/new/\">",
            "<a href=\"https://example.org/\">site</a>",
            "<script type=\"application/ld+json\">{\"url\": \"/not/this/\"}</script>",
        );
        let out = portable_html(html, "../").expect("changed");
        assert_eq!(
            out,
            concat!(
                "<meta name=\"viewport\" content=\"width=device-width\">",
                "<link rel=stylesheet href=\"../style.css\"><a href='../faq/index.html'>FAQ</a> <a href=\"#top\">Top</a>",
                "<img src=\"../images/a.png\" srcset=\"../images/a-640.png 640w, ../images/a.png 1280w\">",
                "<form action=\"../search/index.html\" data-index=\"../search-index/\"></form><meta http-equiv=\"refresh\" content=\"0; url=../new/index.html\">",
                "<a href=\"https://example.org/\">site</a>",
                "<script type=\"application/ld+json\">{\"url\": \"/not/this/\"}</script>",
            )
        );
        assert_eq!(portable_html("<p>No links <a href=\"x/\">here</a></p>", "../"), None);
    }

    #[test]
    fn css_urls_quoted_or_not() {
        let css = "a{background:url(/a.svg)} b{background:url( \"/b c.png\" )} i{background:url('x.png')}";
        assert_eq!(
            portable_css(css, "../").as_deref(),
            Some("a{background:url(../a.svg)} b{background:url( \"../b c.png\" )} i{background:url('x.png')}")
        );
    }

    #[test]
    fn every_html_and_css_file_is_rewritten_by_its_depth() {
        let mut files = vec![
            OutputFile::text("index.html", "<a href=\"/faq/\">".into()),
            OutputFile::text("techniques/x/index.html", "<a href=\"/faq/\">".into()),
            OutputFile::text("sitemap.xml", "<loc>/faq/</loc>".into()),
            OutputFile::text("404.html", "<a href=\"/\">".into()),
        ];
        make_portable(&mut files).expect("no copies to read");
        let text = |i: usize| match &files[i].contents {
            FileContents::Text(text) => text.clone(),
            _ => unreachable!("text files stay text"),
        };
        assert_eq!(text(0), "<a href=\"faq/index.html\">");
        assert_eq!(text(1), "<a href=\"../../faq/index.html\">");
        assert_eq!(text(2), "<loc>/faq/</loc>");
        assert_eq!(text(3), "<a href=\"/\">", "404.html keeps root-relative URLs");
    }
}
