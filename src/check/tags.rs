//! Tags that say the same thing in two spellings ("sport" and "sports",
//! "stretch" and "stretching") split one subject over two tag pages, each
//! with half the pages. Two tags are near-duplicates when the search
//! stemmer (lower-cased, ASCII-folded, Snowball English stems, as search
//! reads text) turns them into the same words. Stop words are kept here:
//! search drops "on" and "to" from running text, but in a name of one or
//! two words they carry meaning ("hands-on" is not "hand").
//!
//! The warning stands on each page using the less-used spelling, since
//! those are the places to change, and names the more-used one. Spellings
//! that make the same address are one tag already (or clash, which the
//! link stage reports), so tags are compared by address.

use std::collections::BTreeMap;

use crate::diagnostics::Rule;
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::link::{Site, Term};
use crate::parse::slug::slugify;
use crate::search::{every_word_stemming_analyzer, tokens};

pub(super) fn check_similar_tags(site: &Site, found: &mut Diagnostics) {
    let Some(tags) = site.taxonomies.iter().find(|taxonomy| taxonomy.name == "tags") else {
        return;
    };
    let mut analyzer = every_word_stemming_analyzer();
    let mut by_stem: BTreeMap<String, Vec<&Term>> = BTreeMap::new();
    for term in &tags.terms {
        let stems = tokens(&mut analyzer, &term.name).join(" ");
        if !stems.is_empty() {
            by_stem.entry(stems).or_default().push(term);
        }
    }
    for (stems, mut terms) in by_stem {
        if terms.len() < 2 {
            continue;
        }
        // Most pages first; on a tie the first by name, so the choice
        // does not change from run to run.
        terms.sort_by(|a, b| b.pages.len().cmp(&a.pages.len()).then_with(|| a.name.cmp(&b.name)));
        let (kept, others) = terms.split_first().expect("a group of two or more");
        for other in others {
            let hint = if other.pages.len() == kept.pages.len() {
                format!(
                    "both are on as many pages: write one spelling on all of them, such as `{}`, so they share one tag page",
                    kept.name
                )
            } else {
                format!(
                    "write `{}`, the spelling more pages use, so these pages share one tag page",
                    kept.name
                )
            };
            for &id in &other.pages {
                let page = &site.pages[id];
                found.push(
                    Diagnostic::warning(
                        &page.rel_path,
                        place_of(page, other),
                        format!(
                            "tag `{}` is a near-duplicate of tag `{}` (search reads both as `{stems}`): `{}` is on {}, `{}` on {}",
                            other.name,
                            kept.name,
                            other.name,
                            pages(other.pages.len()),
                            kept.name,
                            pages(kept.pages.len()),
                        ),
                    )
                    .with_rule(Rule::SimilarTags)
                    .with_hint(hint.clone()),
                );
            }
        }
    }
}

fn pages(count: usize) -> String {
    if count == 1 {
        "1 page".to_string()
    } else {
        format!("{count} pages")
    }
}

/// Where `page` writes `term` in its `tags`.
fn place_of(page: &crate::parse::Page, term: &Term) -> Position {
    page.tags
        .iter()
        .position(|written| slugify(written) == term.slug)
        .and_then(|index| page.places.tags.get(index).copied())
        .unwrap_or(Position::START)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The similar-tags warnings of a site made of `files`.
    fn warnings_of(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let (content, parsed) = crate::parse::parse_for_test(files);
        assert!(parsed.is_empty(), "{parsed:?}");
        let config = crate::config::Config::parse("title = 'Test'\nbase_url = 'https://example.org'")
            .expect("the test config is valid");
        let (site, linked) = crate::link::link_site(config, content);
        assert!(linked.is_empty(), "{linked:?}");
        let mut found = Diagnostics::new();
        check_similar_tags(&site, &mut found);
        found.into_iter().collect()
    }

    fn page(title: &str, tags: &str) -> String {
        format!("+++\ntitle = \"{title}\"\ntags = [{tags}]\n+++\n")
    }

    #[test]
    fn the_less_used_spelling_is_reported_on_each_of_its_pages() {
        let found = warnings_of(&[
            ("content/a.md", &page("A", "\"sport\", \"knee\"")),
            ("content/b.md", &page("B", "\"Sport\"")),
            ("content/c.md", &page("C", "\"knee\", \"sports\"")),
            ("content/d.md", &page("D", "\"stretching\"")),
            ("content/e.md", &page("E", "\"Stretch\"")),
        ]);
        let placed: Vec<(&str, usize, usize, &str)> = found
            .iter()
            .map(|d| (d.path.as_str(), d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(found.len(), 2, "{placed:#?}");
        let sports = &found[0];
        assert_eq!((sports.path.as_str(), sports.line, sports.col), ("content/c.md", 3, 17));
        assert_eq!(
            sports.message,
            "tag `sports` is a near-duplicate of tag `sport` (search reads both as `sport`): `sports` is on 1 page, `sport` on 2 pages"
        );
        assert!(
            sports
                .hint
                .as_deref()
                .is_some_and(|hint| hint.starts_with("write `sport`"))
        );
        assert_eq!(sports.rule, Some(Rule::SimilarTags));
        // One page each: the first by name is kept.
        let stretching = &found[1];
        assert_eq!((stretching.path.as_str(), stretching.line), ("content/d.md", 3));
        assert!(
            stretching
                .message
                .starts_with("tag `stretching` is a near-duplicate of tag `Stretch`"),
            "{}",
            stretching.message
        );
        assert!(
            stretching
                .hint
                .as_deref()
                .is_some_and(|hint| hint.starts_with("both are on as many pages")),
            "{:?}",
            stretching.hint
        );
    }

    #[test]
    fn different_words_and_one_tag_in_two_cases_are_not_near_duplicates() {
        let found = warnings_of(&[
            (
                "content/a.md",
                &page("A", "\"surgery\", \"after surgery\", \"Sport\", \"hand\""),
            ),
            (
                "content/b.md",
                &page("B", "\"sport\", \"return to sport\", \"hands-on\""),
            ),
        ]);
        assert!(found.is_empty(), "{found:#?}");
    }
}
