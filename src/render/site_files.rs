//! Site-wide files: `sitemap.xml`, `atom.xml`, `robots.txt`, `404.html`,
//! alias redirect pages, and `syntax.css` when `highlight_theme` is set.

use serde::Serialize;
use tera::Value;

use crate::config::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, Diagnostics, closest_n};
use crate::link::{PageId, Site, normalise_alias, sort_pages};
use crate::output::OutputFile;
use crate::parse::front_matter::SortBy;
use crate::parse::kind::Kind;
use crate::render::Renderer;
use crate::render::context::{absolute, markdown_html, summary_text, to_value};

/// The feed carries the newest articles only; older ones stay in the archive.
const FEED_LIMIT: usize = 50;

#[derive(Debug, Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
}

#[derive(Debug, Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    id: String,
    updated: String,
    published: String,
    summary: String,
    authors: Vec<String>,
    content: String,
}

pub(crate) fn render_site_files(renderer: &Renderer<'_>) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = renderer.site;
    let mut out = vec![
        render_sitemap(renderer),
        render_feed(renderer),
        renderer
            .render(
                "robots.txt",
                "/robots.txt",
                vec![("sitemap_url", Value::from(absolute(site, "/sitemap.xml")))],
                "(robots.txt)",
            )
            .map(|text| OutputFile::text("robots.txt", text)),
        renderer
            .render("404.html", "/404.html", vec![], "(404 page)")
            .map(|html| OutputFile::text("404.html", html)),
    ];
    for page in &site.pages {
        for (alias, _) in &page.aliases {
            let target = absolute(site, &page.path);
            let path = normalise_alias(alias);
            out.push(
                renderer
                    .render(
                        "alias.html",
                        &path,
                        vec![("target", Value::from(target))],
                        &page.rel_path,
                    )
                    .map(|html| OutputFile::for_url_path(&path, html)),
            );
        }
    }
    out
}

fn render_sitemap(renderer: &Renderer<'_>) -> Result<OutputFile, Diagnostic> {
    let site = renderer.site;
    let mut entries: Vec<SitemapEntry> = site
        .pages
        .iter()
        .map(|page| SitemapEntry {
            url: absolute(site, &page.path),
            lastmod: page
                .updated
                .as_ref()
                .or(page.date.as_ref())
                .map(|d| d.iso.chars().take(10).collect()),
        })
        .collect();
    let mut section_paths: Vec<&String> = site.sections.values().map(|s| &s.path).collect();
    section_paths.sort();
    entries.extend(section_paths.into_iter().map(|path| SitemapEntry {
        url: absolute(site, path),
        lastmod: None,
    }));
    for taxonomy in site.taxonomies.iter().filter(|t| !t.terms.is_empty()) {
        entries.push(SitemapEntry {
            url: absolute(site, &taxonomy.path()),
            lastmod: None,
        });
        entries.extend(taxonomy.terms.iter().map(|term| SitemapEntry {
            url: absolute(site, &taxonomy.term_path(term)),
            lastmod: None,
        }));
    }
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    renderer
        .render(
            "sitemap.xml",
            "/sitemap.xml",
            vec![("entries", to_value(&entries))],
            "(sitemap.xml)",
        )
        .map(|xml| OutputFile::text("sitemap.xml", xml))
}

fn render_feed(renderer: &Renderer<'_>) -> Result<OutputFile, Diagnostic> {
    let site = renderer.site;
    let mut articles: Vec<PageId> = (0..site.pages.len())
        .filter(|id| site.pages[*id].kind == Kind::Article)
        .collect();
    sort_pages(&mut articles, SortBy::Date, &site.pages);
    let entries: Vec<FeedEntry> = articles
        .iter()
        .take(FEED_LIMIT)
        .map(|id| {
            let page = &site.pages[*id];
            let published = page
                .date
                .as_ref()
                .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
            let updated = page.updated.as_ref().map_or_else(|| published.clone(), |d| d.rfc3339());
            let url = absolute(site, &page.path);
            FeedEntry {
                title: page.title.clone(),
                id: url.clone(),
                url,
                updated,
                published,
                summary: summary_text(page),
                authors: page.front.authors.clone(),
                content: markdown_html(&page.body, &page.path, &renderer.theme.image_sizes),
            }
        })
        .collect();
    // The feed's own `updated` is its newest entry's, so rebuilding unchanged
    // content gives a byte-identical feed.
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let feed_author = site
        .config
        .clinic
        .as_ref()
        .and_then(|c| c.name.clone())
        .unwrap_or_else(|| site.config.title.clone());
    let vars = vec![
        ("articles", to_value(&entries)),
        ("updated", Value::from(updated)),
        ("feed_author", Value::from(feed_author)),
    ];
    renderer
        .render("atom.xml", "/atom.xml", vars, "(atom.xml)")
        .map(|xml| OutputFile::text("atom.xml", xml))
}

/// CSS for the syntect theme named by `[markdown] highlight_theme`; the
/// theme's own `syntax.css` is used when none is named.
pub(crate) fn highlight_theme_css(site: &Site, diagnostics: &mut Diagnostics) -> Option<String> {
    let name = site.config.markdown.highlight_theme.as_deref()?;
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    match themes.themes.get(name) {
        Some(theme) => syntect::html::css_for_theme_with_class_style(theme, syntect::html::ClassStyle::Spaced).ok(),
        None => {
            let names: Vec<&str> = themes.themes.keys().map(String::as_str).collect();
            let suggestions = closest_n(name, names.iter().copied(), 2);
            let hint = if suggestions.is_empty() {
                format!("available themes: {}", names.join(", "))
            } else {
                format!("did you mean `{}`?", suggestions.join("` or `"))
            };
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    site.config.places.get("markdown.highlight_theme"),
                    format!("unknown highlight_theme `{name}`"),
                )
                .with_hint(hint),
            );
            None
        }
    }
}
