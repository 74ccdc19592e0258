//! Readability of a page's prose: Flesch Reading Ease, Flesch-Kincaid grade
//! and SMOG grade, measured once per page, in parallel, on the text the parse
//! stage extracted (body and FAQ answers; no code, tables or references).
//!
//! The formulas, with their sources:
//!
//! - Flesch Reading Ease (Flesch, R. 1948, "A new readability yardstick",
//!   Journal of Applied Psychology 32(3), 221-233):
//!   `206.835 - 1.015 * words/sentences - 84.6 * syllables/words`.
//!   Higher is easier; 60-70 is plain English.
//! - Flesch-Kincaid grade level (Kincaid, Fishburne, Rogers and Chissom 1975,
//!   "Derivation of new readability formulas ... for Navy enlisted
//!   personnel", Research Branch Report 8-75):
//!   `0.39 * words/sentences + 11.8 * syllables/words - 15.59`.
//!   A US school grade; `[readability] patients_max_grade` is compared with it.
//! - SMOG grade (McLaughlin, G. H. 1969, "SMOG grading: a new readability
//!   formula", Journal of Reading 12(8), 639-646):
//!   `1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291`, where
//!   polysyllables are words of three or more syllables. McLaughlin sampled
//!   30 sentences; the `30 / sentences` factor scales any count to that.
//!   SMOG is widely used for patient materials and usually reads 1-2 grades
//!   above Flesch-Kincaid.

use rayon::prelude::*;
use serde::Serialize;

use crate::measure::prose::{Sentence, for_each_sentence};
use crate::parse::Page;
use crate::parse::markdown::ParsedMarkdown;

/// How many of a page's hardest sentences are kept to name in a warning.
pub(crate) const HARDEST_KEPT: usize = 3;

/// Sentences shorter than this rank below all longer ones when naming the
/// hardest: one long word alone ("Because.") has a high grade of its own
/// but is not what makes a page hard to read.
const SHORT_SENTENCE_WORDS: u32 = 5;

/// Pages with less prose than this get no reading grade judged (no
/// `readability` warning of `praxis check`). The formulas average words
/// per sentence and syllables per word, and on a few words one long word
/// or one missing full stop moves the grade by several school years: a
/// one-word page ("Contraindications.") reads as grade 44. Flesch (1948)
/// scored samples of 100 words, and Fry (1968) graded 100-word passages
/// too, so 100 words is the least text the grades were made for.
pub(crate) const MIN_GRADED_WORDS: u32 = 100;

/// Totals of a text, the inputs of every formula.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TextCounts {
    pub(crate) words: u32,
    pub(crate) sentences: u32,
    pub(crate) syllables: u32,
    pub(crate) polysyllables: u32,
}

impl TextCounts {
    fn add(&mut self, sentence: &Sentence) {
        self.words += sentence.words;
        self.sentences += 1;
        self.syllables += sentence.syllables;
        self.polysyllables += sentence.polysyllables;
    }

    fn words_per_sentence(&self) -> f64 {
        f64::from(self.words) / f64::from(self.sentences.max(1))
    }

    fn syllables_per_word(&self) -> f64 {
        f64::from(self.syllables) / f64::from(self.words.max(1))
    }

    /// Flesch (1948) Reading Ease.
    pub(crate) fn reading_ease(&self) -> f64 {
        206.835 - 1.015 * self.words_per_sentence() - 84.6 * self.syllables_per_word()
    }

    /// Kincaid et al. (1975) grade level.
    pub(crate) fn grade(&self) -> f64 {
        0.39 * self.words_per_sentence() + 11.8 * self.syllables_per_word() - 15.59
    }

    /// McLaughlin (1969) SMOG grade.
    pub(crate) fn smog(&self) -> f64 {
        1.0430 * (f64::from(self.polysyllables) * 30.0 / f64::from(self.sentences.max(1))).sqrt() + 3.1291
    }
}

/// Which text of a page a sentence is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ProseHome {
    Body,
    /// The answer of the page's n-th FAQ entry.
    Faq(usize),
}

/// One of the hardest sentences of a page, by its own Flesch-Kincaid grade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct HardSentence {
    pub(crate) home: ProseHome,
    /// Byte range in that text's [`ParsedMarkdown::text`].
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) grade: f64,
    /// Fewer than [`SHORT_SENTENCE_WORDS`] words.
    pub(crate) short: bool,
}

/// The readability of one page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReadabilityScore {
    pub(crate) counts: TextCounts,
    pub(crate) grade: f64,
    pub(crate) ease: f64,
    pub(crate) smog: f64,
    /// Hardest first, at most [`HARDEST_KEPT`].
    pub(crate) hardest: Vec<HardSentence>,
}

impl ReadabilityScore {
    /// Whether the page has enough prose for its grade to mean something
    /// ([`MIN_GRADED_WORDS`]); the scores are still measured and shown.
    pub(crate) fn is_gradable(&self) -> bool {
        self.counts.words >= MIN_GRADED_WORDS
    }
}

/// The readability of a page, or `None` when its prose has no sentence.
pub(crate) fn measure_page(page: &Page) -> Option<ReadabilityScore> {
    let texts = std::iter::once((ProseHome::Body, &page.body)).chain(
        page.faq
            .iter()
            .enumerate()
            .map(|(i, entry)| (ProseHome::Faq(i), &entry.answer)),
    );
    measure(texts)
}

/// The readability of some texts read as one.
pub(crate) fn measure<'a>(texts: impl Iterator<Item = (ProseHome, &'a ParsedMarkdown)>) -> Option<ReadabilityScore> {
    let mut counts = TextCounts::default();
    let mut hardest: Vec<HardSentence> = Vec::with_capacity(HARDEST_KEPT + 1);
    for (home, markdown) in texts {
        for_each_sentence(markdown, |sentence| {
            counts.add(&sentence);
            let mut one = TextCounts::default();
            one.add(&sentence);
            let candidate = HardSentence {
                home,
                start: sentence.start,
                end: sentence.end,
                grade: one.grade(),
                short: sentence.words < SHORT_SENTENCE_WORDS,
            };
            // Keep the few hardest in order; ties keep the earlier sentence.
            let at = hardest.partition_point(|kept| (!kept.short, kept.grade) >= (!candidate.short, candidate.grade));
            if at < HARDEST_KEPT {
                hardest.insert(at, candidate);
                hardest.truncate(HARDEST_KEPT);
            }
        });
    }
    (counts.sentences > 0).then(|| ReadabilityScore {
        counts,
        grade: counts.grade(),
        ease: counts.reading_ease(),
        smog: counts.smog(),
        hardest,
    })
}

/// Every page's readability, parallel to `pages`.
pub(crate) fn measure_pages(pages: &[Page]) -> Vec<Option<ReadabilityScore>> {
    pages.par_iter().map(measure_page).collect()
}

/// `page.readability` for templates and `praxis check --format json`:
/// the three scores to one decimal and the counts behind them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct ReadabilitySummary {
    pub(crate) grade: f64,
    pub(crate) ease: f64,
    pub(crate) smog: f64,
    pub(crate) words: u32,
    pub(crate) sentences: u32,
}

impl From<&ReadabilityScore> for ReadabilitySummary {
    fn from(score: &ReadabilityScore) -> Self {
        let round = |x: f64| (x * 10.0).round() / 10.0;
        ReadabilitySummary {
            grade: round(score.grade),
            ease: round(score.ease),
            smog: round(score.smog),
            words: score.counts.words,
            sentences: score.counts.sentences,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> ParsedMarkdown {
        ParsedMarkdown::prose_for_tests(text)
    }

    fn score(text: &str) -> ReadabilityScore {
        measure(std::iter::once((ProseHome::Body, &prose(text)))).expect("the text has sentences")
    }

    fn assert_close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 0.005, "expected {expected}, got {actual}");
    }

    /// "The cat sat on the mat. It was happy."
    /// 2 sentences, 9 words; every word has 1 syllable but hap-py (2): 10.
    /// words/sentence = 4.5, syllables/word = 10/9 = 1.1111.
    /// Ease  = 206.835 - 1.015 * 4.5 - 84.6 * 1.1111 = 206.835 - 4.5675 - 94.0 = 108.2675
    /// Grade = 0.39 * 4.5 + 11.8 * 1.1111 - 15.59 = 1.755 + 13.1111 - 15.59 = -0.7239
    /// SMOG  = 1.0430 * sqrt(0 * 30 / 2) + 3.1291 = 3.1291
    #[test]
    fn one_syllable_words_hand_worked() {
        let s = score("The cat sat on the mat. It was happy.");
        assert_eq!(
            s.counts,
            TextCounts {
                words: 9,
                sentences: 2,
                syllables: 10,
                polysyllables: 0
            }
        );
        assert_close(s.ease, 108.2675);
        assert_close(s.grade, -0.7239);
        assert_close(s.smog, 3.1291);
    }

    /// "Physical therapy helps recovery. Exercise builds strength."
    /// Syllables: phys-i-cal 3, ther-a-py 3, helps 1, re-cov-er-y 4 | ex-er-cise 3,
    /// builds 1, strength 1 = 16 over 7 words; polysyllables (3+): physical,
    /// therapy, recovery, exercise = 4. 2 sentences.
    /// words/sentence = 3.5, syllables/word = 16/7 = 2.285714.
    /// Ease  = 206.835 - 1.015 * 3.5 - 84.6 * 2.285714 = 206.835 - 3.5525 - 193.371429 = 9.911071
    /// Grade = 0.39 * 3.5 + 11.8 * 2.285714 - 15.59 = 1.365 + 26.971429 - 15.59 = 12.746429
    /// SMOG  = 1.0430 * sqrt(4 * 30 / 2) + 3.1291 = 1.0430 * 7.745967 + 3.1291 = 11.208144
    #[test]
    fn long_words_hand_worked() {
        let s = score("Physical therapy helps recovery. Exercise builds strength.");
        assert_eq!(
            s.counts,
            TextCounts {
                words: 7,
                sentences: 2,
                syllables: 16,
                polysyllables: 4
            }
        );
        assert_close(s.ease, 9.911071);
        assert_close(s.grade, 12.746429);
        assert_close(s.smog, 11.208144);
    }

    #[test]
    fn hardest_sentences_come_first() {
        let s = score("Walk. Neuromuscular rehabilitation improves coordination. Rest a bit. Sit down now.");
        let text = "Walk. Neuromuscular rehabilitation improves coordination. Rest a bit. Sit down now.";
        let hardest: Vec<&str> = s.hardest.iter().map(|h| &text[h.start..h.end]).collect();
        assert_eq!(hardest.len(), HARDEST_KEPT);
        assert_eq!(hardest[0], "Neuromuscular rehabilitation improves coordination.");
    }

    #[test]
    fn short_prose_is_measured_but_not_graded() {
        let one_word = score("Contraindications.");
        assert_eq!(one_word.counts.words, 1);
        assert!(one_word.grade > 8.0, "a single long word reads as a high grade");
        assert!(!one_word.is_gradable());
        // Six words a sentence: 96 words, then three or four more.
        let six_words = "Walk a little further every day. ".repeat(16);
        let just_under = score(&format!("{six_words}Rest now, please."));
        assert_eq!(just_under.counts.words, MIN_GRADED_WORDS - 1);
        assert!(!just_under.is_gradable());
        let enough = score(&format!("{six_words}Rest a bit now."));
        assert_eq!(enough.counts.words, MIN_GRADED_WORDS);
        assert!(enough.is_gradable());
    }

    #[test]
    fn prose_without_sentences_has_no_score() {
        assert!(measure(std::iter::once((ProseHome::Body, &prose("")))).is_none());
        assert!(measure(std::iter::once((ProseHome::Body, &prose("— … ?")))).is_none());
        assert!(measure(std::iter::once((ProseHome::Body, &ParsedMarkdown::default()))).is_none());
    }
}
