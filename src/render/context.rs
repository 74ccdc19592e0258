//! What templates see (docs/templates.md), prepared once per page.
//!
//! Each page's context and its list summary are serialised into tera values
//! exactly once; section lists, taxonomy pages and the home page reuse those
//! values (tera values are reference-counted, so a list is a vector of cheap
//! clones, not a re-serialisation of the site per page).

use pulldown_cmark::{Event, Tag};
use serde::Serialize;
use tera::Value;

use crate::config::{Audience, ThemeOptions};
use crate::link::{PageId, Site};
use crate::measure::Measures;
use crate::measure::readability::ReadabilitySummary;
use crate::parse::Page;
use crate::parse::date::PageDate;
use crate::parse::front_matter::PageFrontMatter;
use crate::parse::markdown::{ParsedMarkdown, TocEntry, table_of_contents};
use crate::parse::slug::slugify;
use crate::render::clinic::{ClinicContext, clinic_context};
use crate::render::images::{ImageSizes, has_raw_img, with_image_attributes};
use crate::render::json_ld;

/// `page.relations`: what the page is connected to in the knowledge graph.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RelationsContext {
    /// A technique's applications; an article's related applications.
    pub(crate) applications: Vec<LinkContext>,
    /// An application's techniques (those naming it); an article's techniques.
    pub(crate) techniques: Vec<LinkContext>,
    /// An application's broader application.
    pub(crate) parent: Option<LinkContext>,
    /// An application's narrower applications.
    pub(crate) children: Vec<LinkContext>,
}

/// `page.backlinks`: pages that point at this one.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BacklinksContext {
    /// Pages naming this one in their front matter (articles' `techniques`),
    /// the first [`BACKLINKS_SHOWN`].
    pub(crate) related: Vec<LinkContext>,
    pub(crate) related_total: usize,
    /// Pages linking to or mentioning this one in their text, minus
    /// `related`, the first [`BACKLINKS_SHOWN`].
    pub(crate) mentioned_in: Vec<LinkContext>,
    pub(crate) mentioned_total: usize,
}

/// Backlink lists show this many pages and count the rest: on a large site
/// "stroke" is mentioned by thousands of pages, and a list that long helps
/// nobody (search and the tag pages do that job).
pub(crate) const BACKLINKS_SHOWN: usize = 30;

fn relations_context(site: &Site, id: PageId) -> RelationsContext {
    let graph = &site.graph;
    let declared = &graph.relations[id];
    let links = |ids: &[PageId]| ids.iter().map(|id| link_to(site, *id)).collect::<Vec<_>>();
    let techniques = if site.pages[id].kind == crate::parse::kind::Kind::Application {
        links(&graph.techniques_using[id])
    } else {
        links(&declared.techniques)
    };
    RelationsContext {
        applications: links(&declared.applications),
        techniques,
        parent: declared.parent.map(|parent| link_to(site, parent)),
        children: links(&graph.children[id]),
    }
}

fn backlinks_context(site: &Site, id: PageId) -> BacklinksContext {
    let graph = &site.graph;
    let related = &graph.related_pages[id];
    // Techniques and applications already listed as relations are not
    // repeated. Every edge list is sorted, so membership is a binary search.
    let declared = &graph.relations[id];
    let listed = |p: &PageId| {
        related.binary_search(p).is_ok()
            || graph.techniques_using[id].binary_search(p).is_ok()
            || graph.children[id].binary_search(p).is_ok()
            || declared.applications.contains(p)
            || declared.techniques.contains(p)
            || declared.parent == Some(*p)
    };
    let mentioned: Vec<PageId> = graph.mentioned_in[id].iter().filter(|p| !listed(p)).copied().collect();
    BacklinksContext {
        related: related
            .iter()
            .take(BACKLINKS_SHOWN)
            .map(|p| link_to(site, *p))
            .collect(),
        related_total: related.len(),
        mentioned_in: mentioned
            .iter()
            .take(BACKLINKS_SHOWN)
            .map(|p| link_to(site, *p))
            .collect(),
        mentioned_total: mentioned.len(),
    }
}

/// A link with a label: breadcrumbs, neighbours, relations.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LinkContext {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) description: Option<String>,
    /// "Article", "Technique", ... for links to pages; absent for sections.
    pub(crate) kind_label: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermLink {
    pub(crate) name: String,
    pub(crate) slug: String,
    pub(crate) url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FaqContext {
    pub(crate) question: String,
    pub(crate) answer: String,
    pub(crate) anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReferenceContext {
    pub(crate) title: String,
    pub(crate) url: Option<String>,
    pub(crate) doi: Option<String>,
    pub(crate) doi_url: Option<String>,
    pub(crate) pmid: Option<String>,
    pub(crate) pubmed_url: Option<String>,
    pub(crate) year: Option<i64>,
}

/// `page` in page templates: what render computes for the page, and the
/// page's own front matter values beside it (borrowed, not copied).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageContext<'a> {
    #[serde(flatten)]
    pub(crate) front: &'a PageFrontMatter,
    pub(crate) description: Option<String>,
    pub(crate) kind: &'static str,
    pub(crate) kind_label: &'static str,
    pub(crate) slug: String,
    pub(crate) path: String,
    pub(crate) url: String,
    pub(crate) content: String,
    pub(crate) summary: String,
    pub(crate) date: Option<PageDate>,
    pub(crate) updated: Option<PageDate>,
    pub(crate) last_reviewed: Option<PageDate>,
    pub(crate) categories: Vec<TermLink>,
    pub(crate) tags: Vec<TermLink>,
    pub(crate) audience: Audience,
    pub(crate) audience_label: &'static str,
    pub(crate) reviewed_by: Option<String>,
    pub(crate) faq: Vec<FaqContext>,
    pub(crate) references: Vec<ReferenceContext>,
    /// `body_regions` as links to their `/body-regions/SLUG/` pages.
    pub(crate) body_region_links: Vec<LinkContext>,
    pub(crate) relations: RelationsContext,
    pub(crate) backlinks: BacklinksContext,
    pub(crate) toc: Vec<TocEntry>,
    pub(crate) show_toc: bool,
    pub(crate) word_count: usize,
    pub(crate) reading_minutes: usize,
    pub(crate) breadcrumb: Vec<LinkContext>,
    pub(crate) section: LinkContext,
    pub(crate) previous: Option<LinkContext>,
    pub(crate) next: Option<LinkContext>,
    pub(crate) json_ld: String,
    /// A health page (technique, application, article, FAQ): shows the
    /// medical disclaimer and review line.
    pub(crate) health: bool,
    /// Absent when the page has no prose sentence.
    pub(crate) readability: Option<ReadabilitySummary>,
}

/// A page as it appears in lists.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageSummary {
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) summary: String,
    pub(crate) path: String,
    pub(crate) url: String,
    pub(crate) kind: &'static str,
    pub(crate) kind_label: &'static str,
    pub(crate) date: Option<PageDate>,
    pub(crate) categories: Vec<TermLink>,
    pub(crate) tags: Vec<TermLink>,
    pub(crate) featured: bool,
    pub(crate) reading_minutes: usize,
    pub(crate) audience_label: &'static str,
}

/// `site` in every template.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteContext<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) base_url: &'a str,
    pub(crate) language: &'a str,
    pub(crate) disclaimer: Option<&'a str>,
    pub(crate) default_audience: Audience,
    pub(crate) clinic: Option<ClinicContext>,
    pub(crate) theme_options: &'a ThemeOptions,
    pub(crate) extra: &'a toml::Table,
    pub(crate) menu: Vec<MenuItem>,
    /// Index pages that exist on this site: A-Z, matrix, body regions,
    /// categories, tags (for footers and site maps).
    pub(crate) index_pages: Vec<IndexPage>,
    pub(crate) build_year: i32,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndexPage {
    pub(crate) title: &'static str,
    pub(crate) path: &'static str,
}

fn index_pages(site: &Site) -> Vec<IndexPage> {
    let has_kind = |kind| site.pages.iter().any(|p| p.kind == kind);
    let has_graph = has_kind(crate::parse::kind::Kind::Technique) || has_kind(crate::parse::kind::Kind::Application);
    let has_regions = site.pages.iter().any(|p| {
        matches!(
            p.kind,
            crate::parse::kind::Kind::Technique | crate::parse::kind::Kind::Application
        ) && !p.front.body_regions.is_empty()
    });
    let has_terms = |name: &str| site.taxonomies.iter().any(|t| t.name == name && !t.terms.is_empty());
    [
        (has_graph, "A-Z index", "/a-z/"),
        (has_graph, "Techniques and conditions", "/matrix/"),
        (has_regions, "Body regions", "/body-regions/"),
        (has_terms("categories"), "Categories", "/categories/"),
        (has_terms("tags"), "Tags", "/tags/"),
    ]
    .into_iter()
    .filter(|(present, _, _)| *present)
    .map(|(_, title, path)| IndexPage { title, path })
    .collect()
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MenuItem {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) path: String,
    pub(crate) description: Option<String>,
    pub(crate) count: usize,
}

impl MenuItem {
    pub(crate) fn for_section(site: &Site, section: &crate::link::SiteSection) -> MenuItem {
        MenuItem {
            title: section.section.title.clone(),
            url: absolute(site, &section.path),
            path: section.path.clone(),
            description: section.section.description.clone(),
            count: section.pages.len(),
        }
    }
}

/// Words per minute for reading time: a common figure for adults reading
/// on screens; patient materials skew slower, so we round up.
const WORDS_PER_MINUTE: usize = 200;

/// Pages with at least this many h2/h3 headings show a table of contents.
const TOC_MIN_HEADINGS: usize = 3;

/// Renders parsed markdown events to HTML; images get their size and lazy
/// loading, their sources read as the browser will from URL path `base`.
pub(crate) fn markdown_html(markdown: &ParsedMarkdown, base: &str, images: &ImageSizes) -> String {
    events_html(&markdown.events, markdown, base, images)
}

/// [`markdown_html`] for markdown shown away from its page (the home
/// page's questions): its headings lose their ids, which belong to its own
/// page and could repeat ids of the page showing it.
pub(crate) fn borrowed_markdown_html(markdown: &ParsedMarkdown, base: &str, images: &ImageSizes) -> String {
    if !markdown
        .events
        .iter()
        .any(|event| matches!(event, Event::Start(Tag::Heading { id: Some(_), .. })))
    {
        return markdown_html(markdown, base, images);
    }
    let events: Vec<Event<'_>> = markdown
        .events
        .iter()
        .map(|event| match event {
            Event::Start(Tag::Heading {
                level, classes, attrs, ..
            }) => Event::Start(Tag::Heading {
                level: *level,
                id: None,
                classes: classes.clone(),
                attrs: attrs.clone(),
            }),
            other => other.clone(),
        })
        .collect();
    events_html(&events, markdown, base, images)
}

fn events_html(events: &[Event<'_>], markdown: &ParsedMarkdown, base: &str, images: &ImageSizes) -> String {
    let mut html = String::with_capacity(markdown.text.len() * 2);
    if markdown.images.is_empty() && !has_raw_img(events) {
        pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    } else {
        let events = with_image_attributes(events, base, images);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
    }
    html
}

/// The first ~30 words of the prose, for cards and feeds.
pub(crate) fn summary_text(page: &Page) -> String {
    if let Some(description) = &page.description {
        return description.clone();
    }
    let words: Vec<&str> = page.body.text.split_whitespace().take(30).collect();
    let mut summary = words.join(" ");
    if page.body.word_count > words.len() {
        summary.push('…');
    }
    summary
}

/// Bytes a URL may not hold raw: controls, spaces, quotes and brackets
/// (non-ASCII is always escaped); `%` stays, so an escape already in a URL
/// is kept.
pub(crate) const NOT_IN_URLS: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

/// `base_url` + `path`, with what a URL may not hold raw (a space or a
/// non-ASCII letter of a file name) percent-encoded: the sitemap, the feed
/// and canonical links need valid URLs.
pub(crate) fn absolute(site: &Site, path: &str) -> String {
    let encoded = percent_encoding::utf8_percent_encode(path, NOT_IN_URLS);
    format!("{}{encoded}", site.config.base_url)
}

fn term_links(taxonomy: &str, names: &[String]) -> Vec<TermLink> {
    names
        .iter()
        .filter_map(|name| {
            let slug = slugify(name);
            (!slug.is_empty()).then(|| TermLink {
                name: name.clone(),
                url: format!("/{taxonomy}/{slug}/"),
                slug,
            })
        })
        .collect()
}

/// A link to page `id` with its title, description and kind.
pub(crate) fn link_to(site: &Site, id: PageId) -> LinkContext {
    let page = &site.pages[id];
    LinkContext {
        title: page.title.clone(),
        url: page.path.clone(),
        description: page.description.clone(),
        kind_label: Some(page.kind.label()),
    }
}

/// Home -> ... -> the page's own section, as links.
pub(crate) fn breadcrumb(site: &Site, section_key: &str) -> Vec<LinkContext> {
    site.section_chain(section_key)
        .into_iter()
        .map(|s| LinkContext {
            title: if s.section.key.is_empty() {
                "Home".to_string()
            } else {
                s.section.title.clone()
            },
            url: s.path.clone(),
            description: None,
            kind_label: None,
        })
        .collect()
}

pub(crate) fn summary(site: &Site, id: PageId) -> PageSummary {
    let page = &site.pages[id];
    PageSummary {
        title: page.title.clone(),
        description: page.description.clone(),
        summary: summary_text(page),
        path: page.path.clone(),
        url: absolute(site, &page.path),
        kind: page.kind.name(),
        kind_label: page.kind.label(),
        date: page.date.clone(),
        categories: term_links("categories", &page.categories),
        tags: term_links("tags", &page.tags),
        featured: page.front.featured,
        reading_minutes: reading_minutes(page.body.word_count),
        audience_label: page.audience.label(),
    }
}

fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// Neighbours of a page in its section's order.
fn neighbours(site: &Site, id: PageId) -> (Option<LinkContext>, Option<LinkContext>) {
    let Some(section) = site.sections.get(&site.pages[id].section) else {
        return (None, None);
    };
    let index = site.section_positions[id];
    let previous = index.checked_sub(1).map(|i| link_to(site, section.pages[i]));
    let next = section.pages.get(index + 1).map(|next| link_to(site, *next));
    (previous, next)
}

pub(crate) fn page_context<'a>(
    site: &'a Site,
    measures: &Measures,
    id: PageId,
    images: &ImageSizes,
) -> PageContext<'a> {
    let page = &site.pages[id];
    let faq: Vec<FaqContext> = page
        .faq
        .iter()
        .map(|entry| FaqContext {
            question: entry.question.clone(),
            answer: markdown_html(&entry.answer, &page.path, images),
            anchor: entry.anchor.clone(),
        })
        .collect();
    let toc = table_of_contents(&page.body.headings);
    let heading_count = page
        .body
        .headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .count();
    let section = site.sections.get(&page.section);
    let mut breadcrumb = breadcrumb(site, &page.section);
    // Applications sit under their broader applications: Home > Clinical
    // applications > Neurological disorders > Stroke.
    breadcrumb.extend(
        site.graph
            .ancestors(id)
            .into_iter()
            .rev()
            .map(|ancestor| link_to(site, ancestor)),
    );
    let (previous, next) = neighbours(site, id);
    let json_ld = json_ld::page(site, id, &breadcrumb);
    PageContext {
        front: &page.front,
        description: page.description.clone(),
        kind: page.kind.name(),
        kind_label: page.kind.label(),
        slug: page.slug.clone(),
        path: page.path.clone(),
        url: absolute(site, &page.path),
        content: markdown_html(&page.body, &page.path, images),
        summary: summary_text(page),
        date: page.date.clone(),
        updated: page.updated.clone(),
        last_reviewed: page.last_reviewed.clone(),
        categories: term_links("categories", &page.categories),
        tags: term_links("tags", &page.tags),
        audience: page.audience,
        audience_label: page.audience.label(),
        reviewed_by: page.reviewed_by.clone(),
        faq,
        references: page
            .references
            .iter()
            .map(|r| ReferenceContext {
                title: r.title.clone(),
                url: r.url.clone(),
                // Bare since parsing: `10.1000/xyz`.
                doi: r.doi.clone(),
                doi_url: r.doi.as_ref().map(|doi| format!("https://doi.org/{doi}")),
                pmid: r.pmid.clone(),
                pubmed_url: r
                    .pmid
                    .as_ref()
                    .map(|pmid| format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/")),
                year: r.year,
            })
            .collect(),
        body_region_links: page
            .front
            .body_regions
            .iter()
            .map(|name| (crate::render::graph_pages::region_title(name), slugify(name)))
            .filter(|(_, slug)| !slug.is_empty())
            .map(|(title, slug)| LinkContext {
                title,
                url: format!("/body-regions/{slug}/"),
                description: None,
                kind_label: None,
            })
            .collect(),
        relations: relations_context(site, id),
        backlinks: backlinks_context(site, id),
        toc,
        show_toc: heading_count >= TOC_MIN_HEADINGS,
        word_count: page.body.word_count,
        reading_minutes: reading_minutes(page.body.word_count),
        breadcrumb,
        section: LinkContext {
            title: section.map_or_else(String::new, |s| s.section.title.clone()),
            url: section.map_or_else(|| "/".to_string(), |s| s.path.clone()),
            description: None,
            kind_label: None,
        },
        previous,
        next,
        json_ld,
        health: page.kind.is_health_page(),
        readability: measures.readability(id).map(ReadabilitySummary::from),
    }
}

pub(crate) fn site_context<'a>(site: &'a Site, images: &ImageSizes) -> SiteContext<'a> {
    let config = &site.config;
    SiteContext {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        language: &config.language,
        disclaimer: config.disclaimer.as_deref(),
        default_audience: config.default_audience,
        clinic: clinic_context(site, images),
        theme_options: &config.theme_options,
        extra: &config.extra,
        menu: site
            .top_sections()
            .into_iter()
            .map(|s| MenuItem::for_section(site, s))
            .collect(),
        index_pages: index_pages(site),
        build_year: current_year(),
    }
}

fn current_year() -> i32 {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    // 365.2425 days per Gregorian year; exact enough for a copyright line.
    1970 + (seconds as f64 / (365.2425 * 86_400.0)) as i32
}

/// Serialises once into a tera value.
pub(crate) fn to_value<T: Serialize>(value: &T) -> Value {
    Value::from_serializable(value)
}
