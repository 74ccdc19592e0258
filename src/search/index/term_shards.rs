//! Term shards (docs/search-format.md, "terms/N.js" and "Heads, tiers and
//! blocks"): every stem and every surface form that differs from its stem,
//! in key order, cut into shards by size, so a query word costs one or two
//! small files. A stem's postings beyond its head go to a tier and to
//! doc-ordered blocks of their own files, which the browser fetches only as
//! far as its top results need them.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value, json};

use crate::search::index::export::script;
use crate::search::index::impacts::Impacts;
use crate::search::index::vocabulary::SearchMeta;

/// A term shard is closed once its JSON passes this many bytes (about 1 KB
/// gzipped). Every query word fetches one whole shard, so small shards keep
/// a further word cheap; on the 10k bench site going from 6,000 to 2,000
/// bytes cut the median further word's index data from 7.0 to 5.6 KB gzip
/// for 177 more files (there are 9.8k doc chunks besides).
const SHARD_TARGET_BYTES: usize = 2_000;

/// The first key of each term shard, and the files of every shard (name,
/// text): `terms/N.js` with its tiers and blocks. `pair_stems` are numbered
/// in their term shards (see [`crate::search::index::pairs`]).
pub(crate) fn term_shards(
    impacts: &BTreeMap<String, Impacts>,
    meta: &SearchMeta,
    head_size: usize,
    pair_stems: &[&str],
) -> (Vec<String>, Vec<(String, String)>) {
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
    // lists (`pairs`); their numbers are in their term shards.
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
    (boundaries, shard_texts)
}

/// Stems with more postings than this have blocks (more than a head and a
/// tier), and the most frequent of them get pair lists.
pub(crate) fn min_pair_postings(head_size: usize) -> usize {
    head_size * (1 + TIER_HEADS)
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
    /// Its number among the pair stems (`pairs`), if it is one.
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
