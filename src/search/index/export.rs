//! The static search index for the browser (docs/search-format.md), derived
//! from the tantivy index: term shards ([`crate::search::index::term_shards`])
//! and pair lists, a vocabulary per first letter for typos and prefixes,
//! document chunks for titles and snippets, and the manifest that tells the
//! client where everything is and which parameters its planner uses.

use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::{Value, json};

use crate::output::OutputFile;
use crate::parse::kind::Kind;
use crate::search::analysis::analyzer::english_stop_words;
use crate::search::analysis::folding::{MANIFEST_FOLDING_END, folding_part};
use crate::search::index::documents::{SearchDoc, kind_runs, runs_by};
use crate::search::index::excerpt::{Rarity, excerpt, rare_max_df};
use crate::search::index::impacts::{Impacts, SCALE};
use crate::search::index::pairs::{PAIR_GROUP, pair_files, pair_stems};
use crate::search::index::term_shards::{min_pair_postings, term_shards};
use crate::search::index::vocabulary::SearchMeta;
use crate::search::parameters::PARAMETERS;

/// The folder of the static index in the output.
pub(crate) const EXPORT_DIR: &str = "search-index";
/// Documents per document chunk: pages' own documents, which are nearly
/// every hit (367 of the 370 results of 20 two-word queries on the 10k bench
/// site), in chunks of 3, so a result costs little beyond its own title and
/// snippet; sections and FAQ entries in chunks of 9, which keeps the file
/// count down. Against chunks of 6 for all, 3 and 8 cut the doc chunk bytes
/// of 10 cold queries from 6.3 to 4.9 KB gzip at the median, and of a
/// further word from 4.6 to 3.5 KB, with 755 fewer files; 9 instead of 8
/// makes room for the pair files (about 800 fewer files, 0.4 KB more for
/// the median cold query).
const PAGE_DOC_CHUNK_SIZE: usize = 3;
const DOC_CHUNK_SIZE: usize = 9;

/// Sizes of what was exported, for the benchmark and notes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportStats {
    pub files: usize,
    pub bytes: usize,
    pub term_shards: usize,
    pub doc_chunks: usize,
    pub pair_files: usize,
}

/// An index file's text: a script handing `data` to the client under its
/// own name, so it loads with a plain `<script>` (from `file://` too).
pub(crate) fn script(name: &str, data: &impl Serialize) -> String {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "{}".to_string());
    format!("PraxisSearch.receive({},{});\n", Value::String(name.to_string()), json)
}

/// The key of the vocabulary of words starting with `letter`: the letter
/// itself when it is an ASCII letter or digit, else `u` + hex code point.
pub(crate) fn vocab_key(letter: char) -> String {
    if letter.is_ascii_alphanumeric() {
        letter.to_string()
    } else {
        format!("u{:x}", letter as u32)
    }
}

fn vocab_file(letter: char) -> String {
    format!("vocab/{}.js", vocab_key(letter))
}

/// Every file of the static index.
pub(crate) fn export(
    docs: &[SearchDoc],
    impacts: &BTreeMap<String, Impacts>,
    meta: &SearchMeta,
    head_size: usize,
) -> (Vec<OutputFile>, ExportStats) {
    let mut files = Vec::new();
    let mut stats = ExportStats::default();
    let mut push = |files: &mut Vec<OutputFile>, name: String, text: String| {
        stats.bytes += text.len();
        files.push(OutputFile::text(format!("{EXPORT_DIR}/{name}"), text));
    };

    let pair_stems = pair_stems(impacts, min_pair_postings(head_size));
    let (boundaries, shard_texts) = term_shards(impacts, meta, head_size, &pair_stems);
    stats.term_shards = boundaries.len();
    for (name, text) in shard_texts {
        push(&mut files, name, text);
    }

    let pair_texts: Vec<(String, String)> = pair_files(&pair_stems, impacts)
        .into_par_iter()
        .map(|(name, data)| {
            let text = script(&name, &data);
            (name, text)
        })
        .collect();
    stats.pair_files = pair_texts.len();
    for (name, text) in pair_texts {
        push(&mut files, name, text);
    }

    // Vocabulary by first letter.
    let mut by_letter: BTreeMap<char, Vec<(&str, &str, u32)>> = BTreeMap::new();
    for (surface, stem, df) in &meta.vocabulary {
        if let Some(first) = surface.chars().next() {
            by_letter.entry(first).or_default().push((surface, stem, *df));
        }
    }
    let vocab_letters: Vec<String> = by_letter.keys().map(|c| vocab_key(*c)).collect();
    for (letter, words) in by_letter {
        let name = vocab_file(letter);
        let text = script(&name, &json!({ "words": words }));
        push(&mut files, name, text);
    }

    // Document chunks, named by their first doc; each doc's text is the
    // excerpt its snippets are cut from, as `praxis search` cuts it.
    let document_frequency: FxHashMap<&str, u32> = meta
        .vocabulary
        .iter()
        .map(|(surface, _, df)| (surface.as_str(), *df))
        .collect();
    let rarity = Rarity {
        df: |surface: &str| document_frequency.get(surface).copied(),
        max_df: rare_max_df(docs.len()),
    };
    let chunk_runs = doc_chunk_runs(docs);
    let chunk_texts: Vec<(String, String)> = chunk_ranges(&chunk_runs, docs.len())
        .into_par_iter()
        .map(|range| {
            let start = range.start;
            let chunk = &docs[range];
            let entries: Vec<Value> = chunk
                .iter()
                .map(|doc| {
                    json!({
                        "url": doc.url,
                        "title": doc.title,
                        "page": doc.page_title,
                        "kind": doc.kind.name(),
                        "text": excerpt(doc.snippet_text(), &rarity),
                    })
                })
                .collect();
            let name = format!("docs/{start}.js");
            let text = script(&name, &json!({ "docs": entries }));
            (name, text)
        })
        .collect();
    stats.doc_chunks = chunk_texts.len();
    for (name, text) in chunk_texts {
        push(&mut files, name, text);
    }

    let manifest = json!({
        "version": 6,
        "docs": docs.len(),
        "scale": SCALE,
        "stop_words": english_stop_words(),
        "folding": folding_part(true),
        "folding_file_from": MANIFEST_FOLDING_END,
        "term_shards": boundaries,
        "doc_chunks": chunk_runs.iter().map(|&(first, size)| json!([first, size])).collect::<Vec<_>>(),
        "head_size": head_size,
        "pair_group": PAIR_GROUP,
        "vocab_shards": vocab_letters,
        "kinds": Kind::ALL.map(Kind::name),
        "kind_runs": kind_runs(docs)
            .into_iter()
            .map(|(first, kind)| json!([first, kind.name()]))
            .collect::<Vec<_>>(),
        "parameters": PARAMETERS,
    });
    push(&mut files, "manifest.js".to_string(), script("manifest.js", &manifest));
    let folding = json!({ "folding": folding_part(false) });
    push(&mut files, "folding.js".to_string(), script("folding.js", &folding));
    stats.files = files.len();
    (files, stats)
}

/// `(first doc, docs per chunk)` of each run of docs chunked alike: pages'
/// own documents in chunks of [`PAGE_DOC_CHUNK_SIZE`], the others in chunks
/// of [`DOC_CHUNK_SIZE`]. Chunks never straddle two runs.
fn doc_chunk_runs(docs: &[SearchDoc]) -> Vec<(usize, usize)> {
    runs_by(docs, |doc| doc.page_doc)
        .into_iter()
        .map(|(first, page_doc)| (first, if page_doc { PAGE_DOC_CHUNK_SIZE } else { DOC_CHUNK_SIZE }))
        .collect()
}

/// The doc range of each doc chunk, in doc order, from [`doc_chunk_runs`].
fn chunk_ranges(runs: &[(usize, usize)], docs: usize) -> Vec<Range<usize>> {
    runs.iter()
        .enumerate()
        .flat_map(|(i, &(first, size))| {
            let end = runs.get(i + 1).map_or(docs, |next| next.0);
            (first..end)
                .step_by(size)
                .map(move |start| start..(start + size).min(end))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(page_doc: bool) -> SearchDoc {
        SearchDoc {
            url: String::new(),
            title: String::new(),
            page_title: String::new(),
            kind: Kind::Article,
            page_doc,
            fields: Default::default(),
        }
    }

    #[test]
    fn page_docs_are_chunked_finer_than_sections() {
        let docs: Vec<SearchDoc> = [true; 7].into_iter().chain([false; 10]).map(doc).collect();
        let runs = doc_chunk_runs(&docs);
        assert_eq!(runs, [(0, PAGE_DOC_CHUNK_SIZE), (7, DOC_CHUNK_SIZE)]);
        // No chunk straddles the two runs; the last of each run is short.
        assert_eq!(chunk_ranges(&runs, docs.len()), [0..3, 3..6, 6..7, 7..16, 16..17]);
        assert_eq!(doc_chunk_runs(&docs[7..]), [(0, DOC_CHUNK_SIZE)]);
        assert!(doc_chunk_runs(&[]).is_empty() && chunk_ranges(&[], 0).is_empty());
    }
}
