//! Pair lists for the static index (docs/search-format.md, "Pairs"): for
//! two of the site's most frequent stems, the docs that score highest on
//! both together, with both impacts, and a cap on what any other doc scores
//! on the two.
//!
//! Why: the client ranks exactly, so for a query of two common words
//! ("knee pain", "strength exercises") it must rule out every doc whose
//! bound could beat the tenth result. Each list's blocks only bound a doc
//! range by its largest impact, and two such bounds add up to more than any
//! real result, so the client used to fetch nearly all blocks of both lists
//! (24 blocks, 50 KB gzip, for "strength exercises" on the 10k bench site).
//! The top docs of a pair and the cap settle such a query from one small
//! file.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::search::impacts::Impacts;

/// How many stems get pair lists: the most frequent of those whose
/// postings go on into blocks. Their pairs make about 1,000 files (8,128
/// pairs, 8 to a file).
pub const PAIR_STEMS: usize = 128;
/// Pairs per file: those of one stem with 8 stems of consecutive numbers.
pub const PAIR_GROUP: usize = 8;
/// Docs listed per pair. On the 10k bench site the tenth page of a
/// two-word query of frequent words sat at most at the 12th doc by summed
/// impact; 20 leaves room for sections grouped under one page.
pub const PAIR_DOCS: usize = 20;

/// The pair stems, by number: the `PAIR_STEMS` stems with more than
/// `min_postings` postings that have the most postings (ties by stem).
pub fn pair_stems(impacts: &BTreeMap<String, Impacts>, min_postings: usize) -> Vec<&str> {
    let mut stems: Vec<(&str, usize)> = impacts
        .iter()
        .filter(|(_, postings)| postings.len() > min_postings)
        .map(|(stem, postings)| (stem.as_str(), postings.len()))
        .collect();
    stems.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    stems.truncate(PAIR_STEMS);
    stems.into_iter().map(|(stem, _)| stem).collect()
}

/// A pair's list: the `limit` docs with the highest summed impact (ties:
/// lower doc first) as (doc, impact on the first, on the second; 0 when
/// absent), sorted by doc, and the highest sum of any doc not listed (0
/// when every doc with either stem is listed).
#[derive(Debug, PartialEq)]
pub struct PairList {
    pub docs: Vec<(u32, u32, u32)>,
    pub cap: u32,
}

/// One stem's postings, laid out for pairing it with many others: its
/// impacts by doc number (0: absent), and its postings by impact, highest
/// first (ties: lower doc first).
struct DenseStem {
    by_doc: Vec<u32>,
    by_impact: Impacts,
}

impl DenseStem {
    fn new(postings: &Impacts, doc_count: usize) -> Self {
        let mut by_doc = vec![0; doc_count];
        for &(doc, impact) in postings {
            by_doc[doc as usize] = impact;
        }
        let mut by_impact = postings.clone();
        by_impact.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        DenseStem { by_doc, by_impact }
    }
}

/// (sum, doc, a, b), ordered so that the greater is the better: higher
/// sum, then lower doc.
type Ranked = (u32, Reverse<u32>, u32, u32);

/// The best `limit + 1` docs offered; the heap's top is the worst of them.
struct Best {
    heap: BinaryHeap<Reverse<Ranked>>,
    limit: usize,
}

impl Best {
    fn new(limit: usize) -> Self {
        Best {
            heap: BinaryHeap::with_capacity(limit + 2),
            limit,
        }
    }

    /// Whether a doc scoring `sum` could still enter.
    fn wants(&self, sum: u32, doc: u32) -> bool {
        self.heap.len() <= self.limit
            || self
                .heap
                .peek()
                .is_some_and(|worst| (sum, Reverse(doc)) > (worst.0.0, worst.0.1))
    }

    fn offer(&mut self, doc: u32, a: u32, b: u32) {
        if self.wants(a + b, doc) {
            self.heap.push(Reverse((a + b, Reverse(doc), a, b)));
            if self.heap.len() > self.limit + 1 {
                self.heap.pop();
            }
        }
    }

    fn into_list(self) -> PairList {
        let mut ranked: Vec<(u32, u32, u32, u32)> = self
            .heap
            .into_iter()
            .map(|Reverse((sum, Reverse(doc), a, b))| (sum, doc, a, b))
            .collect();
        ranked.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let cap = if ranked.len() > self.limit {
            ranked.pop().map_or(0, |(sum, ..)| sum)
        } else {
            0
        };
        let mut docs: Vec<(u32, u32, u32)> = ranked.into_iter().map(|(_, doc, a, b)| (doc, a, b)).collect();
        docs.sort_unstable();
        PairList { docs, cap }
    }
}

/// The pair list of `first` (laid out dense) and `second`. Every doc of
/// `second` is summed with one lookup; of the docs only in `first`, whose
/// sum is their impact there, only the highest can enter, so they are read
/// by impact until one cannot. On the 10k bench site the 8,128 pairs of
/// 128 stems take 0.2 s this way; merging both lists of each pair took
/// about 1.3 s.
fn pair_list_dense(first: &DenseStem, second: &Impacts, limit: usize) -> PairList {
    let mut best = Best::new(limit);
    for &(doc, b) in second {
        best.offer(doc, first.by_doc[doc as usize], b);
    }
    for &(doc, a) in &first.by_impact {
        if !best.wants(a, doc) {
            break;
        }
        if second.binary_search_by_key(&doc, |&(d, _)| d).is_err() {
            best.offer(doc, a, 0);
        }
    }
    best.into_list()
}

/// The pair list of two postings lists (sorted by doc).
pub fn pair_list(first: &Impacts, second: &Impacts, limit: usize) -> PairList {
    let doc_count = first
        .iter()
        .chain(second)
        .map(|&(doc, _)| doc as usize + 1)
        .max()
        .unwrap_or(0);
    pair_list_dense(&DenseStem::new(first, doc_count), second, limit)
}

/// The file holding the pair of stems numbered `first < second`.
pub fn pair_file(first: usize, second: usize) -> String {
    format!("pairs/{first}/{}.js", second / PAIR_GROUP)
}

/// Every pair file as (name, data): `{"pairs": {"SECOND": [cap, doc, a, b,
/// doc - previous doc, a, b, ...]}}` for each second stem of the group.
pub fn pair_files(stems: &[&str], impacts: &BTreeMap<String, Impacts>, doc_count: usize) -> Vec<(String, Value)> {
    let postings: Vec<&Impacts> = stems.iter().map(|stem| &impacts[*stem]).collect();
    // Each stem laid out once (128 x 4 bytes per doc: 35 MB for the 68k
    // docs of the 10k bench site), not once per file it is first in.
    let dense: Vec<DenseStem> = postings.par_iter().map(|p| DenseStem::new(p, doc_count)).collect();
    // The groups of second stems after each first: from that of `first + 1`
    // to that of the last stem.
    let groups: Vec<(usize, usize)> = (0..stems.len())
        .flat_map(|first| ((first + 1) / PAIR_GROUP..stems.len().div_ceil(PAIR_GROUP)).map(move |group| (first, group)))
        .filter(|&(first, _)| first + 1 < stems.len())
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

    #[test]
    fn a_pair_lists_the_best_sums_and_caps_the_rest() {
        let first: Impacts = vec![(1, 10), (2, 3), (4, 8), (6, 1)];
        let second: Impacts = vec![(2, 9), (3, 12), (4, 1), (7, 2)];
        // Sums: 1 -> 10, 2 -> 12, 3 -> 12, 4 -> 9, 6 -> 1, 7 -> 2.
        let list = pair_list(&first, &second, 3);
        assert_eq!(list.docs, [(1, 10, 0), (2, 3, 9), (3, 0, 12)]);
        assert_eq!(list.cap, 9);
        // Ties at the cut keep the lower doc, and the cap equals the tie.
        let tied = pair_list(&first, &second, 1);
        assert_eq!(tied.docs, [(2, 3, 9)]);
        assert_eq!(tied.cap, 12);
        // Every doc listed: nothing else can score.
        let all = pair_list(&first, &second, 10);
        assert_eq!(all.docs.len(), 6);
        assert_eq!(all.cap, 0);
        assert_eq!(encode(&list), [9, 1, 10, 0, 1, 3, 9, 1, 0, 12]);
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
        let files = pair_files(&stems, &impacts, 20);
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
