//! The static search index for the browser (docs/search-format.md), derived
//! from the tantivy index: term shards cut by size so a query word costs one
//! or two small files, long postings cut into an impact-ordered tier and
//! doc-ordered blocks with their maxima (so the client fetches only what its
//! top results need), a vocabulary per first letter for typos and prefixes,
//! and document chunks for titles and snippets.

use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::output::OutputFile;
use crate::parse::kind::Kind;
use crate::search::analyzer::english_stop_words;
use crate::search::documents::{SearchDoc, kind_runs, runs_by};
use crate::search::excerpt::{Rarity, excerpt, rare_max_df};
use crate::search::folding::{MANIFEST_FOLDING_END, folding_part};
use crate::search::impacts::{Impacts, SCALE};
use crate::search::pairs::{PAIR_GROUP, pair_files, pair_stems};
use crate::search::plan::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};
use crate::search::vocabulary::SearchMeta;

/// The folder of the static index in the output.
pub const EXPORT_DIR: &str = "search-index";
/// A term shard is closed once its JSON passes this many bytes (about 1 KB
/// gzipped). Every query word fetches one whole shard, so small shards keep
/// a further word cheap; on the 10k bench site going from 6,000 to 2,000
/// bytes cut the median further word's index data from 7.0 to 5.6 KB gzip
/// for 177 more files (there are 9.8k doc chunks besides).
const SHARD_TARGET_BYTES: usize = 2_000;
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

fn script(name: &str, data: &impl Serialize) -> String {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "{}".to_string());
    format!("PraxisSearch.receive({},{});\n", Value::String(name.to_string()), json)
}

/// The key of the vocabulary of words starting with `letter`: the letter
/// itself when it is an ASCII letter or digit, else `u` + hex code point.
pub fn vocab_key(letter: char) -> String {
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
pub fn export(
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

    // Term shards over the sorted union of stems and of surface forms that
    // differ from their stem.
    let mut keys: BTreeMap<&str, (Option<&str>, Option<&Impacts>)> = BTreeMap::new();
    for (stem, postings) in impacts {
        keys.entry(stem.as_str()).or_default().1 = Some(postings);
    }
    for (surface, stem, _) in &meta.vocabulary {
        if surface != stem {
            keys.entry(surface.as_str()).or_default().0 = Some(stem.as_str());
        }
    }
    // A stem's postings beyond the `head_size` highest impacts go to a tier
    // and block files of its shard, fetched only as far as the top results
    // need them (docs/search-format.md, "Heads, tiers and blocks"). Keys
    // are cut in parallel; shards are then laid out in key order by size,
    // and each shard's files are written in parallel. The most frequent
    // stems with blocks (more than a head and a tier of postings) get pair
    // lists (search/pairs.rs); their numbers are in their term shards.
    let pair_stems = pair_stems(impacts, head_size * (1 + TIER_HEADS));
    let pair_ids: FxHashMap<&str, usize> = pair_stems.iter().enumerate().map(|(id, stem)| (*stem, id)).collect();
    let prepared: Vec<PreparedKey> = keys
        .into_iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(key, (stem, postings))| PreparedKey::new(key, stem, postings, head_size, pair_ids.get(key).copied()))
        .collect();
    let mut boundaries: Vec<String> = Vec::new();
    let mut shards: Vec<Vec<PreparedKey>> = Vec::new();
    let mut shard_size = 0;
    let mut previous_key = "";
    for key in prepared {
        if boundaries.is_empty() {
            boundaries.push(String::new());
            shards.push(Vec::new());
        } else if shard_size >= SHARD_TARGET_BYTES {
            boundaries.push(shortest_separator(previous_key, key.key));
            shards.push(Vec::new());
            shard_size = 0;
        }
        shard_size += key.size;
        previous_key = key.key;
        shards.last_mut().expect("a shard was just opened").push(key);
    }
    let shard_texts: Vec<(String, String)> = shards
        .into_par_iter()
        .enumerate()
        .flat_map_iter(|(index, keys)| shard_files(index, keys))
        .collect();
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
        "version": 5,
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
        "max_query_words": MAX_QUERY_WORDS,
        "max_query_chars": MAX_QUERY_CHARS,
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

/// The postings of a stem beyond its head (docs/search-format.md, "Heads,
/// tiers and blocks"): the next `TIER_HEADS` heads' worth of highest
/// impacts in one tier file, the rest in doc-ordered blocks of
/// `BLOCK_HEADS` heads' worth each, whose first docs and maximum impacts sit
/// in the term shard. The tier lowers every doc's bound at once; a block is
/// the only way to learn the exact impact of a doc deep in the list, and
/// holds only a doc range, so the client fetches just the ranges its
/// candidates are in. With the default head of 64 that is a tier of 192 and
/// blocks of 1,152: on the 10k benchmark site, a head of 64 cut the median
/// bytes of a further word by 5% against 128 (blocks as large, so the file
/// count stays the same).
const TIER_HEADS: usize = 3;
const BLOCK_HEADS: usize = 18;

/// A stem's postings cut for export: head, tier and blocks, each sorted by doc.
#[derive(Debug, PartialEq)]
struct CutPostings {
    head: Impacts,
    tier: Impacts,
    blocks: Vec<Impacts>,
}

fn cut_postings(postings: &Impacts, head_size: usize) -> CutPostings {
    let (head, rest) = split_head(postings, head_size);
    let (tier, rest) = split_head(&rest, head_size * TIER_HEADS);
    let blocks = rest.chunks(head_size * BLOCK_HEADS).map(<[_]>::to_vec).collect();
    CutPostings { head, tier, blocks }
}

/// One key of the term shards (a stem, or a surface form that maps to a
/// stem, or both), cut and encoded, with its approximate share of its
/// shard's JSON (heads and block indexes; tiers and blocks are files of
/// their own).
struct PreparedKey<'a> {
    key: &'a str,
    stem: Option<&'a str>,
    postings: Option<PreparedPostings>,
    /// Its number among the pair stems (search/pairs.rs), if it is one.
    pair_id: Option<usize>,
    size: usize,
}

/// A stem's postings as exported: the head delta-encoded, and for long
/// lists the tier, the blocks and `[first doc, max impact, ...]` of each
/// block (first docs delta-encoded).
struct PreparedPostings {
    head: Vec<u32>,
    /// Highest impact beyond the head (the first of its tier).
    tail_max: Option<u32>,
    tier: Vec<u32>,
    block_index: Vec<u32>,
    blocks: Vec<Vec<u32>>,
}

fn json_len(numbers: &[u32]) -> usize {
    numbers.iter().map(|n| n.to_string().len() + 1).sum()
}

impl<'a> PreparedKey<'a> {
    fn new(
        key: &'a str,
        stem: Option<&'a str>,
        postings: Option<&Impacts>,
        head_size: usize,
        pair_id: Option<usize>,
    ) -> Self {
        let mut size = stem.map_or(0, |stem| key.len() + stem.len() + 6);
        if let Some(id) = pair_id {
            size += key.len() + 4 + json_len(&[id as u32]);
        }
        let postings = postings.map(|postings| {
            let cut = cut_postings(postings, head_size);
            let head = delta_encode(&cut.head);
            size += key.len() + 4 + json_len(&head);
            let tail_max = cut.tier.iter().map(|(_, impact)| *impact).max();
            if let Some(max) = tail_max {
                size += key.len() + 4 + json_len(&[max]);
            }
            let mut block_index = Vec::with_capacity(cut.blocks.len() * 2);
            let mut previous = 0;
            for block in &cut.blocks {
                let first = block.first().map_or(0, |(doc, _)| *doc);
                block_index.push(first - previous);
                block_index.push(block.iter().map(|(_, impact)| *impact).max().unwrap_or(0));
                previous = first;
            }
            if !block_index.is_empty() {
                size += key.len() + 4 + json_len(&block_index);
            }
            PreparedPostings {
                head,
                tail_max,
                tier: delta_encode(&cut.tier),
                block_index,
                blocks: cut.blocks.iter().map(delta_encode).collect(),
            }
        });
        PreparedKey {
            key,
            stem,
            postings,
            pair_id,
            size,
        }
    }
}

/// A shard's files: `terms/N.js`, then `tiers/N/STEM.js` and
/// `blocks/N/STEM/B.js` for each stem with postings beyond its head.
fn shard_files(index: usize, keys: Vec<PreparedKey>) -> Vec<(String, String)> {
    let mut surface = Map::new();
    let mut pairs = Map::new();
    let mut heads = Map::new();
    let mut tails = Map::new();
    let mut block_indexes = Map::new();
    let mut out = Vec::new();
    let mut tiers_and_blocks = Vec::new();
    for key in keys {
        if let Some(stem) = key.stem {
            surface.insert(key.key.to_string(), Value::String(stem.to_string()));
        }
        let Some(postings) = key.postings else { continue };
        if let Some(id) = key.pair_id {
            pairs.insert(key.key.to_string(), Value::from(id));
        }
        heads.insert(key.key.to_string(), Value::from(postings.head));
        let Some(max) = postings.tail_max else { continue };
        tails.insert(key.key.to_string(), Value::from(max));
        // One file per tier and per block: a query fetches its own words' only.
        let name = format!("tiers/{index}/{}.js", key.key);
        tiers_and_blocks.push((name.clone(), script(&name, &json!({ "postings": postings.tier }))));
        if postings.blocks.is_empty() {
            continue;
        }
        block_indexes.insert(key.key.to_string(), Value::from(postings.block_index));
        for (number, flat) in postings.blocks.into_iter().enumerate() {
            let name = format!("blocks/{index}/{}/{number}.js", key.key);
            tiers_and_blocks.push((name.clone(), script(&name, &json!({ "postings": flat }))));
        }
    }
    let name = format!("terms/{index}.js");
    let data = json!({
        "surface": surface,
        "postings": heads,
        "tails": tails,
        "blocks": block_indexes,
        "pairs": pairs,
    });
    out.push((name.clone(), script(&name, &data)));
    out.append(&mut tiers_and_blocks);
    out
}

/// The `head_size` highest impacts (ties: lower doc first) and the rest,
/// each sorted by doc.
fn split_head(postings: &Impacts, head_size: usize) -> (Impacts, Impacts) {
    if postings.len() <= head_size {
        return (postings.clone(), Vec::new());
    }
    let mut by_impact = postings.clone();
    // A partition is enough: both parts are sorted by doc next.
    by_impact.select_nth_unstable_by(head_size, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut tail = by_impact.split_off(head_size);
    by_impact.sort_unstable();
    tail.sort_unstable();
    (by_impact, tail)
}

/// `[doc, impact, doc - previous doc, impact, ...]`.
fn delta_encode(postings: &Impacts) -> Vec<u32> {
    let mut flat = Vec::with_capacity(postings.len() * 2);
    let mut previous = 0;
    for (index, &(ordinal, impact)) in postings.iter().enumerate() {
        flat.push(if index == 0 { ordinal } else { ordinal - previous });
        flat.push(impact);
        previous = ordinal;
    }
    flat
}

/// The shortest string `s` with `previous < s <= next`: shard boundaries
/// only need to separate keys, so most are 2-4 characters.
fn shortest_separator(previous: &str, next: &str) -> String {
    let mut candidate = String::new();
    for c in next.chars() {
        candidate.push(c);
        if candidate.as_str() > previous {
            return candidate;
        }
    }
    next.to_string()
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

    #[test]
    fn separators_are_short_and_between() {
        assert_eq!(shortest_separator("knee", "knit"), "kni");
        assert_eq!(shortest_separator("a", "b"), "b");
        assert_eq!(shortest_separator("run", "running"), "runn");
    }

    #[test]
    fn heads_hold_the_highest_impacts() {
        let postings = vec![(1, 5), (2, 9), (3, 1), (4, 9), (5, 3)];
        let (head, tail) = split_head(&postings, 3);
        assert_eq!(head, [(1, 5), (2, 9), (4, 9)]);
        assert_eq!(tail, [(3, 1), (5, 3)]);
        assert_eq!(split_head(&postings, 5).1, []);
    }

    #[test]
    fn long_postings_cut_into_head_tier_and_doc_blocks() {
        // Impacts 1..=20 on docs 0..20: head 2, tier 6, blocks of 16.
        let postings: Impacts = (0..20).map(|doc| (doc, doc + 1)).collect();
        let cut = cut_postings(&postings, 2);
        assert_eq!(cut.head, [(18, 19), (19, 20)]);
        assert_eq!(cut.tier, [(12, 13), (13, 14), (14, 15), (15, 16), (16, 17), (17, 18)]);
        assert_eq!(cut.blocks, [(0..12).map(|doc| (doc, doc + 1)).collect::<Impacts>()]);
        let short = cut_postings(&postings, 20);
        assert!(short.tier.is_empty() && short.blocks.is_empty());
    }

    #[test]
    fn postings_are_delta_encoded() {
        assert_eq!(delta_encode(&vec![(3, 10), (7, 5), (8, 1)]), [3, 10, 4, 5, 1, 1]);
    }
}
