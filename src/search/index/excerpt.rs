//! The text a result's snippet is cut from: the start of the document, plus
//! the sentences further on that hold its rarest words.
//!
//! The browser gets this text in the doc chunks, so it must stay short (a
//! result costs its bytes), yet a document is found by any word it holds:
//! a page that mentions "metronome" once, far down, showed its opening
//! lines with nothing marked. Queries are unknown at build time, but a
//! document ranks for its rare words far more than for its common ones, so
//! the excerpt adds the sentences holding the rarest words its start lacks.
//! `praxis search` cuts the same excerpt from the full text it stores, with
//! the same document frequencies, so both show the same snippet.

use std::collections::BTreeMap;

use rustc_hash::FxHashSet;

use crate::search::analysis::folding::folding_table;

/// Characters of a document's start, always kept.
pub(crate) const HEAD_CHARS: usize = 400;
/// Characters of further sentences at most, and how many.
const EXTRA_CHARS: usize = 240;
const EXTRA_SENTENCES: usize = 2;
/// A longer sentence is cut into pieces of at most this many characters.
const PIECE_CHARS: usize = 200;
/// Between the parts of an excerpt.
const GAP: &str = " … ";

/// How rare each word is: the document frequency of a surface form's stem,
/// and the most a word may have to count as rare.
pub(crate) struct Rarity<F: Fn(&str) -> Option<u32>> {
    pub(crate) df: F,
    pub(crate) max_df: u32,
}

/// The most documents a rare word may be in: a twentieth of them (at least 3).
pub(crate) fn rare_max_df(documents: usize) -> u32 {
    u32::try_from(documents / 20).unwrap_or(u32::MAX).max(3)
}

/// The excerpt of `text`: its first [`HEAD_CHARS`] characters (whitespace
/// collapsed, cut after a whole word), then, when the text goes on, up to
/// two later sentences (or pieces of long ones) whose rare words, not in
/// the start, weigh most, in text order, each after " … ".
pub(crate) fn excerpt<F: Fn(&str) -> Option<u32>>(text: &str, rarity: &Rarity<F>) -> String {
    let mut head = String::new();
    let mut head_chars = 0;
    // Where the text goes on after the head, and whether the head ended
    // inside a piece, which is then not offered again.
    let mut rest: Option<(usize, bool)> = None;
    let mut previous_end = 0;
    for word in text.split_whitespace() {
        let start = word.as_ptr() as usize - text.as_ptr() as usize;
        if head_chars >= HEAD_CHARS {
            let between = &text[previous_end..start];
            let piece_ended = between.contains('\n') || head.ends_with(['.', '!', '?']);
            rest = Some((start, !piece_ended));
            break;
        }
        if !head.is_empty() {
            head.push(' ');
            head_chars += 1;
        }
        head.push_str(word);
        head_chars += word.chars().count();
        previous_end = start + word.len();
    }
    if let Some((cut, _)) = head.char_indices().nth(HEAD_CHARS) {
        head.truncate(cut);
    }
    let Some((start, inside_piece)) = rest else {
        return head;
    };
    let pieces = pieces(&text[start..]);
    let later = &pieces[usize::from(inside_piece).min(pieces.len())..];
    if later.is_empty() {
        return head;
    }
    // Only rare words matter: each piece's, with their weights.
    let mut words = RareWords::new(rarity);
    let mut covered: FxHashSet<String> = words.of(&head).into_iter().map(|(word, _)| word).collect();
    let rare: Vec<Vec<(String, f64)>> = later.iter().map(|piece| words.of(piece)).collect();
    let mut chosen: Vec<usize> = Vec::new();
    let mut extra_chars = 0;
    while chosen.len() < EXTRA_SENTENCES {
        // The piece whose rare words not yet shown weigh most; earliest on
        // ties. On a small site most words are in one or two documents, so
        // the rarest word alone picks little: a sentence naming several
        // rare things ("a beat from music or a metronome") is likelier to
        // hold what was searched.
        let mut best: Option<(f64, usize)> = None;
        for (index, piece_words) in rare.iter().enumerate() {
            if chosen.contains(&index) || extra_chars + later[index].chars().count() > EXTRA_CHARS {
                continue;
            }
            let weight: f64 = piece_words
                .iter()
                .filter(|(word, _)| !covered.contains(word))
                .map(|(_, weight)| weight)
                .sum();
            if weight > 0.0 && best.is_none_or(|(most, _)| weight > most) {
                best = Some((weight, index));
            }
        }
        let Some((_, index)) = best else { break };
        chosen.push(index);
        extra_chars += later[index].chars().count();
        covered.extend(rare[index].iter().map(|(word, _)| word.clone()));
    }
    chosen.sort_unstable();
    let mut out = head;
    for index in chosen {
        out.push_str(GAP);
        out.push_str(&later[index]);
    }
    out
}

/// Finds a text's rare words. Faster than the analyzer, as it runs over all
/// of a site's text: words are runs of letters and digits, lower-cased and
/// folded by tantivy's table (so they are the index's surface forms), and
/// only those found rare are kept. Stop words are in no document.
struct RareWords<'a, F: Fn(&str) -> Option<u32>> {
    rarity: &'a Rarity<F>,
    folding: &'static BTreeMap<char, String>,
    word: String,
}

impl<'a, F: Fn(&str) -> Option<u32>> RareWords<'a, F> {
    fn new(rarity: &'a Rarity<F>) -> Self {
        RareWords {
            rarity,
            folding: folding_table(),
            word: String::new(),
        }
    }

    /// Each distinct rare word of `text` with its weight, in text order.
    fn of(&mut self, text: &str) -> Vec<(String, f64)> {
        let mut found: Vec<(String, f64)> = Vec::new();
        for run in text.split(|c: char| !c.is_alphanumeric()).filter(|run| !run.is_empty()) {
            self.word.clear();
            if run.is_ascii() {
                self.word.push_str(run);
                self.word.make_ascii_lowercase();
            } else {
                for c in run.chars().flat_map(char::to_lowercase) {
                    match self.folding.get(&c) {
                        Some(folded) => self.word.push_str(folded),
                        None => self.word.push(c),
                    }
                }
            }
            let Some(df) = (self.rarity.df)(&self.word).filter(|df| *df <= self.rarity.max_df) else {
                continue;
            };
            if !found.iter().any(|(word, _)| *word == self.word) {
                found.push((self.word.clone(), rarity_weight(df, self.rarity.max_df)));
            }
        }
        found
    }
}

/// How much a rare word in `df` documents counts: more the rarer, nothing
/// at `max_df` and above (an idf with `max_df` as its corpus).
fn rarity_weight(df: u32, max_df: u32) -> f64 {
    (f64::from(max_df) / f64::from(df.max(1))).ln()
}

/// The text's sentences, whitespace collapsed: a block (a line) ends one,
/// and so does `.`, `!` or `?` before a space; one longer than
/// [`PIECE_CHARS`] is cut between words into pieces no longer than that
/// (a word longer than that is a piece of its own).
fn pieces(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut piece = String::new();
        let mut chars = 0;
        for word in line.split_whitespace() {
            let length = word.chars().count();
            if chars > 0 && chars + 1 + length > PIECE_CHARS {
                out.push(std::mem::take(&mut piece));
                chars = 0;
            }
            if chars > 0 {
                piece.push(' ');
                chars += 1;
            }
            piece.push_str(word);
            chars += length;
            if word.ends_with(['.', '!', '?']) {
                out.push(std::mem::take(&mut piece));
                chars = 0;
            }
        }
        if !piece.is_empty() {
            out.push(piece);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rarity(rare: &'static [&'static str]) -> Rarity<impl Fn(&str) -> Option<u32>> {
        Rarity {
            df: move |word: &str| Some(if rare.contains(&word) { 1 } else { 50 }),
            max_df: 3,
        }
    }

    #[test]
    fn short_text_is_kept_whole_and_collapsed() {
        let text = "  Knee \n\n pain  eases ";
        assert_eq!(excerpt(text, &rarity(&[])), "Knee pain eases");
    }

    #[test]
    fn a_rare_word_far_down_brings_its_sentence() {
        let filler = "Walking helps balance and strength every day. ".repeat(12);
        let text = format!("{filler}\nA metronome beat helps with freezing. Then rest.\nWalking again helps.");
        let got = excerpt(&text, &rarity(&["metronome"]));
        assert!(got.starts_with("Walking helps balance"), "{got}");
        assert!(got.ends_with(" … A metronome beat helps with freezing."), "{got}");
        assert!(got.chars().count() <= HEAD_CHARS + EXTRA_CHARS + 2 * GAP.chars().count());
        // Nothing rare further on: the start only.
        let plain = excerpt(&text, &rarity(&[]));
        assert_eq!(plain.chars().count(), HEAD_CHARS);
        assert!(!plain.contains('…'));
    }

    #[test]
    fn two_sentences_at_most_in_text_order_and_words_the_start_shows_do_not_count() {
        let filler = "Gentle exercise with a metronome keeps a steady beat for you. ".repeat(8);
        let text = format!("{filler}\nEpley moves help. A metronome again. Sciatica eases. Tinnitus too.");
        let got = excerpt(&text, &rarity(&["metronome", "epley", "sciatica", "tinnitus"]));
        let extras: Vec<&str> = got.split(" … ").skip(1).collect();
        assert_eq!(extras, ["Epley moves help.", "Sciatica eases."]);
    }

    #[test]
    fn long_sentences_are_cut_into_pieces() {
        let long = "word ".repeat(100);
        let parts = pieces(&format!("{long}end. Next one"));
        assert!(parts.iter().all(|p| p.chars().count() <= PIECE_CHARS), "{parts:?}");
        assert_eq!(parts.last().map(String::as_str), Some("Next one"));
        assert_eq!(pieces(&"x".repeat(300)), ["x".repeat(300)]);
    }
}
