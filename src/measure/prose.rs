//! The sentences and words of a page's prose, as the readability formulas
//! count them.
//!
//! The prose is the text the parse stage already extracted
//! ([`ParsedMarkdown::text`], without code), cut into the blocks it noted:
//! only paragraphs and list items are read; headings and table cells are
//! labels and data, not sentences. A block always ends a sentence (a list
//! item without a full stop is still one), and inside a block a sentence ends
//! at `.`, `!` or `?` followed by a space, unless the `.` ends a common
//! abbreviation (`e.g.`, `Dr.`) or an initial.

use crate::measure::syllables::count_syllables;
use crate::parse::markdown::{BlockKind, ParsedMarkdown};

/// One sentence with its counts; `start..end` are byte offsets in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sentence {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) words: u32,
    pub(crate) syllables: u32,
    /// Words of three or more syllables (SMOG counts these).
    pub(crate) polysyllables: u32,
}

/// Calls `found` with every sentence of the prose blocks of `markdown` that
/// has at least one word.
pub(crate) fn for_each_sentence(markdown: &ParsedMarkdown, mut found: impl FnMut(Sentence)) {
    let text = markdown.text.as_str();
    for (i, block) in markdown.blocks.iter().enumerate() {
        if block.kind != BlockKind::Prose {
            continue;
        }
        let end = markdown
            .blocks
            .get(i + 1)
            .map_or(text.len(), |next| next.text_start)
            .min(text.len());
        let start = block.text_start.min(end);
        if let Some(block_text) = text.get(start..end) {
            split_sentences(block_text, start, &mut found);
        }
    }
}

/// Words that end with a full stop without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "eg", "ie", "dr", "mr", "mrs", "ms", "prof", "st", "vs", "approx", "fig", "no", "jr", "sr", "a.m",
    "p.m", "u.s", "cf", "al", "min", "max", "ca",
];

fn split_sentences(block: &str, base: usize, found: &mut impl FnMut(Sentence)) {
    let bytes = block.as_bytes();
    let mut sentence_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if matches!(c, b'.' | b'!' | b'?') {
            let mut end = i + 1;
            // Closing marks and repeated terminators belong to the sentence.
            while end < bytes.len() {
                let rest = &block[end..];
                let Some(next) = rest.chars().next() else { break };
                if matches!(next, '.' | '!' | '?' | '"' | '\'' | ')' | ']' | '”' | '’' | '»') {
                    end += next.len_utf8();
                } else {
                    break;
                }
            }
            let at_break = end >= bytes.len() || block[end..].starts_with(char::is_whitespace);
            if at_break && (c != b'.' || !is_abbreviation(&block[sentence_start..i])) {
                emit(block, base, sentence_start, end, found);
                sentence_start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    emit(block, base, sentence_start, bytes.len(), found);
}

/// Whether the text before a `.` ends with an abbreviation or an initial.
fn is_abbreviation(before: &str) -> bool {
    let last = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let last = last.trim_start_matches(|c: char| !c.is_alphanumeric());
    if last.chars().count() == 1 && last.chars().all(char::is_uppercase) {
        return true;
    }
    let lower = last.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

fn emit(block: &str, base: usize, start: usize, end: usize, found: &mut impl FnMut(Sentence)) {
    let Some(text) = block.get(start..end) else {
        return;
    };
    let (words, syllables, polysyllables) = count_words(text);
    if words == 0 {
        return;
    }
    let leading = text.len() - text.trim_start().len();
    let trailing = text.len() - text.trim_end().len();
    found(Sentence {
        start: base + start + leading,
        end: base + end - trailing,
        words,
        syllables,
        polysyllables,
    });
}

/// Words, syllables and polysyllabic words of a text. A word is a run
/// between spaces, slashes and dashes that holds a letter or digit; a
/// hyphenated word (low-cost) is one word with the syllables of its parts.
pub(crate) fn count_words(text: &str) -> (u32, u32, u32) {
    let mut words = 0;
    let mut syllables = 0;
    let mut polysyllables = 0;
    for token in text.split(|c: char| c.is_whitespace() || matches!(c, '/' | '—' | '–' | '…')) {
        if !token.chars().any(char::is_alphanumeric) {
            continue;
        }
        let count: u32 = token.split('-').map(count_syllables).sum();
        words += 1;
        syllables += count.max(1);
        if count >= 3 {
            polysyllables += 1;
        }
    }
    (words, syllables, polysyllables)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::{BlockKind, TextBlock};

    fn sentences_of(text: &str) -> Vec<String> {
        let markdown = ParsedMarkdown::prose_for_tests(text);
        let mut out = Vec::new();
        for_each_sentence(&markdown, |s| out.push(text[s.start..s.end].to_string()));
        out
    }

    #[test]
    fn sentences_end_at_stops_not_at_abbreviations_or_decimals() {
        assert_eq!(
            sentences_of("Move slowly, e.g. on a mat. Dr. Okafor said so! Is 2.5 kg ok? Yes.\n"),
            [
                "Move slowly, e.g. on a mat.",
                "Dr. Okafor said so!",
                "Is 2.5 kg ok?",
                "Yes."
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences_of("She said “stop.” Then we rested."),
            ["She said “stop.”", "Then we rested."]
        );
    }

    #[test]
    fn text_without_words_has_no_sentences() {
        assert!(sentences_of("").is_empty());
        assert!(sentences_of(" ... — !? ").is_empty());
    }

    #[test]
    fn headings_and_tables_are_not_read() {
        let text = "Title\nCell\nA sentence here.\n";
        let block = |kind, text_start| TextBlock {
            kind,
            text_start,
            offset: 0,
        };
        let markdown = ParsedMarkdown {
            text: text.to_string(),
            blocks: vec![
                block(BlockKind::Heading, 0),
                block(BlockKind::TableCell, 6),
                block(BlockKind::Prose, 11),
            ],
            ..ParsedMarkdown::default()
        };
        let mut found = Vec::new();
        for_each_sentence(&markdown, |s| found.push(s));
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "A sentence here.");
        assert_eq!(found[0].words, 3);
    }

    #[test]
    fn hyphenated_words_count_once_with_all_syllables() {
        // low-cost = 1 word, 2 syllables; well-being = 1 word, 3 syllables;
        // 10–30 = 2 words (the en dash separates), 1 syllable each.
        assert_eq!(count_words("low-cost"), (1, 2, 0));
        assert_eq!(count_words("well-being"), (1, 3, 1));
        assert_eq!(count_words("10–30 minutes"), (3, 4, 0));
    }
}
