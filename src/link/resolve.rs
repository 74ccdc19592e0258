//! Resolves what pages say about each other: front-matter relations
//! (`applications`, `techniques`, `parent`) and cross-links in text
//! (`[[slug]]`, `[[folder/slug|text]]`, `[[slug#anchor]]`, `[text](@/path.md)`).
//!
//! Links are resolved on the parsed events: each pending link records the
//! index of its `Start(Link)` event, and resolution rewrites that event (and
//! the default link text) in place. Work is split in two passes so the
//! read-only lookup can run in parallel and the rewriting needs no locks.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Position, closest_n};
use crate::link::PageId;
use crate::parse::kind::Kind;
use crate::parse::markdown::{LinkStyle, ParsedMarkdown, PendingLink};
use crate::parse::{LeftOut, Page, Section, SlugRef};

/// Front-matter relations of one page, resolved to page ids.
#[derive(Debug, Clone, Default)]
pub(crate) struct Relations {
    pub(crate) applications: Vec<PageId>,
    pub(crate) techniques: Vec<PageId>,
    pub(crate) parent: Option<PageId>,
    /// Pages this page links to in its text (`[[...]]`, `@/`, mentions).
    pub(crate) links_to: Vec<PageId>,
}

/// A cross-link after resolution.
struct ResolvedLink {
    url: String,
    title: String,
    /// The page linked to (`None` for a section).
    page: Option<PageId>,
}

/// What a link can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Page(PageId),
    Section,
}

impl Target {
    fn page(self) -> Option<PageId> {
        match self {
            Target::Page(id) => Some(id),
            Target::Section => None,
        }
    }
}

/// Lookup tables over every page, built once per link stage.
struct LinkIndex<'a> {
    pages: &'a [Page],
    by_kind_slug: HashMap<(Kind, &'a str), PageId>,
    by_slug: HashMap<&'a str, Vec<PageId>>,
    by_folder_slug: HashMap<String, PageId>,
    by_content_path: HashMap<String, (Target, String)>,
    /// Pages left out of the build, by content path and by slug.
    left_out_by_path: HashMap<&'a str, &'a LeftOut>,
    left_out_by_slug: HashMap<&'a str, &'a LeftOut>,
}

impl<'a> LinkIndex<'a> {
    fn new<'s>(pages: &'a [Page], sections: impl Iterator<Item = &'s Section>, left_out: &'a [LeftOut]) -> Self {
        let mut index = LinkIndex {
            pages,
            by_kind_slug: HashMap::new(),
            by_slug: HashMap::new(),
            by_folder_slug: HashMap::new(),
            by_content_path: HashMap::new(),
            left_out_by_path: left_out.iter().map(|l| (l.content_path.as_str(), l)).collect(),
            left_out_by_slug: left_out.iter().map(|l| (l.slug.as_str(), l)).collect(),
        };
        for (id, page) in pages.iter().enumerate() {
            index.by_kind_slug.insert((page.kind, &page.slug), id);
            index.by_slug.entry(&page.slug).or_default().push(id);
            let top = page.section.split('/').next().unwrap_or("");
            index.by_folder_slug.insert(format!("{top}/{}", page.slug), id);
            index
                .by_folder_slug
                .insert(format!("{}/{}", page.section, page.slug), id);
            let content_path = page.rel_path.trim_start_matches("content/").to_string();
            index
                .by_content_path
                .insert(content_path, (Target::Page(id), page.path.clone()));
        }
        for section in sections {
            if let Some(rel_path) = &section.rel_path {
                index.by_content_path.insert(
                    rel_path.trim_start_matches("content/").to_string(),
                    (Target::Section, section.path()),
                );
            }
        }
        index
    }

    /// The anchors of page `id`: its heading ids and FAQ anchors. Scanned
    /// per link with an anchor (few), not collected for every page.
    fn anchors(&self, id: PageId) -> impl Iterator<Item = &'a str> + use<'a> {
        let page = &self.pages[id];
        page.body
            .headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(page.faq.iter().map(|f| f.anchor.as_str()))
    }

    fn slugs_of_kind(&self, kind: Kind) -> impl Iterator<Item = &'a str> + '_ {
        self.pages
            .iter()
            .filter(move |p| p.kind == kind)
            .map(|p| p.slug.as_str())
    }

    /// Resolves one front-matter slug of the wanted kind.
    fn relation(
        &self,
        page: &Page,
        reference: &SlugRef,
        kind: Kind,
        key: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<PageId> {
        if let Some(id) = self.by_kind_slug.get(&(kind, reference.slug.as_str())) {
            return Some(*id);
        }
        if let Some(left) = self.left_out_by_slug.get(reference.slug.as_str()) {
            if left.draft {
                diagnostics.push(draft_target(
                    &page.rel_path,
                    reference.position,
                    format!("`{key}` names `{}`", reference.slug),
                    left,
                ));
            }
            return None;
        }
        let candidates = closest_n(&reference.slug, self.slugs_of_kind(kind), 3);
        let mut diagnostic = Diagnostic::error(
            &page.rel_path,
            reference.position,
            format!(
                "`{key}` names `{}`, but there is no {} page with that slug",
                reference.slug,
                kind.name()
            ),
        );
        diagnostic = if candidates.is_empty() {
            diagnostic.with_hint(format!(
                "{key} takes slugs (file names without .md) of {} pages",
                kind.name()
            ))
        } else {
            diagnostic.with_hint(format!("did you mean {}?", quote_list(&candidates)))
        };
        diagnostics.push(diagnostic);
        None
    }

    /// Resolves a cross-link: the URL to write and the target's title.
    fn link(&self, from: &str, link: &PendingLink, diagnostics: &mut Diagnostics) -> Option<ResolvedLink> {
        let (target, anchor) = match link.target.split_once('#') {
            Some((target, anchor)) => (target, Some(anchor)),
            None => (link.target.as_str(), None),
        };
        let (resolved, path, title) = match link.style {
            LinkStyle::ContentPath => {
                let content_path = target.trim_start_matches("@/");
                match self.by_content_path.get(content_path) {
                    Some((resolved, path)) => {
                        let title = match resolved {
                            Target::Page(id) => self.pages[*id].title.clone(),
                            Target::Section => String::new(),
                        };
                        (*resolved, path.clone(), title)
                    }
                    None if let Some(left) = self.left_out_by_path.get(content_path) => {
                        if left.draft {
                            diagnostics.push(draft_target(from, link.position, format!("link to `{target}`"), left));
                        }
                        return None;
                    }
                    None => {
                        let keys: Vec<&str> = self.by_content_path.keys().map(String::as_str).collect();
                        let candidates: Vec<String> = closest_n(content_path, keys, 3)
                            .into_iter()
                            .map(|c| format!("@/{c}"))
                            .collect();
                        let diagnostic = Diagnostic::error(
                            from,
                            link.position,
                            format!("link to `{target}`: no such file under content/"),
                        );
                        diagnostics.push(with_candidates(
                            diagnostic,
                            &candidates,
                            "write the path under content/, such as @/techniques/mirror-therapy.md",
                        ));
                        return None;
                    }
                }
            }
            LinkStyle::Wiki { .. } => {
                let id = self.wiki_target(from, link, target, diagnostics)?;
                (
                    Target::Page(id),
                    self.pages[id].path.clone(),
                    self.pages[id].title.clone(),
                )
            }
        };
        let Some(anchor) = anchor.filter(|a| !a.is_empty()) else {
            return Some(ResolvedLink {
                url: path,
                title,
                page: resolved.page(),
            });
        };
        if let Target::Page(id) = resolved
            && !self.anchors(id).any(|known| known == anchor)
        {
            let candidates: Vec<String> = closest_n(anchor, self.anchors(id), 3)
                .into_iter()
                .map(|c| format!("#{c}"))
                .collect();
            let diagnostic = Diagnostic::error(
                from,
                link.position,
                format!(
                    "link to `{}`: {} has no heading or FAQ entry with anchor `#{anchor}`",
                    link.target, self.pages[id].rel_path
                ),
            );
            diagnostics.push(with_candidates(
                diagnostic,
                &candidates,
                "anchors are heading texts in lower case with dashes, or faq- plus the question",
            ));
            return None;
        }
        Some(ResolvedLink {
            url: format!("{path}#{anchor}"),
            title,
            page: resolved.page(),
        })
    }

    /// The page left out of the site that `[[folder/slug]]` names: its
    /// slug is the last part, and its file lies under the folder.
    fn left_out_in_folder(&self, target: &str) -> Option<&'a LeftOut> {
        let (folder, slug) = target.rsplit_once('/')?;
        let left = self.left_out_by_slug.get(slug)?;
        left.content_path.starts_with(&format!("{folder}/")).then_some(*left)
    }

    fn wiki_target(
        &self,
        from: &str,
        link: &PendingLink,
        target: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<PageId> {
        let target = target.trim().trim_matches('/');
        if target.is_empty() {
            diagnostics.push(
                Diagnostic::error(from, link.position, format!("link `[[{}]]` names no page", link.target))
                    .with_hint("a wikilink names a page, as in [[mirror-therapy#how-it-works]]; for a heading of this page write [text](#anchor)"),
            );
            return None;
        }
        if target.contains('/') {
            if let Some(id) = self.by_folder_slug.get(target) {
                return Some(*id);
            }
            if let Some(left) = self.left_out_in_folder(target) {
                if left.draft {
                    diagnostics.push(draft_target(
                        from,
                        link.position,
                        format!("link to `[[{target}]]`"),
                        left,
                    ));
                }
                return None;
            }
            let keys: Vec<&str> = self.by_folder_slug.keys().map(String::as_str).collect();
            let candidates: Vec<String> = closest_n(target, keys, 3)
                .into_iter()
                .map(|c| format!("[[{c}]]"))
                .collect();
            let diagnostic = Diagnostic::error(from, link.position, format!("link to `[[{target}]]`: no such page"));
            diagnostics.push(with_candidates(
                diagnostic,
                &candidates,
                "write [[folder/slug]] with the top-level folder, such as [[applications/stroke]]",
            ));
            return None;
        }
        match self.by_slug.get(target).map(Vec::as_slice) {
            Some([id]) => Some(*id),
            Some(many) => {
                let mut candidates: Vec<String> = many
                    .iter()
                    .map(|id| {
                        format!(
                            "[[{}/{}]]",
                            self.pages[*id].section.split('/').next().unwrap_or(""),
                            target
                        )
                    })
                    .collect();
                // Two pages of one kind with one slug are already a clash error.
                candidates.dedup();
                diagnostics.push(
                    Diagnostic::error(
                        from,
                        link.position,
                        format!(
                            "link to `[[{target}]]` is ambiguous: {} pages have that slug",
                            many.len()
                        ),
                    )
                    .with_hint(format!("name the folder: {}", candidates.join(" or "))),
                );
                None
            }
            None if let Some(left) = self.left_out_by_slug.get(target) => {
                if left.draft {
                    diagnostics.push(draft_target(
                        from,
                        link.position,
                        format!("link to `[[{target}]]`"),
                        left,
                    ));
                }
                None
            }
            None => {
                let candidates: Vec<String> = closest_n(target, self.by_slug.keys().copied(), 3)
                    .into_iter()
                    .map(|c| format!("[[{c}]]"))
                    .collect();
                let diagnostic = Diagnostic::error(
                    from,
                    link.position,
                    format!("link to `[[{target}]]`: no page has that slug"),
                );
                diagnostics.push(with_candidates(
                    diagnostic,
                    &candidates,
                    "a page's slug is its file name without .md",
                ));
                None
            }
        }
    }
}

/// A link or relation to a draft: the page exists but this build leaves
/// it out. (A page with errors of its own gets no message here: its own
/// errors say what to fix.)
fn draft_target(from: &str, position: Position, what: String, left: &LeftOut) -> Diagnostic {
    Diagnostic::error(
        from,
        position,
        format!("{what}: content/{} is a draft (draft = true), left out of this build", left.content_path),
    )
    .with_hint("preview with `praxis build --drafts` or `praxis serve --drafts`; publish the page, or remove the link until it is published")
}

fn quote_list(items: &[&str]) -> String {
    items.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
}

fn with_candidates(diagnostic: Diagnostic, candidates: &[String], fallback: &str) -> Diagnostic {
    if candidates.is_empty() {
        diagnostic.with_hint(fallback)
    } else {
        diagnostic.with_hint(format!("did you mean {}?", candidates.join(", ")))
    }
}

/// Where in a page a link stands: the body, or the answer of FAQ entry N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkHome {
    Body,
    Faq(usize),
}

/// One link rewrite computed in the read-only pass.
struct Rewrite {
    home: LinkHome,
    event_index: usize,
    url: String,
    /// Replaces the link text when the writer gave none.
    text: Option<String>,
}

/// Resolves every relation and link, rewriting link events in place.
pub(crate) fn resolve_all(
    pages: &mut [Page],
    sections: &mut std::collections::BTreeMap<String, Section>,
    left_out: &[LeftOut],
    diagnostics: &mut Diagnostics,
) -> Vec<Relations> {
    let index = LinkIndex::new(pages, sections.values(), left_out);
    let results: Vec<(Relations, Vec<Rewrite>, Diagnostics)> =
        pages.par_iter().map(|page| resolve_page(&index, page)).collect();
    // Section intros (`_index.md` text) may link too; there are few of them.
    let mut section_rewrites: Vec<(String, Vec<Rewrite>)> = Vec::new();
    for section in sections.values() {
        let Some(from) = &section.rel_path else { continue };
        let rewrites = section
            .intro
            .links
            .iter()
            .filter_map(|link| {
                let resolved = index.link(from, link, diagnostics)?;
                let wants_title =
                    matches!(link.style, LinkStyle::Wiki { has_text: false }) && !resolved.title.is_empty();
                Some(Rewrite {
                    home: LinkHome::Body,
                    event_index: link.event_index,
                    url: resolved.url,
                    text: wants_title.then_some(resolved.title),
                })
            })
            .collect();
        section_rewrites.push((section.key.clone(), rewrites));
    }
    drop(index);
    for (key, mut rewrites) in section_rewrites {
        if let Some(section) = sections.get_mut(&key) {
            rewrites.sort_by_key(|r| std::cmp::Reverse(r.event_index));
            for rewrite in &rewrites {
                apply(&mut section.intro, rewrite);
            }
            section.intro.refresh_text();
        }
    }

    let mut all_relations = Vec::with_capacity(pages.len());
    for (page, (relations, rewrites, found)) in pages.iter_mut().zip(results) {
        diagnostics.extend(found);
        apply_rewrites(page, rewrites);
        all_relations.push(relations);
    }
    all_relations
}

/// Resolves one page's relations and links, read-only: the rewrites are
/// applied afterwards by [`apply_rewrites`].
fn resolve_page(index: &LinkIndex<'_>, page: &Page) -> (Relations, Vec<Rewrite>, Diagnostics) {
    let mut found = Diagnostics::new();
    let mut links_to = Vec::new();
    let mut relations = Relations {
        applications: page
            .relations
            .applications
            .iter()
            .filter_map(|r| index.relation(page, r, Kind::Application, "applications", &mut found))
            .collect(),
        techniques: page
            .relations
            .techniques
            .iter()
            .filter_map(|r| index.relation(page, r, Kind::Technique, "techniques", &mut found))
            .collect(),
        parent: page
            .relations
            .parent
            .as_ref()
            .and_then(|r| index.relation(page, r, Kind::Application, "parent", &mut found)),
        links_to: Vec::new(),
    };
    let mut rewrites = Vec::new();
    let homes = std::iter::once((LinkHome::Body, &page.body))
        .chain(page.faq.iter().enumerate().map(|(i, f)| (LinkHome::Faq(i), &f.answer)));
    for (home, markdown) in homes {
        for link in &markdown.links {
            if let Some(resolved) = index.link(&page.rel_path, link, &mut found) {
                let wants_title =
                    matches!(link.style, LinkStyle::Wiki { has_text: false }) && !resolved.title.is_empty();
                if let Some(target) = resolved.page.filter(|target| !links_to.contains(target)) {
                    links_to.push(target);
                }
                rewrites.push(Rewrite {
                    home,
                    event_index: link.event_index,
                    url: resolved.url,
                    text: wants_title.then_some(resolved.title),
                });
            }
        }
    }
    relations.links_to = links_to;
    (relations, rewrites, found)
}

/// Rewrites a page's link events as resolved; last first, because
/// replacing link text changes the number of events after it.
fn apply_rewrites(page: &mut Page, mut rewrites: Vec<Rewrite>) {
    rewrites.sort_by_key(|r| std::cmp::Reverse(r.event_index));
    let mut stale_text = Vec::new();
    for rewrite in rewrites {
        apply(markdown_at(page, rewrite.home), &rewrite);
        if rewrite.text.is_some() && !stale_text.contains(&rewrite.home) {
            stale_text.push(rewrite.home);
        }
    }
    for home in stale_text {
        markdown_at(page, home).refresh_text();
    }
}

/// Resolves one re-parsed page against the other pages of a linked site
/// (`pages` may hold the page's previous version: its addresses and
/// anchors are the same).
pub(crate) fn resolve_one<'s>(
    pages: &[Page],
    sections: impl Iterator<Item = &'s Section>,
    page: &mut Page,
) -> (Relations, Diagnostics) {
    let index = LinkIndex::new(pages, sections, &[]);
    let (relations, rewrites, diagnostics) = resolve_page(&index, page);
    drop(index);
    apply_rewrites(page, rewrites);
    (relations, diagnostics)
}

fn markdown_at(page: &mut Page, home: LinkHome) -> &mut ParsedMarkdown {
    match home {
        LinkHome::Body => &mut page.body,
        LinkHome::Faq(i) => &mut page.faq[i].answer,
    }
}

fn apply(markdown: &mut ParsedMarkdown, rewrite: &Rewrite) {
    let events = &mut markdown.events;
    let Some(Event::Start(Tag::Link { title, id, .. })) = events.get(rewrite.event_index).cloned() else {
        return;
    };
    events[rewrite.event_index] = Event::Start(Tag::Link {
        link_type: LinkType::Inline,
        dest_url: CowStr::from(rewrite.url.clone()),
        title,
        id,
    });
    if let Some(text) = &rewrite.text {
        let start = rewrite.event_index + 1;
        let end = events[start..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Link)))
            .map_or(start, |offset| start + offset);
        events.splice(start..end, std::iter::once(Event::Text(CowStr::from(text.clone()))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_for_test;

    fn resolve(files: &[(&str, &str)]) -> (Vec<Page>, Vec<Relations>, Vec<crate::diagnostics::Diagnostic>) {
        let (mut content, parse_diagnostics) = parse_for_test(files);
        assert!(!parse_diagnostics.has_errors(), "{:?}", parse_diagnostics.sorted());
        let mut diagnostics = Diagnostics::new();
        content.pages.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        let relations = resolve_all(
            &mut content.pages,
            &mut content.sections,
            &content.left_out,
            &mut diagnostics,
        );
        (content.pages, relations, diagnostics.sorted())
    }

    const STROKE: (&str, &str) = (
        "content/applications/stroke.md",
        "+++\ntitle = 'Stroke'\n+++\n## Signs\n",
    );
    const MIRROR: (&str, &str) = (
        "content/techniques/mirror-therapy.md",
        "+++\ntitle = 'Mirror therapy'\napplications = ['stroke']\n+++\nText.\n",
    );

    #[test]
    fn relations_and_links_resolve_to_pages() {
        let article = (
            "content/articles/a.md",
            "+++\ntitle = 'A'\ntechniques = ['mirror-therapy']\n+++\nSee [[mirror-therapy]], [[stroke#signs|signs]] and [x](@/applications/stroke.md).\n",
        );
        let (pages, relations, diagnostics) = resolve(&[STROKE, MIRROR, article]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let id = |slug: &str| pages.iter().position(|p| p.slug == slug).unwrap();
        assert_eq!(relations[id("mirror-therapy")].applications, [id("stroke")]);
        assert_eq!(relations[id("a")].techniques, [id("mirror-therapy")]);
        assert_eq!(relations[id("a")].links_to, [id("mirror-therapy"), id("stroke")]);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pages[id("a")].body.events.iter().cloned());
        assert!(
            html.contains("<a href=\"/techniques/mirror-therapy/\">Mirror therapy</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"/applications/stroke/#signs\">signs</a>"),
            "{html}"
        );
        assert!(pages[id("a")].body.text.contains("See Mirror therapy,"));
    }

    #[test]
    fn unknown_relation_slug_suggests_the_closest() {
        let technique = (
            "content/techniques/t.md",
            "+++\ntitle = 'T'\napplications = ['strok']\n+++\n",
        );
        let (_, _, diagnostics) = resolve(&[STROKE, technique]);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!((diagnostics[0].line, diagnostics[0].col), (3, 17));
        assert_eq!(diagnostics[0].hint.as_deref(), Some("did you mean `stroke`?"));
    }

    #[test]
    fn ambiguous_bare_slug_names_both_folders() {
        let same = ("content/techniques/stroke.md", "+++\ntitle = 'Stroke drills'\n+++\n");
        let article = ("content/articles/a.md", "+++\ntitle = 'A'\n+++\nSee [[stroke]].\n");
        let (_, _, diagnostics) = resolve(&[STROKE, same, article]);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(diagnostics[0].message.contains("ambiguous"));
        let hint = diagnostics[0].hint.as_deref().unwrap();
        assert!(
            hint.contains("[[applications/stroke]]") && hint.contains("[[techniques/stroke]]"),
            "{hint}"
        );
        assert_eq!((diagnostics[0].line, diagnostics[0].col), (4, 5));
    }

    #[test]
    fn unknown_anchor_lists_real_anchors() {
        let article = ("content/articles/a.md", "+++\ntitle = 'A'\n+++\n[[stroke#sings]]\n");
        let (_, _, diagnostics) = resolve(&[STROKE, article]);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].hint.as_deref(), Some("did you mean #signs?"));
    }
}
