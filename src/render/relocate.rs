//! Moving the site's root-relative URLs (`/techniques/x/`, as the theme and
//! the content write them) for a site that is not at the root of a host.
//!
//! - Under a base path (`base_url = "https://example.org/clinic"`, a
//!   project site on GitHub Pages): every such URL gets the path in front,
//!   `/clinic/techniques/x/`.
//! - Portable (`praxis build --portable`): a site that opens from disk
//!   (`file://`, a USB stick, an unzipped folder) or from any folder of a
//!   server. Every such URL becomes relative to its file, and a URL of a
//!   folder names the folder's `index.html`, since a browser reading files
//!   shows a folder's listing instead.
//!
//! Absolute URLs (canonical links, JSON-LD, the sitemap and feed) are made
//! from `base_url`, path included, and are left alone.

use rayon::prelude::*;

use crate::html::{self, tags};
use crate::output::{FileContents, OutputFile};

/// Where root-relative URLs must lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relocation<'a> {
    /// Under this path of the host (`/clinic`: no trailing `/`).
    Under(&'a str),
    /// Relative to each file, naming `index.html`.
    Portable,
}

/// Attributes that hold one URL.
const URL_ATTRIBUTES: [&str; 4] = ["href", "src", "action", "poster"];

/// Rewrites the root-relative URLs of every HTML and CSS file in `files`.
/// Files copied from the site's `static/` folder are read here, so an
/// unreadable one is an error naming it.
pub(crate) fn relocate(files: &mut [OutputFile], relocation: Relocation<'_>) -> Result<(), std::io::Error> {
    files.par_iter_mut().try_for_each(|file| {
        let is_html = file.path.ends_with(".html");
        let is_css = file.path.ends_with(".css");
        // A server answers a missing address at any depth with 404.html, so
        // only URLs from the host's root work in it; from disk it is never
        // shown.
        let portable_404 = relocation == Relocation::Portable && file.path == "404.html";
        if (!is_html && !is_css) || portable_404 {
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
        let mover = match relocation {
            Relocation::Under(path) => Mover {
                lead: path.to_string(),
                name_index: false,
            },
            Relocation::Portable => Mover {
                lead: "../".repeat(file.path.matches('/').count()),
                name_index: true,
            },
        };
        let rewritten = if is_html {
            relocate_html(&text, &mover)
        } else {
            relocate_css(&text, &mover)
        };
        if let Some(rewritten) = rewritten {
            file.contents = FileContents::Text(rewritten);
        }
        Ok(())
    })
}

/// How one file's root-relative URLs move.
struct Mover {
    /// What replaces the leading `/`, less the `/` itself for a base path
    /// (`/clinic` + `/a/`) or all of it for a relative one (`../` + `a/`).
    lead: String,
    /// Whether a folder URL names its `index.html`.
    name_index: bool,
}

impl Mover {
    /// A root-relative URL (`/a/b/?q#f`) moved: `/clinic/a/b/?q#f`, or
    /// `../../a/b/index.html?q#f`. Anything else (`https:`, `//host`, `#f`,
    /// `b.png`) is `None`: left as it is.
    fn url(&self, url: &str) -> Option<String> {
        let moved = self.folder(url)?;
        if !self.name_index {
            return Some(moved);
        }
        let path_end = moved.find(['?', '#']).unwrap_or(moved.len());
        let (path, rest) = moved.split_at(path_end);
        let index = if path.is_empty() || path.ends_with('/') {
            "index.html"
        } else {
            ""
        };
        Some(format!("{path}{index}{rest}"))
    }

    /// A root-relative URL moved as it is, never naming `index.html`: for
    /// a folder that a script adds file names to.
    fn folder(&self, url: &str) -> Option<String> {
        let rest = url.strip_prefix('/').filter(|rest| !rest.starts_with('/'))?;
        Some(if self.name_index {
            format!("{}{rest}", self.lead)
        } else {
            format!("{}/{rest}", self.lead)
        })
    }
}

/// The HTML with its root-relative URLs moved; `None` when it has none.
fn relocate_html(html: &str, mover: &Mover) -> Option<String> {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for tag in tags(html) {
        for attribute in &tag.attributes {
            let value = attribute.value;
            let replacement = match attribute.name.as_str() {
                name if URL_ATTRIBUTES.contains(&name) => mover.url(value),
                // The search index's folder, which search-ui.js adds file names to.
                "data-index" => mover.folder(value),
                "srcset" => rewrite_list(value, ',', |candidate| {
                    let url_end = candidate.find(char::is_whitespace).unwrap_or(candidate.len());
                    mover
                        .url(&candidate[..url_end])
                        .map(|url| format!("{url}{}", &candidate[url_end..]))
                }),
                // `<meta http-equiv="refresh" content="0; url=/new/">`, the
                // redirect of an alias.
                "content" if tag.name == "meta" && is_refresh(&tag) => refresh_url(value, mover),
                _ => None,
            };
            if let Some(replacement) = replacement {
                edits.push((attribute.offset, attribute.offset + value.len(), replacement));
            }
        }
    }
    apply(html, edits)
}

/// Whether a `<meta>` is a refresh (a description may say "url=" too).
fn is_refresh(tag: &html::Tag<'_>) -> bool {
    tag.attribute("http-equiv")
        .is_some_and(|kind| kind.value.trim().eq_ignore_ascii_case("refresh"))
}

/// The `content` of a `<meta http-equiv="refresh">` (`0; url=/new/`) with
/// its URL made relative; `None` for other meta tags.
fn refresh_url(content: &str, mover: &Mover) -> Option<String> {
    let at = content.to_ascii_lowercase().find("url=")? + 4;
    mover.url(&content[at..]).map(|url| format!("{}{url}", &content[..at]))
}

/// The CSS with the root-relative URLs of its `url(...)` moved.
fn relocate_css(css: &str, mover: &Mover) -> Option<String> {
    let mut edits = Vec::new();
    let mut from = 0;
    while let Some(at) = css[from..].find("url(").map(|at| from + at + 4) {
        let at = at + (css[at..].len() - css[at..].trim_start().len());
        let quote = css[at..].chars().next().filter(|c| matches!(c, '"' | '\''));
        let start = at + quote.map_or(0, char::len_utf8);
        let end = css[start..]
            .find(|c: char| Some(c) == quote || (quote.is_none() && c == ')'))
            .map_or(css.len(), |len| start + len);
        if let Some(url) = mover.url(css[start..end].trim()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn portable(up: &str) -> Mover {
        Mover {
            lead: up.to_string(),
            name_index: true,
        }
    }

    fn under(path: &str) -> Mover {
        Mover {
            lead: path.to_string(),
            name_index: false,
        }
    }

    #[test]
    fn root_relative_urls_become_relative_and_name_index_files() {
        assert_eq!(portable("").url("/").as_deref(), Some("index.html"));
        assert_eq!(portable("../").url("/#main").as_deref(), Some("../index.html#main"));
        assert_eq!(
            portable("../../").url("/techniques/mirror-therapy/#faq-x").as_deref(),
            Some("../../techniques/mirror-therapy/index.html#faq-x")
        );
        assert_eq!(
            portable("../").url("/search/?q=knee").as_deref(),
            Some("../search/index.html?q=knee")
        );
        assert_eq!(portable("../../").url("/style.css").as_deref(), Some("../../style.css"));
        assert_eq!(
            portable("../").folder("/search-index/").as_deref(),
            Some("../search-index/")
        );
        for kept in [
            "https://example.org/",
            "//cdn.example/x.js",
            "#faq-x",
            "images/a.png",
            "",
            "mailto:a@b",
        ] {
            assert_eq!(portable("../").url(kept), None, "{kept}");
            assert_eq!(under("/clinic").url(kept), None, "{kept}");
        }
    }

    #[test]
    fn root_relative_urls_move_under_a_base_path() {
        let clinic = under("/clinic");
        assert_eq!(clinic.url("/").as_deref(), Some("/clinic/"));
        assert_eq!(clinic.url("/faq/#x").as_deref(), Some("/clinic/faq/#x"));
        assert_eq!(
            clinic.folder("/search-index/").as_deref(),
            Some("/clinic/search-index/")
        );
    }

    #[test]
    fn html_attributes_srcset_and_redirects_are_rewritten_and_scripts_are_not() {
        let html = concat!(
            "<meta name=\"viewport\" content=\"width=device-width\"><meta name=\"description\" content=\"see url=/x/\">",
            "<link rel=stylesheet href=\"/style.css\"><a href='/faq/'>FAQ</a> <a href=\"#top\">Top</a>",
            "<img src=\"/images/a.png\" srcset=\"/images/a-640.png 640w, /images/a.png 1280w\">",
            "<form action=\"/search/\" data-index=\"/search-index/\"></form><meta http-equiv=\"refresh\" content=\"0; url=/new/\">",
            "<a href=\"https://example.org/\">site</a>",
            "<script type=\"application/ld+json\">{\"url\": \"/not/this/\"}</script>",
        );
        let out = relocate_html(html, &portable("../")).expect("changed");
        assert_eq!(
            out,
            concat!(
                "<meta name=\"viewport\" content=\"width=device-width\"><meta name=\"description\" content=\"see url=/x/\">",
                "<link rel=stylesheet href=\"../style.css\"><a href='../faq/index.html'>FAQ</a> <a href=\"#top\">Top</a>",
                "<img src=\"../images/a.png\" srcset=\"../images/a-640.png 640w, ../images/a.png 1280w\">",
                "<form action=\"../search/index.html\" data-index=\"../search-index/\"></form><meta http-equiv=\"refresh\" content=\"0; url=../new/index.html\">",
                "<a href=\"https://example.org/\">site</a>",
                "<script type=\"application/ld+json\">{\"url\": \"/not/this/\"}</script>",
            )
        );
        assert_eq!(
            relocate_html("<p>No links <a href=\"x/\">here</a></p>", &portable("../")),
            None
        );
        let under_path = relocate_html(html, &under("/clinic")).expect("changed");
        assert!(under_path.contains("href='/clinic/faq/'"), "{under_path}");
        assert!(
            under_path.contains("data-index=\"/clinic/search-index/\""),
            "{under_path}"
        );
        assert!(under_path.contains("url=/clinic/new/"), "{under_path}");
    }

    #[test]
    fn css_urls_quoted_or_not() {
        let css = "a{background:url(/a.svg)} b{background:url( \"/b c.png\" )} i{background:url('x.png')}";
        assert_eq!(
            relocate_css(css, &portable("../")).as_deref(),
            Some("a{background:url(../a.svg)} b{background:url( \"../b c.png\" )} i{background:url('x.png')}")
        );
    }

    #[test]
    fn every_html_and_css_file_is_rewritten_by_its_depth() {
        let files = || {
            vec![
                OutputFile::text("index.html", "<a href=\"/faq/\">".into()),
                OutputFile::text("techniques/x/index.html", "<a href=\"/faq/\">".into()),
                OutputFile::text("sitemap.xml", "<loc>/faq/</loc>".into()),
                OutputFile::text("404.html", "<a href=\"/\">".into()),
            ]
        };
        let texts = |files: &[OutputFile]| -> Vec<String> {
            files
                .iter()
                .map(|file| match &file.contents {
                    FileContents::Text(text) => text.clone(),
                    _ => unreachable!("text files stay text"),
                })
                .collect()
        };
        let mut portable_files = files();
        relocate(&mut portable_files, Relocation::Portable).expect("no copies to read");
        assert_eq!(
            texts(&portable_files),
            [
                "<a href=\"faq/index.html\">",
                "<a href=\"../../faq/index.html\">",
                "<loc>/faq/</loc>",
                // Shown by a server at any depth, so it keeps root-relative URLs.
                "<a href=\"/\">",
            ]
        );
        let mut under_files = files();
        relocate(&mut under_files, Relocation::Under("/clinic")).expect("no copies to read");
        assert_eq!(
            texts(&under_files),
            [
                "<a href=\"/clinic/faq/\">",
                "<a href=\"/clinic/faq/\">",
                "<loc>/faq/</loc>",
                "<a href=\"/clinic/\">",
            ]
        );
    }
}
