//! Link stage: all parsed pages -> one [`Site`], built once and then shared
//! read-only by render, search and check.
//!
//! Here the pages learn about each other: sections get their ordered pages
//! and sub-sections, taxonomies collect their terms, front-matter relations
//! and `[[...]]` / `@/` links in text are resolved to pages (rewriting the
//! parsed events in place), and aliases are checked against real addresses.

pub(crate) mod graph;
pub(crate) mod mentions;
pub(crate) mod resolve;
pub(crate) mod taxonomy;

use std::collections::HashMap;

use percent_encoding::percent_decode_str;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Rule};
use crate::parse::front_matter::SortBy;
use crate::parse::slug::{MAX_PATH_BYTES, MAX_SEGMENT_BYTES, overlong_segment};
use crate::parse::{Page, ParsedContent, Section};
pub(crate) use graph::Graph;
pub(crate) use resolve::Relations;
pub(crate) use taxonomy::{Taxonomy, Term};

/// Index of a page in [`Site::pages`].
pub(crate) type PageId = usize;

/// A section with its place in the tree and its pages in display order.
#[derive(Debug)]
pub(crate) struct SiteSection {
    pub(crate) section: Section,
    pub(crate) path: String,
    /// Pages directly in this folder, sorted by the section's `sort_by`.
    pub(crate) pages: Vec<PageId>,
    /// Keys of direct sub-sections, by weight then title.
    pub(crate) subsections: Vec<String>,
    /// Key of the parent section (`None` for the home page).
    pub(crate) parent: Option<String>,
}

/// The whole site after linking.
#[derive(Debug)]
pub struct Site {
    pub(crate) config: Config,
    pub(crate) pages: Vec<Page>,
    /// By key; `""` is the home page.
    pub(crate) sections: HashMap<String, SiteSection>,
    /// Relations both ways between techniques, applications and the pages
    /// that discuss them.
    pub(crate) graph: Graph,
    pub(crate) taxonomies: Vec<Taxonomy>,
    /// Each page's index in its section's ordered `pages`, for neighbours.
    pub(crate) section_positions: Vec<usize>,
}

impl Site {
    /// Top-level sections for navigation, by weight then title.
    pub(crate) fn top_sections(&self) -> Vec<&SiteSection> {
        self.sections
            .get("")
            .map(|home| {
                home.subsections
                    .iter()
                    .filter_map(|key| self.sections.get(key))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The chain of sections from the home page down to `key`, inclusive.
    pub(crate) fn section_chain(&self, key: &str) -> Vec<&SiteSection> {
        let mut chain = Vec::new();
        let mut current = self.sections.get(key);
        while let Some(section) = current {
            chain.push(section);
            current = section.parent.as_deref().and_then(|parent| self.sections.get(parent));
        }
        chain.reverse();
        chain
    }
}

/// Builds the [`Site`] and reports every unresolved reference.
pub(crate) fn link_site(config: Config, content: ParsedContent) -> (Site, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let ParsedContent {
        mut pages,
        mut sections,
        left_out,
    } = content;
    pages.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));

    let mut found = Diagnostics::new();
    let mut relations = resolve::resolve_all(&mut pages, &mut sections, &left_out, &mut found);
    diagnostics.extend(found.tag(Rule::Link));
    if config.links.auto_link {
        link_mentions(&mut pages, &mut relations);
    }
    let graph = Graph::build(&pages, relations);
    graph::check_graph(&pages, &graph, &left_out, &mut diagnostics);
    let mut found = Diagnostics::new();
    let taxonomies = taxonomy::collect(&pages, &mut found);
    diagnostics.extend(found.tag(Rule::Taxonomy));
    let sections = build_sections(sections, &pages);
    let mut found = Diagnostics::new();
    check_aliases(&pages, &sections, &mut found);
    diagnostics.extend(found.tag(Rule::Alias));
    let mut section_positions = vec![0; pages.len()];
    for section in sections.values() {
        for (position, id) in section.pages.iter().enumerate() {
            section_positions[*id] = position;
        }
    }

    (
        Site {
            config,
            pages,
            sections,
            graph,
            taxonomies,
            section_positions,
        },
        diagnostics,
    )
}

/// Links one re-parsed page into a linked site, read-only, for `serve`:
/// the page must keep its place (address, title, kind, anchors...), so
/// every other page's links stay as they are. Returns the linked page, its
/// relations and the problems found in it.
/// `mentions` is the site's [`mentions::MentionMatcher`], kept by the caller
/// because titles and synonyms do not change in such an edit.
pub(crate) fn link_one(
    site: &Site,
    id: PageId,
    mut page: Page,
    matcher: &mentions::MentionMatcher,
) -> (Page, Relations, Diagnostics) {
    let sections = site.sections.values().map(|s| &s.section);
    let (mut relations, diagnostics) = resolve::resolve_one(&site.pages, sections, &mut page);
    let diagnostics = diagnostics.tag(Rule::Link);
    if site.config.links.auto_link {
        link_page_mentions(matcher, &mut page, id, &mut relations);
    }
    (page, relations, diagnostics)
}

/// The graph of `site` with some pages' relations replaced, and the
/// problems [`graph::check_graph`] finds in it.
pub(crate) fn regraph(site: &Site, changes: impl IntoIterator<Item = (PageId, Relations)>) -> (Graph, Vec<Diagnostic>) {
    let mut all = site.graph.relations.clone();
    for (id, relations) in changes {
        all[id] = relations;
    }
    let graph = Graph::build(&site.pages, all);
    let mut diagnostics = Diagnostics::new();
    // A good site has no page with errors left out.
    graph::check_graph(&site.pages, &graph, &[], &mut diagnostics);
    (graph, diagnostics.into_iter().collect())
}

/// The problems [`graph::check_graph`] finds in `site` as it is.
pub(crate) fn graph_problems(site: &Site) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    graph::check_graph(&site.pages, &site.graph, &[], &mut diagnostics);
    diagnostics
}

/// Turns first mentions of techniques and applications into links, in
/// parallel, after explicit links are resolved (a page that already links to
/// a target gets no second link to it).
fn link_mentions(pages: &mut [Page], relations: &mut [Relations]) {
    use rayon::prelude::*;
    let matcher = mentions::MentionMatcher::new(pages);
    pages
        .par_iter_mut()
        .zip(relations.par_iter_mut())
        .enumerate()
        .for_each(|(id, (page, relation))| link_page_mentions(&matcher, page, id, relation));
}

/// Links one page's first mentions, skipping targets it already links to.
fn link_page_mentions(matcher: &mentions::MentionMatcher, page: &mut Page, id: PageId, relations: &mut Relations) {
    let mut skip: std::collections::HashSet<PageId> = relations.links_to.iter().copied().collect();
    let linked = matcher.link_mentions(&mut page.body, id, &mut skip);
    relations.links_to.extend(linked);
}

fn build_sections(
    sections: std::collections::BTreeMap<String, Section>,
    pages: &[Page],
) -> HashMap<String, SiteSection> {
    let mut tree: HashMap<String, SiteSection> = sections
        .into_iter()
        .map(|(key, section)| {
            let parent = if key.is_empty() {
                None
            } else {
                Some(
                    key.rsplit_once('/')
                        .map_or(String::new(), |(parent, _)| parent.to_string()),
                )
            };
            let path = section.path();
            (
                key,
                SiteSection {
                    section,
                    path,
                    pages: Vec::new(),
                    subsections: Vec::new(),
                    parent,
                },
            )
        })
        .collect();
    for (id, page) in pages.iter().enumerate() {
        if let Some(section) = tree.get_mut(&page.section) {
            section.pages.push(id);
        }
    }
    let mut children: Vec<(String, String, i64, String)> = tree
        .iter()
        .filter_map(|(key, s)| {
            s.parent
                .clone()
                .map(|parent| (parent, key.clone(), s.section.weight, s.section.title.clone()))
        })
        .collect();
    children.sort_by_key(|child| (child.2, child.3.to_lowercase()));
    for (parent, key, _, _) in children {
        if let Some(section) = tree.get_mut(&parent) {
            section.subsections.push(key);
        }
    }
    for section in tree.values_mut() {
        sort_pages(&mut section.pages, section.section.sort_by, pages);
    }
    tree
}

/// Orders page ids as a section's `sort_by` asks; ties fall back to title,
/// then path, so the order never depends on thread timing.
pub(crate) fn sort_pages(ids: &mut [PageId], sort_by: SortBy, pages: &[Page]) {
    let title_key = |id: &PageId| (pages[*id].title.to_lowercase(), pages[*id].path.clone());
    match sort_by {
        SortBy::Date => ids.sort_by(|a, b| {
            let date = |id: &PageId| pages[*id].date.as_ref().map(|d| d.timestamp);
            // Newest first; undated pages after dated ones.
            match (date(a), date(b)) {
                (Some(x), Some(y)) => y.cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| title_key(a).cmp(&title_key(b)))
        }),
        SortBy::Title => ids.sort_by_key(title_key),
        SortBy::Weight => ids.sort_by(|a, b| {
            pages[*a]
                .front
                .weight
                .cmp(&pages[*b].front.weight)
                .then_with(|| title_key(a).cmp(&title_key(b)))
        }),
    }
}

/// An alias may not take the address of a page, a section or another alias.
fn check_aliases(pages: &[Page], sections: &HashMap<String, SiteSection>, diagnostics: &mut Diagnostics) {
    let mut taken: HashMap<String, String> = pages.iter().map(|p| (p.path.clone(), p.rel_path.clone())).collect();
    for section in sections.values() {
        taken.insert(
            section.path.clone(),
            section
                .section
                .rel_path
                .clone()
                .unwrap_or_else(|| format!("content/{}", section.section.key)),
        );
    }
    for page in pages {
        for (written, position) in &page.aliases {
            let normalised = normalise_alias(written);
            // Checked as decoded: `%2E%2E` is `..` to a web server.
            let decoded = percent_decode_str(written).decode_utf8();
            let alias = decoded.as_deref().unwrap_or(written);
            if alias.contains(['?', '#']) {
                diagnostics.push(
                    Diagnostic::error(
                        &page.rel_path,
                        *position,
                        format!("alias `{written}` has a query or fragment"),
                    )
                    .with_hint(
                        "a static host serves an alias as a folder: write only the path, such as \"/old/address/\"",
                    ),
                );
            } else if decoded.is_err()
                || written.to_ascii_lowercase().contains("%2f")
                || alias.contains(char::is_control)
            {
                diagnostics.push(
                    Diagnostic::error(&page.rel_path, *position, format!("alias `{written}` has an escape that names no folder"))
                        .with_hint("write the path as a visitor's address bar shows it, such as \"/café/\" or \"/caf%C3%A9/\", with plain `/`"),
                );
            } else if !alias.starts_with('/') || alias.contains("..") || alias.contains("://") {
                diagnostics.push(
                    Diagnostic::error(
                        &page.rel_path,
                        *position,
                        format!("alias `{written}` is not a site path"),
                    )
                    .with_hint("write aliases as paths from the site root, such as \"/old/address/\""),
                );
            } else if alias.len() > MAX_PATH_BYTES {
                diagnostics.push(
                    Diagnostic::error(
                        &page.rel_path,
                        *position,
                        format!("alias is {} bytes long, more than an address can hold", alias.len()),
                    )
                    .with_hint(format!("keep an alias under {MAX_PATH_BYTES} bytes")),
                );
            } else if let Some(segment) = overlong_segment(alias) {
                diagnostics.push(
                    Diagnostic::error(
                        &page.rel_path,
                        *position,
                        format!(
                            "an alias has a part {} bytes long, more than an address can hold",
                            segment.len()
                        ),
                    )
                    .with_hint(format!("keep each part of an alias under {MAX_SEGMENT_BYTES} bytes")),
                );
            } else if let Some(owner) = taken.insert(normalised.clone(), page.rel_path.clone()) {
                diagnostics.push(
                    Diagnostic::error(
                        &page.rel_path,
                        *position,
                        format!("alias `{written}` is already the address of {owner}"),
                    )
                    .with_hint("remove the alias or change the other page's address"),
                );
            }
        }
    }
}

/// `/old/page` and `/old/page/` are the same address; `/old.html` stays a
/// file. Escapes are decoded (`/caf%C3%A9/` is `/café/`), as a web server
/// decodes an address before it looks for the folder.
pub(crate) fn normalise_alias(alias: &str) -> String {
    let alias = percent_decode_str(alias).decode_utf8_lossy();
    if alias.ends_with(".html") || alias.ends_with('/') {
        alias.to_string()
    } else {
        format!("{alias}/")
    }
}
