//! Categories and tags: each term with the pages that carry it, newest first.
//!
//! A term's address is the slug of its spelling, so spellings that differ
//! only in case ("Sport", "sport") are one term, as a reader expects. Other
//! spellings can share an address too ("C++" and "C#" are both `/tags/c/`)
//! and would silently become one tag page: that is reported as a warning at
//! the later spelling, and the pages stay merged under the first.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::link::{PageId, sort_pages};
use crate::parse::Page;
use crate::parse::front_matter::SortBy;
use crate::parse::slug::slugify;

/// One taxonomy (`categories` or `tags`) and its terms, sorted by name.
#[derive(Debug, Clone)]
pub(crate) struct Taxonomy {
    /// `categories` or `tags`: also the URL folder.
    pub(crate) name: &'static str,
    pub(crate) title: &'static str,
    pub(crate) terms: Vec<Term>,
}

/// A term and the pages that name it.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    /// As first written on a page (pages sorted by path).
    pub(crate) name: String,
    pub(crate) slug: String,
    pub(crate) pages: Vec<PageId>,
}

impl Taxonomy {
    pub(crate) fn path(&self) -> String {
        format!("/{}/", self.name)
    }

    pub(crate) fn term_path(&self, term: &Term) -> String {
        format!("/{}/{}/", self.name, term.slug)
    }
}

/// Collects both taxonomies from every page (in the order of `pages`, so
/// "first" and "later" follow the pages' paths), warning where two
/// different terms share an address.
pub(crate) fn collect(pages: &[Page], diagnostics: &mut Diagnostics) -> Vec<Taxonomy> {
    vec![
        build(
            "categories",
            "Categories",
            pages,
            |page| (&page.categories, &page.places.categories),
            diagnostics,
        ),
        build(
            "tags",
            "Tags",
            pages,
            |page| (&page.tags, &page.places.tags),
            diagnostics,
        ),
    ]
}

/// The spellings met so far for one address, case-folded, each with the
/// page that first wrote it.
type SpellingsOfSlug = Vec<(String, String)>;

fn build(
    name: &'static str,
    title: &'static str,
    pages: &[Page],
    terms_of: impl Fn(&Page) -> (&Vec<String>, &Vec<Position>),
    diagnostics: &mut Diagnostics,
) -> Taxonomy {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    let mut spellings: BTreeMap<String, SpellingsOfSlug> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate() {
        let (written_terms, places) = terms_of(page);
        for (index, written) in written_terms.iter().enumerate() {
            let slug = slugify(written);
            if slug.is_empty() {
                continue;
            }
            let folded = fold_spelling(written);
            let seen = spellings.entry(slug.clone()).or_default();
            if !seen.iter().any(|(spelling, _)| *spelling == folded) {
                if let Some(term) = terms.get(&slug) {
                    let first_page = seen.first().map_or("", |(_, path)| path.as_str());
                    let at = places.get(index).copied().unwrap_or(Position::START);
                    diagnostics.push(address_clash(
                        name,
                        written.trim(),
                        term,
                        first_page,
                        &page.rel_path,
                        at,
                    ));
                }
                seen.push((folded, page.rel_path.clone()));
            }
            let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                name: written.trim().to_string(),
                slug,
                pages: Vec::new(),
            });
            if !term.pages.contains(&id) {
                term.pages.push(id);
            }
        }
    }
    let mut terms: Vec<Term> = terms.into_values().collect();
    for term in &mut terms {
        sort_pages(&mut term.pages, SortBy::Date, pages);
    }
    terms.sort_by_key(|term| term.name.to_lowercase());
    Taxonomy { name, title, terms }
}

/// A term as a reader tells it apart: case and runs of spaces do not make
/// another term ("Sport", "sport", "Low  back pain", "low back pain").
fn fold_spelling(written: &str) -> String {
    written.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// `written` (on `path`, at `at`) makes the address of `term`, which was
/// first spelt otherwise on `first_page`.
fn address_clash(taxonomy: &str, written: &str, term: &Term, first_page: &str, path: &str, at: Position) -> Diagnostic {
    let kind = if taxonomy == "tags" { "tag" } else { "category" };
    let place = if first_page == path {
        "on this page".to_string()
    } else {
        format!("in {first_page}")
    };
    Diagnostic::warning(
        path,
        at,
        format!(
            "{kind} `{written}` and {kind} `{}` ({place}) have the same address /{taxonomy}/{}/, so their pages are listed as one {kind}",
            term.name, term.slug
        ),
    )
    .with_hint(
        "rename one of the two on every page that uses it: an address keeps only letters and digits, so spell the difference in words (\"C sharp\", not \"C#\")",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The taxonomies of some content files, and the warnings about them.
    fn collect_from(files: &[(&str, &str)]) -> (Vec<Taxonomy>, Vec<Diagnostic>) {
        let (content, parsed) = crate::parse::parse_for_test(files);
        assert!(parsed.is_empty(), "{parsed:?}");
        let mut pages = content.pages;
        pages.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        let mut diagnostics = Diagnostics::new();
        let taxonomies = collect(&pages, &mut diagnostics);
        (taxonomies, diagnostics.into_iter().collect())
    }

    #[test]
    fn spellings_that_differ_only_in_case_are_one_term_without_a_warning() {
        let (taxonomies, warnings) = collect_from(&[
            ("content/a.md", "+++\ntitle = \"A\"\ntags = [\"Sport\"]\n+++\n"),
            (
                "content/b.md",
                "+++\ntitle = \"B\"\ntags = [\"sport\", \"SPORT\"]\n+++\n",
            ),
        ]);
        assert!(warnings.is_empty(), "{warnings:?}");
        let tags = &taxonomies[1];
        assert_eq!(tags.terms.len(), 1);
        assert_eq!((tags.terms[0].name.as_str(), tags.terms[0].pages.len()), ("Sport", 2));
    }

    #[test]
    fn different_terms_with_one_address_are_reported_at_the_later() {
        let (taxonomies, warnings) = collect_from(&[
            ("content/a.md", "+++\ntitle = \"A\"\ntags = [\"C++\"]\n+++\n"),
            ("content/b.md", "+++\ntitle = \"B\"\ntags = [\"Sport\", \"C#\"]\n+++\n"),
            ("content/c.md", "+++\ntitle = \"C\"\ntags = [\"c#\"]\n+++\n"),
        ]);
        assert_eq!(warnings.len(), 1, "one warning per clashing spelling: {warnings:#?}");
        let warning = &warnings[0];
        assert!(!warning.is_error());
        // `tags = ["Sport", "C#"]`: the value "C#" starts at column 18.
        assert_eq!(
            (warning.path.as_str(), warning.line, warning.col),
            ("content/b.md", 3, 18)
        );
        assert!(
            warning.message.contains("tag `C#` and tag `C++` (in content/a.md)"),
            "{}",
            warning.message
        );
        assert!(warning.message.contains("/tags/c/"), "{}", warning.message);
        assert!(warning.hint.as_deref().is_some_and(|hint| hint.contains("rename one")));
        // The pages stay merged under the first spelling, as before.
        let c = taxonomies[1].terms.iter().find(|t| t.slug == "c").expect("the c term");
        assert_eq!((c.name.as_str(), c.pages.len()), ("C++", 3));
    }

    #[test]
    fn categories_clash_too_but_not_with_tags() {
        let (_, warnings) = collect_from(&[
            (
                "content/a.md",
                "+++\ntitle = \"A\"\ncategories = [\"Knee & hip\"]\ntags = [\"knee hip\"]\n+++\n",
            ),
            ("content/b.md", "+++\ntitle = \"B\"\ncategories = [\"knee hip\"]\n+++\n"),
        ]);
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert_eq!((warnings[0].path.as_str(), warnings[0].line), ("content/b.md", 3));
        assert!(
            warnings[0].message.starts_with(
                "category `knee hip` and category `Knee & hip` (in content/a.md) have the same address /categories/knee-hip/"
            ),
            "{}",
            warnings[0].message
        );
    }
}
