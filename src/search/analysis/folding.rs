//! How tantivy lower-cases and folds each letter, as a table the browser
//! applies to query words, so that it finds what `praxis search` finds
//! whatever the keyboard typed: "Übung", "ＭＳ" (full-width, as CJK input
//! methods type it), "ﬁtness" (a ligature), "șprain".
//!
//! The table is read out of tantivy's own filters, never written by hand:
//! every letter or digit whose lower-case form is one character and folds to
//! something else. The accented Latin letters go in the manifest (every
//! query may need them); the rest, about a thousand, in `folding.js`, which
//! the browser loads only for a query or snippet holding such a character.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::search::analysis::analyzer::{folding_analyzer, tokens};

/// Letters below this code point fold by the manifest's table; the others
/// by `folding.js`. U+0180 ends Latin Extended-A: the accented letters of
/// the European languages a clinic's patients type.
pub(crate) const MANIFEST_FOLDING_END: u32 = 0x180;

/// tantivy folds no letter past the Basic Multilingual Plane (its table is
/// Lucene's, which ends with the full-width forms at U+FF5E); reading the
/// other planes too took 74 ms of every build.
const FOLDED_UP_TO: u32 = 0xFFFF;

/// Lower-cased letter -> its folded form, for every letter tantivy folds.
pub(crate) fn folding_table() -> &'static BTreeMap<char, String> {
    static TABLE: OnceLock<BTreeMap<char, String>> = OnceLock::new();
    TABLE.get_or_init(read_folding_table)
}

/// The part of [`folding_table`] below [`MANIFEST_FOLDING_END`] (with
/// `below`) or from it on.
pub(crate) fn folding_part(below: bool) -> BTreeMap<char, &'static str> {
    folding_table()
        .iter()
        .filter(|(letter, _)| (u32::from(**letter) < MANIFEST_FOLDING_END) == below)
        .map(|(letter, folded)| (*letter, folded.as_str()))
        .collect()
}

fn read_folding_table() -> BTreeMap<char, String> {
    // Every non-ASCII letter or digit whose lower case is one letter; ASCII
    // letters only lower-case, which the browser does itself.
    let mut letters: Vec<char> = (0x80..=FOLDED_UP_TO)
        .filter_map(char::from_u32)
        .filter_map(|c| {
            let mut lower = c.to_lowercase();
            let one = lower.next()?;
            (lower.next().is_none() && one.is_alphanumeric() && !one.is_ascii()).then_some(one)
        })
        .collect();
    letters.sort_unstable();
    letters.dedup();
    // One pass of the analyzer over the letters, a space apart: one token
    // each (a letter is a word of its own), in order.
    let mut analyzer = folding_analyzer();
    let text: String = letters.iter().flat_map(|&c| [c, ' ']).collect();
    let mut folded = tokens(&mut analyzer, &text);
    if folded.len() != letters.len() {
        // Not one token per letter after all: one letter at a time.
        folded = letters
            .iter()
            .map(|c| tokens(&mut analyzer, &c.to_string()).concat())
            .collect();
    }
    letters
        .into_iter()
        .zip(folded)
        .filter(|(letter, folded)| *folded != letter.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_as_tantivy_does() {
        let table = folding_table();
        let fold = |c: char| table.get(&c).map(String::as_str);
        assert_eq!(fold('é'), Some("e"));
        assert_eq!(fold('ß'), Some("ss"));
        assert_eq!(fold('ｍ'), Some("m"));
        assert_eq!(fold('ﬁ'), Some("fi"));
        assert_eq!(fold('ș'), Some("s"));
        // Greek has no ASCII form: left as it is.
        assert_eq!(fold('α'), None);
        // Every entry agrees with the analyzer on its own.
        let mut analyzer = folding_analyzer();
        for (letter, folded) in table.iter().step_by(37) {
            assert_eq!(tokens(&mut analyzer, &letter.to_string()).concat(), *folded, "{letter}");
        }
    }

    #[test]
    fn no_letter_past_the_basic_plane_folds() {
        let mut analyzer = folding_analyzer();
        let letters: Vec<char> = (FOLDED_UP_TO + 1..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| c.is_alphanumeric() && c.to_lowercase().count() == 1)
            .collect();
        let text: String = letters.iter().flat_map(|&c| [c, ' ']).collect();
        let folded = tokens(&mut analyzer, &text);
        assert_eq!(folded.len(), letters.len());
        for (letter, folded) in letters.iter().zip(folded) {
            let lower: String = letter.to_lowercase().collect();
            assert_eq!(folded, lower, "U+{:04X} folds", u32::from(*letter));
        }
    }

    #[test]
    fn the_manifest_part_is_the_accented_latin_letters() {
        let manifest = folding_part(true);
        let file = folding_part(false);
        assert!(manifest.contains_key(&'é') && !manifest.contains_key(&'ｍ'));
        assert!(file.contains_key(&'ｍ') && !file.contains_key(&'é'));
        assert_eq!(manifest.len() + file.len(), folding_table().len());
    }
}
