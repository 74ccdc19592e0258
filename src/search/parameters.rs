//! Every weight, threshold and length the search planner uses, named once.
//!
//! Search ranks alike in two places: the Rust planner (`praxis search`,
//! `praxis serve`) and the theme's JavaScript client over the static
//! export, and the parity tests compare the two. Both read these values
//! from [`PARAMETERS`]: the Rust code directly, the browser from the
//! manifest, where the export writes them under `parameters`
//! (docs/search-format.md, "manifest.js"). The client restates none of
//! them, so a change here changes both planners at once. Modelled on
//! Pagefind's `RankingWeights`: one documented place for every weight.
//!
//! Weights are powers of two and impacts are integers, so every score is
//! exact in binary floating point and Rust and JavaScript agree to the bit.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::parse::kind::Kind;

/// The parameters of the search planner, its snippets and its results.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct SearchParameters {
    /// How much a word counts in each field of a document: an impact is
    /// the sum over fields of `round(scale * boost * bm25)`. Built into the
    /// impacts at index time; in the manifest for reference only.
    pub(crate) field_boosts: FieldBoosts,
    /// The weight of a query word's own stem.
    pub(crate) exact_weight: f64,
    /// The weight of the stem found for a word form the content never uses
    /// ("therapies" -> `therapi`): the same word, so as much as its own.
    pub(crate) inflected_weight: f64,
    /// The weight of a prefix completion of the last word: the visitor may
    /// be typing another word, so a completion counts half.
    pub(crate) prefix_weight: f64,
    /// The weight of a typo candidate by edit distance: entry `d - 1` for
    /// distance `d`, the last for any further distance.
    pub(crate) typo_weights: [f64; 2],
    /// The OR factor of a document by how many query words (slots) it
    /// misses: entry 0 for none, 1 for one, the last for any more.
    pub(crate) or_factors: [f64; 3],
    /// With two or more slots, fewer documents than this matching every
    /// slot (AND) fall back to OR.
    pub(crate) and_enough: usize,
    /// The last query word gets prefix completions from this many
    /// characters on: one letter completes to too much to mean anything.
    pub(crate) prefix_min_chars: usize,
    /// Completions of the last word, those whose stems are in the most
    /// documents.
    pub(crate) prefix_completions: usize,
    /// Which words get typo candidates within which edit distance
    /// (Damerau-Levenshtein), by length in characters, shortest first: the
    /// last rule a word's length reaches counts, and a word shorter than
    /// every rule gets none (among short words nearly every word is one
    /// edit from another).
    pub(crate) typo_rules: [TypoRule; 2],
    /// Typo candidates per word, best by (distance, -df, surface).
    pub(crate) typo_candidates: usize,
    /// A word whose stem is in this many documents or fewer "finds little"
    /// ("pair" in "back pair"), so its typo candidates join it.
    pub(crate) rare_word_df: usize,
    /// Such a word's typo candidates must be in this many times as many
    /// documents as it is ("pain" in dozens): a rare word of its own is
    /// more likely meant than a commoner one.
    pub(crate) common_candidate_factor: usize,
    /// The shortest stem a word form the content never uses may fall back
    /// to: shorter prefixes are other words ("the" of "therapies").
    pub(crate) inflected_stem_min_chars: usize,
    /// The most characters that fallback may take off the word ("hurting"
    /// -> `hurt`, not "hurtfully" -> `hurt`).
    pub(crate) inflection_max_chars: usize,
    /// Queries are cut to this many words after analysis (long pasted text
    /// is no error, and costs no more than a long question).
    pub(crate) max_query_words: usize,
    /// Queries are cut to this many characters (code points) before
    /// analysis, less a word the cut runs through.
    pub(crate) max_query_chars: usize,
    /// A word of this many UTF-8 bytes or more is dropped, as tantivy's
    /// `RemoveLongFilter` drops it from the index.
    pub(crate) long_word_bytes: usize,
    /// The longest snippet, in characters.
    pub(crate) snippet_window_chars: usize,
    /// A matched stem of this many characters or fewer marks only a whole
    /// word: the "e" of "e-stim" would start too many words.
    pub(crate) whole_word_stem_chars: usize,
    /// Stands for the text left out before or after a snippet.
    pub(crate) snippet_ellipsis: &'static str,
    /// Kinds whose documents are results of their own, named by their own
    /// title: an FAQ entry answers its own question, while other sections
    /// group under their page and are named after it.
    pub(crate) standalone_kinds: &'static [Kind],
    /// What visitors read for each kind of result.
    pub(crate) kind_labels: KindLabels,
}

/// The boost of each text field of a search document.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct FieldBoosts {
    /// A page's title says what it is about: far above all else.
    pub(crate) title: f32,
    /// The page's own synonyms and the synonym names of its title: another
    /// name for the title.
    pub(crate) synonyms: f32,
    /// Headings name what the sections are about, above the text under them.
    pub(crate) headings: f32,
    /// The page's summary (front matter `description`).
    pub(crate) description: f32,
    /// The text: what every other boost is measured against.
    pub(crate) body: f32,
    /// Synonym names of what the headings and body mention: as much as the
    /// words they stand for.
    pub(crate) expansions: f32,
    /// Categories and tags.
    pub(crate) taxonomy: f32,
}

/// Words of `min_chars` characters or more get typo candidates within
/// `max_distance` edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct TypoRule {
    pub(crate) min_chars: usize,
    pub(crate) max_distance: usize,
}

/// Every kind's label ([`Kind::label`]), as `{"technique": "Technique",
/// ...}`: the labels live with the kinds, and this writes them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KindLabels;

impl Serialize for KindLabels {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Kind::ALL.len()))?;
        for kind in Kind::ALL {
            map.serialize_entry(kind.name(), kind.label())?;
        }
        map.end()
    }
}

/// The parameters Praxis searches with.
pub(crate) const PARAMETERS: SearchParameters = SearchParameters {
    field_boosts: FieldBoosts {
        title: 8.0,
        synonyms: 6.0,
        headings: 3.0,
        description: 2.0,
        body: 1.0,
        expansions: 1.0,
        taxonomy: 1.0,
    },
    exact_weight: 1.0,
    inflected_weight: 1.0,
    prefix_weight: 0.5,
    typo_weights: [0.5, 0.25],
    or_factors: [1.0, 0.5, 0.25],
    and_enough: 10,
    prefix_min_chars: 2,
    prefix_completions: 5,
    typo_rules: [
        TypoRule {
            min_chars: 4,
            max_distance: 1,
        },
        TypoRule {
            min_chars: 8,
            max_distance: 2,
        },
    ],
    typo_candidates: 3,
    rare_word_df: 2,
    common_candidate_factor: 10,
    inflected_stem_min_chars: 4,
    inflection_max_chars: 4,
    max_query_words: 12,
    max_query_chars: 1000,
    long_word_bytes: 40,
    snippet_window_chars: 160,
    whole_word_stem_chars: 2,
    snippet_ellipsis: "…",
    standalone_kinds: &[Kind::Faq],
    kind_labels: KindLabels,
};

impl SearchParameters {
    /// The most edits a typo candidate of a word of `chars` characters may
    /// be away from it; 0: the word gets no typo candidates.
    pub(crate) fn typo_max_distance(&self, chars: usize) -> usize {
        self.typo_rules
            .iter()
            .rev()
            .find(|rule| chars >= rule.min_chars)
            .map_or(0, |rule| rule.max_distance)
    }

    /// The weight of a typo candidate `distance` edits away (1 or more).
    pub(crate) fn typo_weight(&self, distance: usize) -> f64 {
        last_from(&self.typo_weights, distance.saturating_sub(1))
    }

    /// The OR factor of a document missing `missed` slots.
    pub(crate) fn or_factor(&self, missed: usize) -> f64 {
        last_from(&self.or_factors, missed)
    }

    /// Whether documents of `kind` are results of their own.
    pub(crate) fn is_standalone(&self, kind: Kind) -> bool {
        self.standalone_kinds.contains(&kind)
    }
}

/// Entry `index` of a non-empty table, or its last for any further index.
fn last_from(table: &[f64], index: usize) -> f64 {
    table[index.min(table.len() - 1)]
}

impl FieldBoosts {
    /// The text fields of the tantivy index with their boosts, in the order
    /// of [`crate::search::index::documents::DocFields::in_index_order`].
    pub(crate) fn in_index_order(&self) -> [(&'static str, f32); 7] {
        [
            ("title", self.title),
            ("synonyms", self.synonyms),
            ("headings", self.headings),
            ("description", self.description),
            ("body", self.body),
            ("expansions", self.expansions),
            ("taxonomy", self.taxonomy),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parameters the JavaScript tests load as the manifest's: they
    /// must be the ones the export writes.
    const JS_TEST_PARAMETERS: &str = include_str!("../../tests/search/parameters.json");

    #[test]
    fn the_javascript_tests_use_the_parameters_the_export_writes() {
        let written = serde_json::to_value(PARAMETERS).expect("the parameters serialize");
        let in_tests: serde_json::Value =
            serde_json::from_str(JS_TEST_PARAMETERS).expect("tests/search/parameters.json is JSON");
        assert_eq!(
            in_tests,
            written,
            "tests/search/parameters.json should read:\n{}",
            serde_json::to_string_pretty(&written).unwrap_or_default()
        );
    }

    #[test]
    fn typo_rules_by_length() {
        let lengths: Vec<usize> = (0..10).map(|chars| PARAMETERS.typo_max_distance(chars)).collect();
        assert_eq!(lengths, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
        // Every distance a rule allows has a weight of its own.
        let farthest = PARAMETERS.typo_rules.iter().map(|rule| rule.max_distance).max();
        assert_eq!(farthest, Some(PARAMETERS.typo_weights.len()));
        assert_eq!(
            (1..=3).map(|d| PARAMETERS.typo_weight(d)).collect::<Vec<_>>(),
            [0.5, 0.25, 0.25]
        );
    }

    #[test]
    fn or_factors_by_slots_missed() {
        let factors: Vec<f64> = (0..5).map(|missed| PARAMETERS.or_factor(missed)).collect();
        assert_eq!(factors, [1.0, 0.5, 0.25, 0.25, 0.25]);
    }

    #[test]
    fn weights_are_powers_of_two_so_scores_stay_exact() {
        let weights = [
            PARAMETERS.exact_weight,
            PARAMETERS.inflected_weight,
            PARAMETERS.prefix_weight,
        ]
        .into_iter()
        .chain(PARAMETERS.typo_weights)
        .chain(PARAMETERS.or_factors);
        for weight in weights {
            assert!(weight > 0.0 && weight.log2().fract() == 0.0, "{weight}");
        }
    }
}
