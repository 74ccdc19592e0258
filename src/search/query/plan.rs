//! The query planner, one algorithm for `praxis search`, `praxis serve` and
//! the browser (themes/default/static/search-engine.js implements the same
//! steps; docs/search-format.md is the shared description). Its weights and
//! thresholds are [`PARAMETERS`], which the browser reads from the manifest.
//!
//! Any text is a valid query: words are analysed like the index, each word
//! becomes a slot of weighted alternatives (exact stem; prefix completions
//! for the last word while typing; typo candidates), documents must match
//! every slot, and when that finds little, any slot with a penalty.

use std::collections::{HashMap, HashSet};

use crate::search::analysis::analyzer::surface_analyzer;
use crate::search::analysis::analyzer::tokens;
use crate::search::index::impacts::Impacts;
use crate::search::parameters::PARAMETERS;

/// One entry of the vocabulary: a surface form, its stem, the stem's df.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VocabEntry {
    pub(crate) surface: String,
    pub(crate) stem: String,
    pub(crate) df: u32,
}

/// What the planner needs to know about an index.
pub(crate) trait SearchSource {
    /// The stem of a surface form, if the form occurs in the index.
    fn stem_of(&self, surface: &str) -> Option<String>;
    /// Impacts of a stem (empty when it is not indexed).
    fn postings(&self, stem: &str) -> Impacts;
    /// Vocabulary entries whose surface starts with `prefix`.
    fn with_prefix(&self, prefix: &str) -> Vec<VocabEntry>;
    /// Vocabulary entries whose surface starts with `letter`.
    fn with_first_letter(&self, letter: char) -> Vec<VocabEntry>;
    /// The kind name and page path of a document.
    fn doc_kind(&self, ordinal: u32) -> &str;
    fn doc_page(&self, ordinal: u32) -> &str;
}

/// A ranked document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RankedDoc {
    pub(crate) ordinal: u32,
    pub(crate) score: f64,
}

/// The planner's answer: documents best first, one per page, and the stems
/// that matched (for snippets).
#[derive(Debug, Clone, Default)]
pub(crate) struct Ranking {
    pub(crate) docs: Vec<RankedDoc>,
    pub(crate) stems: Vec<String>,
}

/// The analysed words of a query, cut to `max_query_words`.
pub(crate) fn query_words(query: &str) -> Vec<String> {
    let mut words = tokens(&mut surface_analyzer(), cut_query(query));
    words.truncate(PARAMETERS.max_query_words);
    words
}

/// Very long input is cut before analysis, so a pasted book is cheap: to
/// its first `max_query_chars` characters, less a word the cut runs
/// through (which would read as a prefix of itself).
pub(crate) fn cut_query(query: &str) -> &str {
    let Some((cut, next)) = query.char_indices().nth(PARAMETERS.max_query_chars) else {
        return query;
    };
    let kept = &query[..cut];
    if !next.is_alphanumeric() {
        return kept;
    }
    kept.trim_end_matches(char::is_alphanumeric)
}

/// Which helpers of the planner are on. Both are on in production; the
/// relevance benchmark turns them off to compare with plain BM25.
#[derive(Debug, Clone, Copy)]
pub struct PlanOptions {
    pub prefixes: bool,
    pub typos: bool,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            prefixes: true,
            typos: true,
        }
    }
}

/// Ranks documents for `query`, optionally of one kind only.
#[cfg(test)]
pub(crate) fn rank(source: &dyn SearchSource, query: &str, kind: Option<&str>) -> Ranking {
    rank_with(source, query, kind, PlanOptions::default())
}

/// [`rank`] with some planner helpers turned off.
pub(crate) fn rank_with(source: &dyn SearchSource, query: &str, kind: Option<&str>, options: PlanOptions) -> Ranking {
    let words = query_words(query);
    let last = words.len().saturating_sub(1);
    let slots: Vec<Vec<(String, f64)>> = words
        .iter()
        .enumerate()
        .map(|(i, word)| alternatives(source, word, i == last, options))
        .filter(|slot| !slot.is_empty())
        .collect();
    if slots.is_empty() {
        return Ranking::default();
    }
    // For each slot: doc -> best weighted impact among its alternatives.
    let slot_scores: Vec<HashMap<u32, f64>> = slots
        .iter()
        .map(|slot| {
            let mut best: HashMap<u32, f64> = HashMap::new();
            for (stem, weight) in slot {
                for (ordinal, impact) in source.postings(stem) {
                    let score = f64::from(impact) * weight;
                    let entry = best.entry(ordinal).or_insert(0.0);
                    if score > *entry {
                        *entry = score;
                    }
                }
            }
            best
        })
        .collect();
    let mut matched: HashMap<u32, (usize, f64)> = HashMap::new();
    for scores in &slot_scores {
        for (&ordinal, &score) in scores {
            let entry = matched.entry(ordinal).or_insert((0, 0.0));
            entry.0 += 1;
            entry.1 += score;
        }
    }
    let mut all_slots: Vec<RankedDoc> = matched
        .iter()
        .filter(|(_, (count, _))| *count == slots.len())
        .map(|(&ordinal, &(_, score))| RankedDoc { ordinal, score })
        .collect();
    // The AND/OR decision is taken before the kind filter, on the count of
    // docs of every kind: the browser decides alike from doc numbers.
    // With OR, a doc missing a word ranks by its penalised score among the
    // docs having every word: a strong match of two words of three ("is
    // mirror therapy safe" on the Mirror therapy page) beats a weak match
    // of all three.
    if all_slots.len() < PARAMETERS.and_enough && slots.len() >= 2 {
        all_slots.extend(matched.iter().filter(|(_, (count, _))| *count < slots.len()).map(
            |(&ordinal, &(count, score))| RankedDoc {
                ordinal,
                score: score * PARAMETERS.or_factor(slots.len() - count),
            },
        ));
    }
    sort_ranked(&mut all_slots);
    all_slots.retain(|doc| kind.is_none_or(|k| source.doc_kind(doc.ordinal) == k));
    // A page's best document stands for it.
    let mut seen_pages: HashSet<&str> = HashSet::new();
    let docs = all_slots
        .into_iter()
        .filter(|doc| seen_pages.insert(source.doc_page(doc.ordinal)))
        .collect();
    let mut stems: Vec<String> = slots.into_iter().flatten().map(|(stem, _)| stem).collect();
    stems.sort();
    stems.dedup();
    Ranking { docs, stems }
}

fn sort_ranked(docs: &mut [RankedDoc]) {
    docs.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.ordinal.cmp(&b.ordinal)));
}

/// The weighted stems a query word stands for.
fn alternatives(source: &dyn SearchSource, word: &str, is_last: bool, options: PlanOptions) -> Vec<(String, f64)> {
    let stem = source.stem_of(word).unwrap_or_else(|| word.to_string());
    let df = source.postings(&stem).len();
    if df > 0 {
        let mut found = vec![(stem, PARAMETERS.exact_weight)];
        // A word that finds little: typo candidates far more common join it
        // ("back pair": "pair" is in two documents, "pain" in dozens).
        if options.typos && df <= PARAMETERS.rare_word_df {
            let min_df = df * PARAMETERS.common_candidate_factor;
            for (candidate, weight) in typo_candidates(source, word, min_df) {
                push_alternative(&mut found, candidate, weight);
            }
        }
        return found;
    }
    let mut found: Vec<(String, f64)> = Vec::new();
    if options.prefixes && is_last && word.chars().count() >= PARAMETERS.prefix_min_chars {
        let mut completions = source.with_prefix(word);
        completions.sort_by(|a, b| b.df.cmp(&a.df).then_with(|| a.surface.cmp(&b.surface)));
        for entry in completions.into_iter().take(PARAMETERS.prefix_completions) {
            push_alternative(&mut found, entry.stem, PARAMETERS.prefix_weight);
        }
    }
    if found.is_empty()
        && let Some(stem) = inflected_stem(source, word)
    {
        return vec![(stem, PARAMETERS.inflected_weight)];
    }
    if options.typos && found.is_empty() {
        for (candidate, weight) in typo_candidates(source, word, 0) {
            push_alternative(&mut found, candidate, weight);
        }
    }
    found
}

/// Typo candidates of a word long enough for them (`typo_rules`): the
/// surfaces of its first letter's vocabulary within its Damerau-Levenshtein
/// distance whose stem is in `min_df` documents or more, best
/// `typo_candidates` by (distance, -df, surface), weighing `typo_weights`
/// by distance.
fn typo_candidates(source: &dyn SearchSource, word: &str, min_df: usize) -> Vec<(String, f64)> {
    let max_distance = PARAMETERS.typo_max_distance(word.chars().count());
    if max_distance == 0 {
        return Vec::new();
    }
    let first = word.chars().next().unwrap_or('a');
    let mut candidates: Vec<(usize, VocabEntry)> = source
        .with_first_letter(first)
        .into_iter()
        .filter(|entry| entry.df as usize >= min_df)
        .filter_map(|entry| {
            let distance = damerau_levenshtein(word, &entry.surface, max_distance)?;
            (distance > 0).then_some((distance, entry))
        })
        .collect();
    candidates.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.df.cmp(&a.1.df))
            .then_with(|| a.1.surface.cmp(&b.1.surface))
    });
    candidates
        .into_iter()
        .take(PARAMETERS.typo_candidates)
        .map(|(distance, entry)| (entry.stem, PARAMETERS.typo_weight(distance)))
        .collect()
}

/// The stem of a word form the content never uses: the longest indexed
/// stem of `inflected_stem_min_chars` or more that the word starts with,
/// at most `inflection_max_chars` shorter ("therapies" -> "therapi",
/// "hurting" -> "hurt", "mirrors" -> "mirror"). The index knows the stems
/// of the forms it met, and the browser has no stemmer, so both look it
/// up this way.
fn inflected_stem(source: &dyn SearchSource, word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    let shortest = PARAMETERS
        .inflected_stem_min_chars
        .max(chars.len().saturating_sub(PARAMETERS.inflection_max_chars));
    (shortest..chars.len())
        .rev()
        .map(|end| chars[..end].iter().collect::<String>())
        .find(|prefix| !source.postings(prefix).is_empty())
}

fn push_alternative(found: &mut Vec<(String, f64)>, stem: String, weight: f64) {
    match found.iter_mut().find(|(s, _)| *s == stem) {
        Some(existing) => existing.1 = existing.1.max(weight),
        None => found.push((stem, weight)),
    }
}

/// Optimal-string-alignment Damerau-Levenshtein distance (a transposition
/// counts as one edit), or `None` when it exceeds `max`.
pub(crate) fn damerau_levenshtein(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        rows[i * width] = i;
    }
    for (j, cell) in rows.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = best;
        }
    }
    let distance = rows[a.len() * width + b.len()];
    (distance <= max).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixture {
        postings: HashMap<String, Impacts>,
        surfaces: Vec<VocabEntry>,
        kinds: Vec<&'static str>,
        pages: Vec<&'static str>,
    }

    impl SearchSource for Fixture {
        fn stem_of(&self, surface: &str) -> Option<String> {
            self.surfaces
                .iter()
                .find(|e| e.surface == surface)
                .map(|e| e.stem.clone())
        }
        fn postings(&self, stem: &str) -> Impacts {
            self.postings.get(stem).cloned().unwrap_or_default()
        }
        fn with_prefix(&self, prefix: &str) -> Vec<VocabEntry> {
            self.surfaces
                .iter()
                .filter(|e| e.surface.starts_with(prefix))
                .cloned()
                .collect()
        }
        fn with_first_letter(&self, letter: char) -> Vec<VocabEntry> {
            self.surfaces
                .iter()
                .filter(|e| e.surface.starts_with(letter))
                .cloned()
                .collect()
        }
        fn doc_kind(&self, ordinal: u32) -> &str {
            self.kinds[ordinal as usize]
        }
        fn doc_page(&self, ordinal: u32) -> &str {
            self.pages[ordinal as usize]
        }
    }

    fn fixture() -> Fixture {
        let entry = |surface: &str, stem: &str, df| VocabEntry {
            surface: surface.into(),
            stem: stem.into(),
            df,
        };
        Fixture {
            postings: [
                ("knee".to_string(), vec![(0, 500), (1, 100), (3, 80)]),
                ("pain".to_string(), vec![(1, 300), (2, 200)]),
                ("neuromuscular".to_string(), vec![(2, 700)]),
            ]
            .into_iter()
            .collect(),
            surfaces: vec![
                entry("knee", "knee", 3),
                entry("knees", "knee", 3),
                entry("pain", "pain", 2),
                entry("neuromuscular", "neuromuscular", 1),
            ],
            kinds: vec!["technique", "article", "faq", "article"],
            pages: vec!["/a/", "/b/", "/c/", "/b/"],
        }
    }

    #[test]
    fn and_first_then_or_with_penalty() {
        let ranking = rank(&fixture(), "knees pain", None);
        let order: Vec<(u32, f64)> = ranking.docs.iter().map(|d| (d.ordinal, d.score)).collect();
        // Doc 1 matches both words; then docs matching one word, halved;
        // doc 3 is on page /b/ like doc 1 and is grouped away.
        assert_eq!(order, [(1, 400.0), (0, 250.0), (2, 100.0)]);
    }

    #[test]
    fn with_or_a_strong_match_of_some_words_beats_a_weak_match_of_all() {
        let mut fixture = fixture();
        // Doc 3 has both words, weakly (80 + 10); doc 0 only "knee" (500 / 2).
        fixture
            .postings
            .insert("pain".into(), vec![(1, 300), (2, 200), (3, 10)]);
        fixture.pages[3] = "/d/";
        let order: Vec<(u32, f64)> = rank(&fixture, "knee pain", None)
            .docs
            .iter()
            .map(|d| (d.ordinal, d.score))
            .collect();
        assert_eq!(order, [(1, 400.0), (0, 250.0), (2, 100.0), (3, 90.0)]);
    }

    #[test]
    fn a_word_form_never_used_finds_the_longest_stem_it_starts_with() {
        let fixture = fixture();
        // "kneeling" is no surface: "knee" is its stem, at full weight.
        let found = rank(&fixture, "kneeling pain", None);
        assert_eq!(
            found.docs[0],
            RankedDoc {
                ordinal: 1,
                score: 400.0
            }
        );
        assert_eq!(found.stems, ["knee", "pain"]);
        // At most 4 letters off, and a stem of 4 letters or more.
        assert!(inflected_stem(&fixture, "kneecapped").is_none());
        assert_eq!(inflected_stem(&fixture, "pains").as_deref(), Some("pain"));
        assert!(inflected_stem(&fixture, "pai").is_none());
    }

    #[test]
    fn a_word_in_two_documents_or_fewer_gets_far_commoner_typo_candidates() {
        let mut fixture = fixture();
        let entry = |surface: &str, df| VocabEntry {
            surface: surface.into(),
            stem: surface.into(),
            df,
        };
        fixture.postings.insert("pair".into(), vec![(3, 40)]);
        fixture.postings.insert("paid".into(), vec![(2, 10)]);
        fixture.surfaces.extend([entry("pair", 1), entry("paid", 9)]);
        // "pain" is in 2 documents, "paid" in 9: only "pain" has 10 times
        // the single document of "pair".
        fixture.surfaces.retain(|e| e.surface != "pain");
        fixture.surfaces.push(entry("pain", 10));
        let slot = alternatives(&fixture, "pair", false, PlanOptions::default());
        assert_eq!(slot, [("pair".to_string(), 1.0), ("pain".to_string(), 0.5)]);
        // "knee" is in 3 documents: it finds enough.
        assert_eq!(
            alternatives(&fixture, "knee", false, PlanOptions::default()),
            [("knee".to_string(), 1.0)]
        );
        let plain = PlanOptions {
            prefixes: true,
            typos: false,
        };
        assert_eq!(
            alternatives(&fixture, "pair", false, plain),
            [("pair".to_string(), 1.0)]
        );
    }

    #[test]
    fn a_long_query_is_cut_before_a_word_the_cut_runs_through() {
        let long = format!("{}stroke", "the ".repeat(249));
        assert_eq!(long.chars().count(), 1002);
        assert_eq!(cut_query(&long), "the ".repeat(249));
        let spaced = format!("{}knee pain", "x ".repeat(498));
        assert_eq!(cut_query(&spaced), format!("{}knee", "x ".repeat(498)));
        assert_eq!(cut_query("knee"), "knee");
        assert_eq!(query_words(&long), Vec::<String>::new());
    }

    #[test]
    fn prefix_for_the_last_word_and_typos() {
        assert_eq!(rank(&fixture(), "kne", None).docs[0].ordinal, 0);
        let typo = rank(&fixture(), "neuromuscluar", None);
        assert_eq!(
            typo.docs,
            [RankedDoc {
                ordinal: 2,
                score: 350.0
            }]
        );
        assert!(rank(&fixture(), "zzzz", None).docs.is_empty());
    }

    #[test]
    fn empty_and_wild_queries_are_fine() {
        assert!(rank(&fixture(), "", None).docs.is_empty());
        assert!(rank(&fixture(), "\"((AND OR:*", None).docs.is_empty());
        let long = "knee ".repeat(10_000);
        assert_eq!(rank(&fixture(), &long, None).docs[0].ordinal, 0);
    }

    #[test]
    fn kind_filter_applies_before_grouping() {
        let ranking = rank(&fixture(), "knee", Some("article"));
        assert_eq!(ranking.docs.iter().map(|d| d.ordinal).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn damerau_levenshtein_counts_transpositions_once() {
        assert_eq!(damerau_levenshtein("neuromuscluar", "neuromuscular", 2), Some(1));
        assert_eq!(damerau_levenshtein("knee", "knees", 1), Some(1));
        assert_eq!(damerau_levenshtein("knee", "kneeling", 2), None);
    }
}
