//! Integer BM25 impacts read out of tantivy (docs/search-format.md,
//! "manifest.js" `scale` and "Query planning"): the browser adds the same
//! integers tantivy's scores round to, so both rank alike.
//!
//! For a stem and a document, the impact is the sum over text fields of
//! `round(SCALE * boost * bm25)`, where bm25 is tantivy's own `Bm25Weight`
//! score for that field (its idf, its field norms, its k1 and b). The static
//! export and `praxis search` both use these integers, so the browser and the
//! server rank identically: sums of integers times powers of two are exact.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use tantivy::columnar::Column;
use tantivy::postings::Postings;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, TERMINATED, Term};

use crate::search::index::tantivy_index::SearchIndex;

/// Impacts are BM25 scores times this factor, rounded.
pub(crate) const SCALE: f32 = 100.0;

/// (document ordinal, impact), sorted by ordinal.
pub(crate) type Impacts = Vec<(u32, u32)>;

/// Reads impacts from an open index.
pub(crate) struct ImpactReader<'a> {
    index: &'a SearchIndex,
    searcher: Searcher,
    /// Per segment: segment doc id -> document ordinal.
    ordinals: Vec<Column<u64>>,
}

fn impact(boost: f32, weight: &Bm25Weight, fieldnorm_id: u8, term_freq: u32) -> u32 {
    (SCALE * boost * weight.score(fieldnorm_id, term_freq)).round().max(1.0) as u32
}

/// Sorts (ordinal, impact) pairs by ordinal and sums the impacts of the
/// fields of one document.
fn merge_by_ordinal(mut pairs: Vec<(u32, u32)>) -> Impacts {
    pairs.sort_unstable();
    let mut merged: Impacts = Vec::with_capacity(pairs.len());
    for (ordinal, value) in pairs {
        match merged.last_mut() {
            Some(last) if last.0 == ordinal => last.1 += value,
            _ => merged.push((ordinal, value)),
        }
    }
    merged
}

impl<'a> ImpactReader<'a> {
    pub(crate) fn new(index: &'a SearchIndex) -> tantivy::Result<Self> {
        let searcher = index.reader.searcher();
        let ordinals = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("ordinal"))
            .collect::<tantivy::Result<_>>()?;
        Ok(ImpactReader {
            index,
            searcher,
            ordinals,
        })
    }

    fn field_weight(&self, field: Field, doc_freq: u64) -> tantivy::Result<Bm25Weight> {
        let total_docs = self.searcher.total_num_docs()?;
        let average = self.searcher.total_num_tokens(field)? as f32 / total_docs.max(1) as f32;
        Ok(Bm25Weight::for_one_term(doc_freq, total_docs, average))
    }

    /// The impacts of one stem over every text field.
    pub(crate) fn impacts(&self, stem: &str) -> tantivy::Result<Impacts> {
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for &(field, boost) in &self.index.text_fields {
            let term = Term::from_field_text(field, stem);
            let doc_freq = self.searcher.doc_freq(&term)?;
            if doc_freq == 0 {
                continue;
            }
            pairs.reserve(doc_freq as usize);
            let weight = self.field_weight(field, doc_freq)?;
            for (segment, ordinals) in self.searcher.segment_readers().iter().zip(&self.ordinals) {
                let inverted = segment.inverted_index(field)?;
                let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::WithFreqs)? else {
                    continue;
                };
                let norms = segment.get_fieldnorms_reader(field)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let ordinal = ordinals.first(doc).unwrap_or(0) as u32;
                    pairs.push((
                        ordinal,
                        impact(boost, &weight, norms.fieldnorm_id(doc), postings.term_freq()),
                    ));
                    doc = postings.advance();
                }
            }
        }
        Ok(merge_by_ordinal(pairs))
    }

    /// The impacts of every stem in the index, for the static export:
    /// streams each term dictionary once instead of looking terms up, one
    /// field per thread.
    pub(crate) fn all_impacts(&self) -> tantivy::Result<BTreeMap<String, Impacts>> {
        let per_field = self
            .index
            .text_fields
            .par_iter()
            .map(|&(field, boost)| self.field_impacts(field, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut all: FxHashMap<String, Vec<(u32, u32)>> = FxHashMap::default();
        for field in per_field {
            for (stem, pairs) in field {
                match all.get_mut(&stem) {
                    Some(found) => found.extend(pairs),
                    None => {
                        all.insert(stem, pairs);
                    }
                }
            }
        }
        let merged: Vec<(String, Impacts)> = all
            .into_par_iter()
            .map(|(stem, pairs)| (stem, merge_by_ordinal(pairs)))
            .collect();
        Ok(merged.into_iter().collect())
    }

    /// One field's (ordinal, impact) pairs per stem, in no particular order.
    fn field_impacts(&self, field: Field, boost: f32) -> tantivy::Result<FxHashMap<String, Vec<(u32, u32)>>> {
        // Global document frequencies first: BM25 idf is over the whole index.
        let mut doc_freqs: FxHashMap<Vec<u8>, u64> = FxHashMap::default();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                *doc_freqs.entry(stream.key().to_vec()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
        let mut weights: FxHashMap<Vec<u8>, Bm25Weight> = FxHashMap::default();
        weights.reserve(doc_freqs.len());
        for (key, doc_freq) in doc_freqs {
            weights.insert(key, self.field_weight(field, doc_freq)?);
        }
        let mut found: FxHashMap<String, Vec<(u32, u32)>> = FxHashMap::default();
        for (segment, ordinals) in self.searcher.segment_readers().iter().zip(&self.ordinals) {
            let inverted = segment.inverted_index(field)?;
            let norms = segment.get_fieldnorms_reader(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let Ok(stem) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let Some(weight) = weights.get(stream.key()) else {
                    continue;
                };
                let mut postings =
                    inverted.read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)?;
                let entry = match found.get_mut(stem) {
                    Some(entry) => entry,
                    None => found.entry(stem.to_string()).or_default(),
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let ordinal = ordinals.first(doc).unwrap_or(0) as u32;
                    entry.push((
                        ordinal,
                        impact(boost, weight, norms.fieldnorm_id(doc), postings.term_freq()),
                    ));
                    doc = postings.advance();
                }
            }
        }
        Ok(found)
    }
}
