//! Categories and tags: each term with the pages that carry it, newest first.

use std::collections::BTreeMap;

use crate::link::{PageId, sort_pages};
use crate::parse::Page;
use crate::parse::front_matter::SortBy;
use crate::parse::slug::slugify;

/// One taxonomy (`categories` or `tags`) and its terms, sorted by name.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// `categories` or `tags`: also the URL folder.
    pub name: &'static str,
    pub title: &'static str,
    pub terms: Vec<Term>,
}

/// A term and the pages that name it.
#[derive(Debug, Clone)]
pub struct Term {
    /// As first written on a page (pages sorted by path).
    pub name: String,
    pub slug: String,
    pub pages: Vec<PageId>,
}

impl Taxonomy {
    pub fn path(&self) -> String {
        format!("/{}/", self.name)
    }

    pub fn term_path(&self, term: &Term) -> String {
        format!("/{}/{}/", self.name, term.slug)
    }
}

/// Collects both taxonomies from every page.
pub fn collect(pages: &[Page]) -> Vec<Taxonomy> {
    vec![
        build("categories", "Categories", pages, |page| &page.categories),
        build("tags", "Tags", pages, |page| &page.tags),
    ]
}

fn build(
    name: &'static str,
    title: &'static str,
    pages: &[Page],
    terms_of: impl Fn(&Page) -> &Vec<String>,
) -> Taxonomy {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate() {
        for written in terms_of(page) {
            let slug = slugify(written);
            if slug.is_empty() {
                continue;
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
