//! The planner's view of the tantivy index: postings read from tantivy
//! (cached per stem for one query), the vocabulary and each document's kind
//! and page from the metadata saved beside the index. The browser's planner
//! reads the same things from the static export.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::search::index::impacts::{ImpactReader, Impacts};
use crate::search::index::vocabulary::SearchMeta;
use crate::search::query::plan::{SearchSource, VocabEntry};

fn entries(slice: &[(String, String, u32)]) -> Vec<VocabEntry> {
    slice
        .iter()
        .map(|(surface, stem, df)| VocabEntry {
            surface: surface.clone(),
            stem: stem.clone(),
            df: *df,
        })
        .collect()
}

/// The planner's view of a tantivy index: postings read from tantivy,
/// cached per stem for the length of one query.
pub(crate) struct IndexSource<'a> {
    pub(crate) meta: &'a SearchMeta,
    pub(crate) impacts: &'a ImpactReader<'a>,
    cache: RefCell<HashMap<String, Impacts>>,
}

impl<'a> IndexSource<'a> {
    pub(crate) fn new(meta: &'a SearchMeta, impacts: &'a ImpactReader<'a>) -> Self {
        IndexSource {
            meta,
            impacts,
            cache: RefCell::new(HashMap::new()),
        }
    }
}

impl SearchSource for IndexSource<'_> {
    fn stem_of(&self, surface: &str) -> Option<String> {
        let index = self
            .meta
            .vocabulary
            .binary_search_by(|(s, _, _)| s.as_str().cmp(surface))
            .ok()?;
        Some(self.meta.vocabulary[index].1.clone())
    }

    fn postings(&self, stem: &str) -> Impacts {
        if let Some(found) = self.cache.borrow().get(stem) {
            return found.clone();
        }
        let found = self.impacts.impacts(stem).unwrap_or_default();
        self.cache.borrow_mut().insert(stem.to_string(), found.clone());
        found
    }

    fn with_prefix(&self, prefix: &str) -> Vec<VocabEntry> {
        entries(self.meta.range(prefix))
    }

    fn with_first_letter(&self, letter: char) -> Vec<VocabEntry> {
        entries(self.meta.range(letter.encode_utf8(&mut [0; 4])))
    }

    fn doc_kind(&self, ordinal: u32) -> &str {
        self.meta.kinds.get(ordinal as usize).map_or("page", String::as_str)
    }

    fn doc_page(&self, ordinal: u32) -> &str {
        self.meta.pages.get(ordinal as usize).map_or("", String::as_str)
    }
}
