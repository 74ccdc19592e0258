//! The home page's context: featured pages, ways to browse the knowledge
//! graph (by technique, clinical application and body region), a few
//! common questions and the newest articles.

use serde::Serialize;
use tera::Value;

use crate::link::{PageId, Site, SiteSection};
use crate::parse::kind::Kind;
use crate::render::context::{self, borrowed_markdown_html, to_value};
use crate::render::graph_pages::{body_regions, of_kind};
use crate::render::{RenderJob, Renderer};

/// The home page shows this many recent articles.
const HOME_RECENT: usize = 5;
/// Links per browse group; the rest are one click away on the full list.
const BROWSE_ITEMS: usize = 8;
/// Questions shown on the home page.
const FAQ_HIGHLIGHTS: usize = 4;

#[derive(Debug, Serialize)]
struct BrowseLink {
    title: String,
    url: String,
}

/// One way in: "Techniques" with the most connected techniques and a link
/// to all of them.
#[derive(Debug, Serialize)]
struct BrowseGroup {
    id: &'static str,
    title: &'static str,
    path: String,
    all_label: String,
    items: Vec<BrowseLink>,
    total: usize,
}

#[derive(Debug, Serialize)]
struct FaqHighlight {
    question: String,
    answer: String,
    url: String,
    page_title: String,
}

pub(super) fn home_job(renderer: &Renderer<'_>, home: &SiteSection, section_value: Value, origin: String) -> RenderJob {
    let site = renderer.site;
    let featured: Vec<Value> = (0..site.pages.len())
        .filter(|id| site.pages[*id].front.featured)
        .map(|id| renderer.summary(id))
        .collect();
    // Featured articles are already shown above the recent ones.
    let mut articles: Vec<PageId> = (0..site.pages.len())
        .filter(|id| site.pages[*id].kind == Kind::Article && !site.pages[*id].front.featured)
        .collect();
    crate::link::sort_pages(&mut articles, crate::parse::front_matter::SortBy::Date, &site.pages);
    let recent: Vec<Value> = articles
        .iter()
        .take(HOME_RECENT)
        .map(|id| renderer.summary(*id))
        .collect();
    let sections = context::site_context(site, &renderer.theme.image_sizes).menu;
    let vars = vec![
        ("section", section_value),
        ("featured", Value::from(featured)),
        ("recent", Value::from(recent)),
        ("sections", to_value(&sections)),
        ("browse", to_value(&browse_groups(site))),
        ("faq_highlights", to_value(&faq_highlights(renderer))),
    ];
    RenderJob::new("index.html", home.path.clone(), vars, origin)
}

fn browse_groups(site: &Site) -> Vec<BrowseGroup> {
    let techniques = of_kind(site, Kind::Technique);
    let applications = of_kind(site, Kind::Application);
    let mut groups = Vec::new();
    for (id, title, noun, ids) in [
        ("techniques", "Browse by technique", "techniques", &techniques),
        (
            "applications",
            "Browse by clinical application",
            "clinical applications",
            &applications,
        ),
    ] {
        let Some(path) = ids.first().and_then(|first| top_section_path(site, *first)) else {
            continue;
        };
        groups.push(BrowseGroup {
            id,
            title,
            path,
            all_label: format!("All {} {noun}", ids.len()),
            items: most_connected(site, ids)
                .into_iter()
                .take(BROWSE_ITEMS)
                .map(|id| BrowseLink {
                    title: site.pages[id].title.clone(),
                    url: site.pages[id].path.clone(),
                })
                .collect(),
            total: ids.len(),
        });
    }
    let mut regions = body_regions(site, &techniques, &applications);
    if !regions.is_empty() {
        let total = regions.len();
        // The regions with the most pages first: where most readers hurt.
        regions.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        groups.push(BrowseGroup {
            id: "regions",
            title: "Browse by body region",
            path: "/body-regions/".to_string(),
            all_label: format!("All {total} body regions"),
            items: regions
                .into_iter()
                .take(BROWSE_ITEMS)
                .map(|region| BrowseLink {
                    title: region.name,
                    url: region.path,
                })
                .collect(),
            total,
        });
    }
    groups
}

/// The list page of the top-level section holding page `id`.
fn top_section_path(site: &Site, id: PageId) -> Option<String> {
    let chain = site.section_chain(&site.pages[id].section);
    chain.get(1).map(|section| section.path.clone())
}

/// Featured pages first, then those with the most relations in the graph
/// (the broad topics readers look for), then by title.
fn most_connected(site: &Site, ids: &[PageId]) -> Vec<PageId> {
    let graph = &site.graph;
    let connections = |id: PageId| {
        graph.relations[id].applications.len()
            + graph.techniques_using[id].len()
            + graph.children[id].len()
            + graph.related_pages[id].len()
    };
    let mut ranked = ids.to_vec();
    ranked.sort_by(|a, b| {
        let (pa, pb) = (&site.pages[*a], &site.pages[*b]);
        pb.front
            .featured
            .cmp(&pa.front.featured)
            .then_with(|| connections(*b).cmp(&connections(*a)))
            .then_with(|| pa.title.to_lowercase().cmp(&pb.title.to_lowercase()))
    });
    ranked
}

/// The first questions of the FAQ pages (featured pages first, in their
/// section's order), then of other pages.
fn faq_highlights(renderer: &Renderer<'_>) -> Vec<FaqHighlight> {
    let site = renderer.site;
    let mut ids: Vec<PageId> = (0..site.pages.len())
        .filter(|id| !site.pages[*id].faq.is_empty())
        .collect();
    ids.sort_by_key(|id| {
        let page = &site.pages[*id];
        (
            page.kind != Kind::Faq,
            !page.front.featured,
            site.section_positions[*id],
            page.path.clone(),
        )
    });
    ids.iter()
        .flat_map(|id| {
            let page = &site.pages[*id];
            page.faq.iter().map(move |entry| FaqHighlight {
                question: entry.question.clone(),
                answer: borrowed_markdown_html(&entry.answer, &page.path, &renderer.theme.image_sizes),
                url: format!("{}#{}", page.path, entry.anchor),
                page_title: page.title.clone(),
            })
        })
        .take(FAQ_HIGHLIGHTS)
        .collect()
}
