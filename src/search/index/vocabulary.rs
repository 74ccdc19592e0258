//! What the planner needs beside tantivy's postings: every surface form with
//! its stem and document frequency, and each document's kind and page.
//! Saved next to the index (`.praxis/search-meta.json`) for `praxis search`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::search::analysis::stemmer::SurfaceStems;
use crate::search::index::documents::SearchDoc;
use crate::search::index::impacts::Impacts;
use crate::search::parameters::PARAMETERS;

/// File name of the metadata under `.praxis/`.
pub(crate) const META_FILE: &str = "search-meta.json";

/// Everything but the postings, as saved beside the index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct SearchMeta {
    /// Sorted by surface.
    pub(crate) vocabulary: Vec<(String, String, u32)>,
    /// Kind name of each document, by ordinal.
    pub(crate) kinds: Vec<String>,
    /// Page path of each document, by ordinal.
    pub(crate) pages: Vec<String>,
    /// Fingerprint of the sources the index was built from.
    pub(crate) stamp: String,
    /// The synonyms file those sources included (`[search] synonyms`).
    #[serde(default)]
    pub(crate) synonyms_file: Option<String>,
    /// Whether the index holds draft pages (`build --drafts`).
    #[serde(default)]
    pub(crate) drafts: bool,
}

impl SearchMeta {
    /// The vocabulary is every surface form the indexing analyzer met (see
    /// [`crate::search::analysis::stemmer`]), with its stem and document frequency.
    pub(crate) fn build(
        docs: &[SearchDoc],
        surfaces: SurfaceStems,
        impacts: &BTreeMap<String, Impacts>,
        stamp: String,
        synonyms_file: Option<String>,
    ) -> SearchMeta {
        let mut vocabulary: Vec<(String, String, u32)> = surfaces
            .into_iter()
            .filter_map(|(surface, stem)| {
                let df = impacts.get(&stem).map_or(0, |p| p.len() as u32);
                (df > 0).then_some((surface, stem, df))
            })
            .collect();
        vocabulary.sort_unstable();
        SearchMeta {
            vocabulary,
            kinds: docs.iter().map(|d| d.kind.name().to_string()).collect(),
            // The grouping key: FAQ entries are hits of their own, other
            // documents group by page.
            pages: docs
                .iter()
                .map(|d| {
                    if PARAMETERS.is_standalone(d.kind) {
                        d.url.clone()
                    } else {
                        d.url.split('#').next().unwrap_or("").to_string()
                    }
                })
                .collect(),
            stamp,
            synonyms_file,
            drafts: false,
        }
    }

    pub(crate) fn save(&self, dir: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(META_FILE), json)
    }

    pub(crate) fn load(dir: &Path) -> Option<SearchMeta> {
        let bytes = std::fs::read(dir.join(META_FILE)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The document frequency of a surface form's stem, if the index has it.
    pub(crate) fn document_frequency(&self, surface: &str) -> Option<u32> {
        let index = self
            .vocabulary
            .binary_search_by(|(s, _, _)| s.as_str().cmp(surface))
            .ok()?;
        Some(self.vocabulary[index].2)
    }

    /// The entries whose surface starts with `prefix`.
    pub(crate) fn range(&self, prefix: &str) -> &[(String, String, u32)] {
        let start = self
            .vocabulary
            .partition_point(|(surface, _, _)| surface.as_str() < prefix);
        let end = start + self.vocabulary[start..].partition_point(|(surface, _, _)| surface.starts_with(prefix));
        &self.vocabulary[start..end]
    }
}
