//! Text analysis for search: one English analyzer for tantivy, and the same
//! chain without the stemmer for the surface forms the static client looks
//! up (the client has no stemmer: the export maps surface forms to stems).
//!
//! Chain (docs/search-format.md, "Analysis"): SimpleTokenizer, RemoveLong(40), LowerCaser,
//! AsciiFolding, English stop words, English (Snowball) stemmer.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter, TextAnalyzer, TokenStream,
};

use crate::search::analysis::stemmer::{CachingStemmer, SurfaceLog};
use crate::search::parameters::PARAMETERS;

/// Name under which the analyzer is registered in the tantivy index.
pub(crate) const ANALYZER: &str = "praxis_en";

/// The full analyzer: text -> stems.
pub(crate) fn stemming_analyzer() -> TextAnalyzer {
    stemming_with(CachingStemmer::default())
}

/// The analyzer used for indexing: as [`stemming_analyzer`], and every
/// surface form it meets ends up in `log` with its stem.
pub(crate) fn logging_analyzer(log: SurfaceLog) -> TextAnalyzer {
    stemming_with(CachingStemmer::logging_to(log))
}

fn stemming_with(stemmer: CachingStemmer) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(PARAMETERS.long_word_bytes))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_words())
        .filter(stemmer)
        .build()
}

/// The full analyzer but for the stop-word filter: every word's stem, for
/// comparing short names such as tags, where a dropped "on" or "to" would
/// change the meaning ("hands-on" is not "hand").
pub(crate) fn every_word_stemming_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(PARAMETERS.long_word_bytes))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachingStemmer::default())
        .build()
}

/// The analyzer without the stemmer: text -> surface forms.
pub(crate) fn surface_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(PARAMETERS.long_word_bytes))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_words())
        .build()
}

/// Lower-casing and folding only, to export the folding table.
pub(crate) fn folding_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn stop_words() -> StopWordFilter {
    StopWordFilter::remove(english_stop_words().iter().map(|w| w.to_string()))
}

/// A short English stop list: function words only. Medical words such as
/// "back" or "well" must stay searchable, so this is shorter than most lists.
/// "s" and "t" are what the tokenizer leaves of "Parkinson's" and "don't":
/// as words they matched every possessive ("parkinson's" found "a doctor's
/// referral"). Patients type questions ("how long is PT", "can my husband
/// come"), and every query word must match for a page to rank first, so
/// question words and pronouns are stop words too: in "how long is PT" the
/// "how" of a chronic-pain page outranked the FAQ answer. "us" stays (US is
/// ultrasound).
pub(crate) fn english_stop_words() -> &'static [&'static str] {
    &[
        "a", "am", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "did", "do", "does", "for",
        "how", "i", "if", "in", "into", "is", "it", "me", "my", "no", "not", "of", "on", "or", "our", "s", "should",
        "such", "t", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "we", "what",
        "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
    ]
}

/// Every token of `text` through `analyzer`.
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logging_analyzer_hands_over_surfaces_when_dropped() {
        let log = SurfaceLog::default();
        let mut analyzer = logging_analyzer(log.clone());
        let mut clone = analyzer.clone();
        tokens(&mut analyzer, "Stretching the knees");
        tokens(&mut clone, "stretches");
        assert!(log.take().is_empty(), "nothing is handed over while in use");
        drop((analyzer, clone));
        let mut surfaces: Vec<_> = log.take().into_iter().collect();
        surfaces.sort();
        assert_eq!(
            surfaces,
            [("knees", "knee"), ("stretches", "stretch"), ("stretching", "stretch")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn stems_and_surfaces() {
        assert_eq!(
            tokens(&mut stemming_analyzer(), "Running Knees: the Stimulation"),
            ["run", "knee", "stimul"]
        );
        assert_eq!(
            tokens(&mut surface_analyzer(), "Running Knees: the Stimulation"),
            ["running", "knees", "stimulation"]
        );
        assert_eq!(tokens(&mut surface_analyzer(), "Übung café"), ["ubung", "cafe"]);
        assert_eq!(
            tokens(&mut surface_analyzer(), "Parkinson's, Parkinson’s; don't"),
            ["parkinson", "parkinson", "don"]
        );
        // The cache gives the same stems the second time round.
        let mut analyzer = stemming_analyzer();
        for _ in 0..2 {
            assert_eq!(tokens(&mut analyzer, "knees running knee"), ["knee", "run", "knee"]);
        }
        assert_eq!(
            tokens(&mut every_word_stemming_analyzer(), "Hands-on: the Stretching"),
            ["hand", "on", "the", "stretch"]
        );
        let long = "a".repeat(40);
        assert!(tokens(&mut surface_analyzer(), &long).is_empty());
        // Vowel signs are alphabetic, the nukta is not (as the browser has
        // it: tests/js/search.test.mjs).
        assert_eq!(tokens(&mut surface_analyzer(), "किताब पढ़ो"), ["किताब", "पढ", "ो"]);
    }
}
