//! Automatic mention links (`[links] auto_link`): the first mention of a
//! technique's or clinical application's title or synonym in a page's prose
//! becomes a link to it.
//!
//! One Aho-Corasick automaton over every title and synonym is built once per
//! build and shared by all threads; each page's text events are scanned once.
//! Matching is case-insensitive and leftmost-longest, so "neuromuscular
//! electrical stimulation" wins over "electrical stimulation". Short
//! all-capital abbreviations ("MS", "PT") must match their case exactly, or
//! "ms" in "200 ms" would become multiple sclerosis.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::link::PageId;
use crate::parse::Page;
use crate::parse::kind::Kind;
use crate::parse::markdown::ParsedMarkdown;

/// What one pattern of the automaton stands for.
#[derive(Debug, Clone)]
struct MentionTarget {
    page: PageId,
    /// The name as written, for case-sensitive abbreviations.
    name: String,
    case_sensitive: bool,
}

/// The shared matcher over all technique and application names.
pub(crate) struct MentionMatcher {
    automaton: Option<AhoCorasick>,
    targets: Vec<MentionTarget>,
    paths: Vec<String>,
}

/// An abbreviation such as "MS", "ACL", "TKA": matched with its case.
fn is_abbreviation(name: &str) -> bool {
    name.chars().count() <= 5
        && name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

impl MentionMatcher {
    pub(crate) fn new(pages: &[Page]) -> MentionMatcher {
        let mut targets = Vec::new();
        for (id, page) in pages.iter().enumerate() {
            if !matches!(page.kind, Kind::Technique | Kind::Application) {
                continue;
            }
            for name in std::iter::once(&page.title).chain(&page.front.synonyms) {
                let name = name.trim();
                if name.chars().count() < 2 {
                    continue;
                }
                let case_sensitive = is_abbreviation(name);
                targets.push(MentionTarget {
                    page: id,
                    name: name.to_string(),
                    case_sensitive,
                });
                // Smart punctuation turns ' into ’ in the text; match both.
                if name.contains('\'') {
                    targets.push(MentionTarget {
                        page: id,
                        name: name.replace('\'', "\u{2019}"),
                        case_sensitive,
                    });
                }
            }
        }
        let automaton = if targets.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                // A full DFA: built once per site, then scans every page's text.
                .kind(Some(AhoCorasickKind::DFA))
                .build(targets.iter().map(|t| t.name.as_str()))
                .ok()
        };
        MentionMatcher {
            automaton,
            targets,
            paths: pages.iter().map(|p| p.path.clone()).collect(),
        }
    }

    /// Links the first mention of each target in `markdown` (never `own`,
    /// never a target in `skip`, which grows with every link made), and
    /// returns the pages linked.
    pub(crate) fn link_mentions(
        &self,
        markdown: &mut ParsedMarkdown,
        own: PageId,
        skip: &mut HashSet<PageId>,
    ) -> Vec<PageId> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        skip.insert(own);
        let mut linked = Vec::new();
        let mut out: Vec<Event<'static>> = Vec::with_capacity(markdown.events.len() + 8);
        // Inside headings, links and images nothing is linked.
        let mut blocked_depth = 0usize;
        for event in std::mem::take(&mut markdown.events) {
            match &event {
                Event::Start(Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. }) => blocked_depth += 1,
                Event::End(TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image) => {
                    blocked_depth = blocked_depth.saturating_sub(1)
                }
                _ => {}
            }
            match event {
                Event::Text(text) if blocked_depth == 0 => {
                    self.split_text(automaton, text, skip, &mut linked, &mut out);
                }
                other => out.push(other),
            }
        }
        markdown.events = out;
        linked
    }

    fn split_text(
        &self,
        automaton: &AhoCorasick,
        text: CowStr<'static>,
        skip: &mut HashSet<PageId>,
        linked: &mut Vec<PageId>,
        out: &mut Vec<Event<'static>>,
    ) {
        let mut cursor = 0;
        for found in automaton.find_iter(text.as_ref()) {
            let target = &self.targets[found.pattern().as_usize()];
            let matched = &text[found.start()..found.end()];
            if skip.contains(&target.page)
                || (target.case_sensitive && matched != target.name)
                || !is_word_boundary(&text, found.start(), found.end())
            {
                continue;
            }
            skip.insert(target.page);
            linked.push(target.page);
            if found.start() > cursor {
                out.push(Event::Text(CowStr::from(text[cursor..found.start()].to_string())));
            }
            out.push(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::from(self.paths[target.page].clone()),
                title: CowStr::from(""),
                id: CowStr::from(""),
            }));
            out.push(Event::Text(CowStr::from(matched.to_string())));
            out.push(Event::End(TagEnd::Link));
            cursor = found.end();
        }
        if cursor == 0 {
            out.push(Event::Text(text));
        } else if cursor < text.len() {
            out.push(Event::Text(CowStr::from(text[cursor..].to_string())));
        }
    }
}

/// Whole words only: no letter or digit right before or after the match.
fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;
    use crate::parse::markdown::{MarkdownOptions, MarkdownSource, parse_markdown};
    use crate::parse::slug::AnchorSet;

    fn page(kind: Kind, title: &str, synonyms: &[&str], path: &str) -> Page {
        let text = format!("+++\ntitle = '{title}'\n+++\n");
        let file = crate::load::SourceFile {
            rel_path: "content/x.md".into(),
            content_path: "x.md".into(),
            text: text.into(),
        };
        let config = crate::config::Config::parse("title = 't'\nbase_url = 'https://e.org'").unwrap();
        let (content, _) = crate::parse::parse_content(&[file], &config, false);
        let mut page = content.pages.into_iter().next().unwrap();
        page.kind = kind;
        page.front.synonyms = synonyms.iter().map(|s| s.to_string()).collect();
        page.path = path.to_string();
        page
    }

    fn pages() -> Vec<Page> {
        vec![
            page(Kind::Technique, "Electrical stimulation", &[], "/techniques/es/"),
            page(
                Kind::Technique,
                "Neuromuscular electrical stimulation",
                &["NMES"],
                "/techniques/nmes/",
            ),
            page(Kind::Application, "Multiple sclerosis", &["MS"], "/applications/ms/"),
            page(Kind::Application, "Stroke", &[], "/applications/stroke/"),
            page(Kind::Article, "Guide", &[], "/articles/guide/"),
        ]
    }

    fn link(markdown_text: &str, own: PageId) -> (String, Vec<PageId>) {
        let mut diagnostics = Diagnostics::new();
        let source = MarkdownSource::new("a.md", markdown_text, 0, true);
        let options = MarkdownOptions {
            smart_punctuation: true,
            unsafe_html: false,
        };
        let mut parsed = parse_markdown(
            markdown_text,
            source,
            options,
            &mut AnchorSet::default(),
            &mut diagnostics,
        );
        let matcher = MentionMatcher::new(&pages());
        let linked = matcher.link_mentions(&mut parsed, own, &mut HashSet::new());
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, parsed.events.into_iter());
        (html, linked)
    }

    #[test]
    fn longest_match_wins_and_only_first_mention_links() {
        let (html, linked) = link(
            "Neuromuscular electrical stimulation helps. Neuromuscular electrical stimulation again.",
            4,
        );
        assert_eq!(linked, [1]);
        assert_eq!(html.matches("<a href").count(), 1, "{html}");
        assert!(html.contains("<a href=\"/techniques/nmes/\">Neuromuscular electrical stimulation</a> helps"));
    }

    #[test]
    fn whole_words_only_and_abbreviations_keep_their_case() {
        let (html, linked) = link("Strokes differ. A reply in 200 ms. MS is common.", 4);
        assert_eq!(linked, [2]);
        assert!(
            html.contains("<a href=\"/applications/ms/\">MS</a> is common"),
            "{html}"
        );
    }

    #[test]
    fn skip_zones_are_respected() {
        let text = "## Stroke care\n\nSee [stroke](/x/) and `stroke` code.\n\n```\nstroke\n```\n";
        let (_, linked) = link(text, 4);
        assert!(linked.is_empty());
    }

    #[test]
    fn never_links_the_page_to_itself() {
        let (_, linked) = link("Stroke recovery takes time.", 3);
        assert!(linked.is_empty());
    }
}
