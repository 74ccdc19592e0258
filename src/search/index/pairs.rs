//! Pair lists for the static index (docs/search-format.md, "Pairs"): for
//! two of the site's most frequent stems, the docs having both that score
//! highest on the two together, with both impacts, and a cap on what any
//! other doc having both scores.
//!
//! Why: the client ranks exactly, so for a query of two common words
//! ("knee pain", "strength exercises") it must rule out every doc whose
//! bound could beat the tenth result. Each list's blocks only bound a doc
//! range by its largest impact, and two such bounds add up to more than any
//! real result, so the client used to fetch nearly all blocks of both lists
//! (24 blocks, 50 KB gzip, for "strength exercises" on the 10k bench site).
//! Such a query ranks the docs having both words (AND, step 4 of the query
//! planning), so their top and the cap settle it from one small file; and
//! when 20 or fewer docs have both, the list holds all of them, which
//! tells the client that no other doc does.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::search::index::impacts::Impacts;

/// How many stems get pair lists: the most frequent of those whose
/// postings go on into blocks. Their pairs make about 1,000 files (8,128
/// pairs, 8 to a file).
pub(crate) const PAIR_STEMS: usize = 128;
/// Pairs per file: those of one stem with 8 stems of consecutive numbers.
pub(crate) const PAIR_GROUP: usize = 8;
/// Docs listed per pair: ten results, and room for sections grouped under
/// their page and for a kind filter.
pub(crate) const PAIR_DOCS: usize = 20;

/// The pair stems, by number: the `PAIR_STEMS` stems with more than
/// `min_postings` postings that have the most postings (ties by stem).
pub(crate) fn pair_stems(impacts: &BTreeMap<String, Impacts>, min_postings: usize) -> Vec<&str> {
    let mut stems: Vec<(&str, usize)> = impacts
        .iter()
        .filter(|(_, postings)| postings.len() > min_postings)
        .map(|(stem, postings)| (stem.as_str(), postings.len()))
        .collect();
    stems.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    stems.truncate(PAIR_STEMS);
    stems.into_iter().map(|(stem, _)| stem).collect()
}

/// A pair's list: of the docs having both stems, the `limit` with the
/// highest summed impact (ties: lower doc first) as (doc, impact on the
/// first, on the second), sorted by doc, and the highest sum of any other
/// (0 when all are listed).
#[derive(Debug, PartialEq)]
pub(crate) struct PairList {
    pub(crate) docs: Vec<(u32, u32, u32)>,
    pub(crate) cap: u32,
}

/// One stem's impacts by doc number (0: absent), for pairing it with many
/// others by one lookup per posting of theirs.
fn dense(postings: &Impacts, doc_count: usize) -> Vec<u32> {
    let mut by_doc = vec![0; doc_count];
    for &(doc, impact) in postings {
        by_doc[doc as usize] = impact;
    }
    by_doc
}

/// (sum, doc, a, b), ordered so that the greater is the better: higher
/// sum, then lower doc.
type Ranked = (u32, Reverse<u32>, u32, u32);

/// The pair list of `first` (laid out by [`dense`]) and `second`. A heap
/// keeps the best `limit + 1`; `second` comes in doc order, so a doc tying
/// the worst kept is worse than it, and a doc not above the worst kept sum
/// costs one comparison, without a branch on whether it has `first`. On
/// the 10k bench site the 8,128 pairs of 128 stems (128 million postings
/// read) take 0.3 s of CPU this way, against 0.9 s with that branch.
fn pair_list_dense(first: &[u32], second: &Impacts, limit: usize) -> PairList {
    let mut best: BinaryHeap<Reverse<Ranked>> = BinaryHeap::with_capacity(limit + 2);
    // The sum a doc must pass to be kept: 0 until `limit + 1` are kept.
    let mut threshold = 0;
    for &(doc, b) in second {
        let a = first[doc as usize];
        let sum = if a == 0 { 0 } else { a + b };
        if sum > threshold {
            best.push(Reverse((sum, Reverse(doc), a, b)));
            if best.len() > limit + 1 {
                best.pop();
            }
            if best.len() > limit {
                threshold = best.peek().map_or(0, |worst| worst.0.0);
            }
        }
    }
    let mut ranked: Vec<Ranked> = best.into_iter().map(|Reverse(entry)| entry).collect();
    ranked.sort_unstable_by(|x, y| y.cmp(x));
    let cap = if ranked.len() > limit {
        ranked.pop().map_or(0, |(sum, ..)| sum)
    } else {
        0
    };
    let mut docs: Vec<(u32, u32, u32)> = ranked.into_iter().map(|(_, Reverse(doc), a, b)| (doc, a, b)).collect();
    docs.sort_unstable();
    PairList { docs, cap }
}

/// The file holding the pair of stems numbered `first < second`.
pub(crate) fn pair_file(first: usize, second: usize) -> String {
    format!("pairs/{first}/{}.js", second / PAIR_GROUP)
}

/// Every pair file as (name, data): `{"pairs": {"SECOND": [cap, doc, a, b,
/// doc - previous doc, a, b, ...]}}` for each second stem of the group.
pub(crate) fn pair_files(stems: &[&str], impacts: &BTreeMap<String, Impacts>) -> Vec<(String, Value)> {
    let postings: Vec<&Impacts> = stems.iter().map(|stem| &impacts[*stem]).collect();
    // Postings are sorted by doc: the last docs bound every lookup.
    let doc_count = postings
        .iter()
        .filter_map(|p| p.last())
        .map(|&(doc, _)| doc as usize + 1)
        .max()
        .unwrap_or(0);
    // Each stem laid out once (128 x 4 bytes per doc: 35 MB for the 68k
    // docs of the 10k bench site), not once per file it is first in.
    let dense: Vec<Vec<u32>> = postings.par_iter().map(|p| dense(p, doc_count)).collect();
    // The groups of second stems after each first: from that of `first + 1`
    // to that of the last stem.
    let groups: Vec<(usize, usize)> = (0..stems.len().saturating_sub(1))
        .flat_map(|first| ((first + 1) / PAIR_GROUP..stems.len().div_ceil(PAIR_GROUP)).map(move |group| (first, group)))
        .collect();
    groups
        .into_par_iter()
        .map(|(first, group)| {
            let seconds = (group * PAIR_GROUP).max(first + 1)..((group + 1) * PAIR_GROUP).min(stems.len());
            let mut pairs = Map::new();
            for second in seconds {
                let list = pair_list_dense(&dense[first], postings[second], PAIR_DOCS);
                pairs.insert(second.to_string(), Value::from(encode(&list)));
            }
            (pair_file(first, group * PAIR_GROUP), json!({ "pairs": pairs }))
        })
        .collect()
}

/// `[cap, doc, a, b, doc - previous doc, a, b, ...]`.
fn encode(list: &PairList) -> Vec<u32> {
    let mut flat = Vec::with_capacity(1 + list.docs.len() * 3);
    flat.push(list.cap);
    let mut previous = 0;
    for &(doc, a, b) in &list.docs {
        flat.extend([doc - previous, a, b]);
        previous = doc;
    }
    flat
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pair list of two postings lists (sorted by doc).
    fn pair_list(first: &Impacts, second: &Impacts, limit: usize) -> PairList {
        let doc_count = first
            .iter()
            .chain(second)
            .map(|&(doc, _)| doc as usize + 1)
            .max()
            .unwrap_or(0);
        pair_list_dense(&dense(first, doc_count), second, limit)
    }

    #[test]
    fn a_pair_lists_the_best_sums_of_docs_having_both_and_caps_the_rest() {
        let first: Impacts = vec![(1, 10), (2, 3), (3, 8), (4, 8), (6, 1)];
        let second: Impacts = vec![(2, 9), (3, 4), (4, 1), (5, 30), (6, 2)];
        // Docs having both: 2 -> 12, 3 -> 12, 4 -> 9, 6 -> 3 (1 and 5 have one).
        let list = pair_list(&first, &second, 2);
        assert_eq!(list.docs, [(2, 3, 9), (3, 8, 4)]);
        assert_eq!(list.cap, 9);
        // Ties at the cut keep the lower doc, and the cap equals the tie.
        let tied = pair_list(&first, &second, 1);
        assert_eq!(tied.docs, [(2, 3, 9)]);
        assert_eq!(tied.cap, 12);
        // All listed: no other doc has both.
        let all = pair_list(&first, &second, 4);
        assert_eq!(all.docs, [(2, 3, 9), (3, 8, 4), (4, 8, 1), (6, 1, 2)]);
        assert_eq!(all.cap, 0);
        assert_eq!(encode(&list), [9, 2, 3, 9, 1, 8, 4]);
    }

    #[test]
    fn pair_stems_are_the_longest_lists_past_the_threshold() {
        let mut impacts = BTreeMap::new();
        impacts.insert("short".to_string(), vec![(0, 1)]);
        impacts.insert("long".to_string(), (0..5).map(|d| (d, 1)).collect());
        impacts.insert("longer".to_string(), (0..6).map(|d| (d, 1)).collect());
        impacts.insert("also".to_string(), (0..5).map(|d| (d, 1)).collect());
        assert_eq!(pair_stems(&impacts, 1), ["longer", "also", "long"]);
    }

    #[test]
    fn every_pair_is_in_one_file_of_its_group() {
        let impacts: BTreeMap<String, Impacts> = (0..19)
            .map(|n| (format!("s{n:02}"), vec![(n, 1), (n + 1, 2)]))
            .collect();
        let stems: Vec<&str> = impacts.keys().map(String::as_str).collect();
        let files = pair_files(&stems, &impacts);
        let mut seen = Vec::new();
        for (name, data) in &files {
            for second in data["pairs"].as_object().unwrap().keys() {
                let second: usize = second.parse().unwrap();
                let first: usize = name.split('/').nth(1).unwrap().parse().unwrap();
                assert!(first < second);
                assert_eq!(*name, pair_file(first, second));
                seen.push((first, second));
            }
        }
        seen.sort();
        let expected: Vec<(usize, usize)> = (0..19).flat_map(|a| (a + 1..19).map(move |b| (a, b))).collect();
        assert_eq!(seen, expected);
    }
}
