//! Which outputs an edit of some content files changes.
//!
//! A page's output shows, besides its own content, the title, address and
//! description of a few other pages: its section neighbours (previous /
//! next), the pages its relations name, and its backlinks. So an edit that
//! keeps a page's place in the site (title, address, dates, taxonomies,
//! headings...) needs only that page and the pages that show it again, plus
//! every list when what lists show of it changed. Anything else (pages
//! added, removed, renamed, moved, re-dated, section files) renders all.

use std::collections::BTreeSet;

use crate::link::{PageId, Site};
use crate::parse::Page;
use crate::parse::kind::Kind;
use crate::render::context::{link_to, summary, to_value};

/// What to render again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Affected {
    Everything,
    /// These pages, and every list and site file when `lists`.
    Some {
        pages: Vec<PageId>,
        lists: bool,
    },
}

/// Compares the sites before and after an edit of `changed` (root-relative
/// paths of content files).
pub(crate) fn affected(old: &Site, new: &Site, changed: &BTreeSet<String>) -> Affected {
    if old.pages.len() != new.pages.len()
        || old.pages.iter().zip(&new.pages).any(|(a, b)| a.rel_path != b.rel_path)
        || changed
            .iter()
            .any(|path| !path.ends_with(".md") || path.ends_with("/_index.md"))
    {
        return Affected::Everything;
    }
    let mut pages = BTreeSet::new();
    let mut lists = false;
    for path in changed {
        let Ok(id) = new.pages.binary_search_by(|page| page.rel_path.as_str().cmp(path)) else {
            // Neither before nor after (a draft, or a file that failed to parse).
            continue;
        };
        if place_in_site(&old.pages[id]) != place_in_site(&new.pages[id]) {
            return Affected::Everything;
        }
        lists |= dependents(id, &Shown::of(old, id), &Shown::of(new, id), &mut pages);
    }
    Affected::Some {
        pages: pages.into_iter().collect(),
        lists,
    }
}

/// What the rest of the site shows of one page.
pub(crate) struct Shown {
    kind: Kind,
    out_edges: Vec<PageId>,
    /// Its link card (title, address, description).
    link: tera::Value,
    /// Its list entry.
    summary: tera::Value,
    /// The pages showing its link card.
    shown_on: Vec<PageId>,
}

impl Shown {
    pub(crate) fn of(site: &Site, id: PageId) -> Shown {
        Shown {
            kind: site.pages[id].kind,
            out_edges: out_edges(site, id),
            link: to_value(&link_to(site, id)),
            summary: to_value(&summary(site, id)),
            shown_on: shown_on(site, id),
        }
    }
}

/// Adds to `pages` page `id` and the pages that must show its change;
/// returns whether lists (and site files) must be rendered again.
pub(crate) fn dependents(id: PageId, before: &Shown, after: &Shown, pages: &mut BTreeSet<PageId>) -> bool {
    pages.insert(id);
    let edges_changed = before.out_edges != after.out_edges;
    if edges_changed || before.link != after.link {
        pages.extend(&before.shown_on);
        pages.extend(&after.shown_on);
    }
    // Lists show summaries; graph pages show edges; the feed shows
    // articles in full.
    edges_changed || before.summary != after.summary || after.kind == Kind::Article
}

/// What decides where a page appears and how others link to it. Any
/// change here re-renders the whole site.
pub(crate) fn place_in_site(page: &Page) -> String {
    let headings: Vec<&str> = page.body.headings.iter().map(|h| h.id.as_str()).collect();
    let faq: Vec<&str> = page.faq.iter().map(|f| f.anchor.as_str()).collect();
    let aliases: Vec<&str> = page.aliases.iter().map(|(alias, _)| alias.as_str()).collect();
    format!(
        "{:?}",
        (
            (&page.title, &page.path, &page.slug, page.kind, &page.section),
            (
                page.date.as_ref().map(|d| &d.iso),
                page.updated.as_ref().map(|d| &d.iso),
                page.front.weight,
                page.front.featured,
                page.front.draft,
            ),
            (
                &page.categories,
                &page.tags,
                &page.front.synonyms,
                &page.front.body_regions
            ),
            (headings, faq, aliases),
        )
    )
}

/// Pages `id` points at: its declared relations and text links.
fn out_edges(site: &Site, id: PageId) -> Vec<PageId> {
    let relations = &site.graph.relations[id];
    let mut edges: Vec<PageId> = relations
        .applications
        .iter()
        .chain(&relations.techniques)
        .chain(relations.parent.iter())
        .chain(&relations.links_to)
        .copied()
        .collect();
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// Pages whose output shows a link card of `id`: section neighbours, pages
/// whose relations list it, and pages whose backlinks list it.
fn shown_on(site: &Site, id: PageId) -> Vec<PageId> {
    let graph = &site.graph;
    let mut pages = out_edges(site, id);
    pages.extend(&graph.related_pages[id]);
    pages.extend(&graph.techniques_using[id]);
    pages.extend(&graph.children[id]);
    if let Some(section) = site.sections.get(&site.pages[id].section) {
        let position = site.section_positions[id];
        pages.extend(position.checked_sub(1).and_then(|p| section.pages.get(p)));
        pages.extend(section.pages.get(position + 1));
    }
    pages.retain(|&page| page != id);
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::link::link_site;
    use crate::parse::parse_for_test;

    fn site(files: &[(&str, &str)]) -> Site {
        let (content, _) = parse_for_test(files);
        link_site(
            Config::parse("title = \"T\"\nbase_url = \"https://x.org\"\n").unwrap(),
            content,
        )
        .0
    }

    const TECHNIQUE: &str =
        "+++\ntitle = \"Mirror therapy\"\ndescription = \"Mirror.\"\napplications = [\"stroke\"]\n+++\nBody text.\n";
    const STROKE: &str = "+++\ntitle = \"Stroke\"\ndescription = \"Stroke.\"\n+++\nAfter a stroke.\n";
    const OTHER: &str = "+++\ntitle = \"Balance training\"\ndescription = \"Balance.\"\n+++\nStand well.\n";

    fn base() -> Vec<(&'static str, String)> {
        vec![
            ("content/applications/stroke.md", STROKE.to_string()),
            ("content/techniques/balance-training.md", OTHER.to_string()),
            ("content/techniques/mirror-therapy.md", TECHNIQUE.to_string()),
        ]
    }

    fn with(change: &str, text: &str) -> Site {
        let files: Vec<(&str, String)> = base()
            .into_iter()
            .map(|(path, old)| (path, if path == change { text.to_string() } else { old }))
            .collect();
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        site(&refs)
    }

    fn changed(path: &str) -> BTreeSet<String> {
        std::iter::once(path.to_string()).collect()
    }

    const MIRROR: &str = "content/techniques/mirror-therapy.md";

    #[test]
    fn a_body_edit_renders_only_that_page() {
        let old = with("", "");
        let new = with(MIRROR, &TECHNIQUE.replace("Body text.", "New body text."));
        let id = new.pages.iter().position(|p| p.rel_path == MIRROR).unwrap();
        assert_eq!(
            affected(&old, &new, &changed(MIRROR)),
            Affected::Some {
                pages: vec![id],
                lists: false
            }
        );
    }

    #[test]
    fn a_new_description_renders_the_pages_showing_it_and_the_lists() {
        let old = with("", "");
        let new = with(MIRROR, &TECHNIQUE.replace("Mirror.", "A mirror trick."));
        let Affected::Some { pages, lists } = affected(&old, &new, &changed(MIRROR)) else {
            panic!("expected a partial render");
        };
        assert!(lists);
        // The technique, the application listing it, and its section neighbour.
        assert_eq!(pages.len(), 3, "{pages:?}");
    }

    #[test]
    fn a_new_relation_renders_both_ends() {
        let old = with("", "");
        let new = with(MIRROR, &TECHNIQUE.replace("applications = [\"stroke\"]\n", ""));
        let Affected::Some { pages, lists } = affected(&old, &new, &changed(MIRROR)) else {
            panic!("expected a partial render");
        };
        let stroke = new.pages.iter().position(|p| p.title == "Stroke").unwrap();
        assert!(pages.contains(&stroke) && lists);
    }

    #[test]
    fn a_new_title_or_a_new_page_renders_everything() {
        let old = with("", "");
        let renamed = with(MIRROR, &TECHNIQUE.replace("Mirror therapy", "Mirror box therapy"));
        assert_eq!(affected(&old, &renamed, &changed(MIRROR)), Affected::Everything);
        let mut files = base();
        files.push(("content/techniques/new.md", OTHER.replace("Balance", "New")));
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let added = site(&refs);
        assert_eq!(
            affected(&old, &added, &changed("content/techniques/new.md")),
            Affected::Everything
        );
    }
}
