//! Snippets: the short window of a result's text that best shows why it
//! matched, with the matching words marked (docs/search-format.md).

use crate::search::analysis::analyzer::{surface_analyzer, tokens};
use crate::search::parameters::PARAMETERS;

/// The snippet HTML for `text` given the matched `stems`.
pub(crate) fn snippet(text: &str, stems: &[String]) -> String {
    // Words are analysed like query words (stop words drop out), and a word
    // matches when its surface form starts with a matched stem.
    let mut analyzer = surface_analyzer();
    let mut forms: Vec<String> = Vec::new();
    let words: Vec<(usize, usize, bool)> = word_spans(text)
        .into_iter()
        .map(|(start, end)| {
            let form = tokens(&mut analyzer, &text[start..end]).concat();
            // A stem of one or two letters ("e" of "e-stim", "ms") starts
            // too many words: it must be the whole word.
            let matches = !form.is_empty()
                && stems.iter().any(|stem| {
                    form.starts_with(stem.as_str())
                        && (stem.chars().count() > PARAMETERS.whole_word_stem_chars || form == *stem)
                });
            forms.push(form);
            (start, end, matches)
        })
        .collect();
    if words.is_empty() {
        return escape(text);
    }
    // Character offsets of each word's start and end, computed once.
    let mut char_ends: Vec<(usize, usize)> = Vec::with_capacity(words.len());
    let (mut chars_so_far, mut byte_so_far) = (0, 0);
    for &(start, end, _) in &words {
        let start_char = chars_so_far + text[byte_so_far..start].chars().count();
        let end_char = start_char + text[start..end].chars().count();
        char_ends.push((start_char, end_char));
        (chars_so_far, byte_so_far) = (end_char, end);
    }
    // The window starting at word `first`: (distinct matching forms, last word).
    let window = |first: usize| {
        let start_char = char_ends[first].0;
        let mut distinct: Vec<&str> = Vec::new();
        let mut last = first;
        for (index, &(_, _, matches)) in words.iter().enumerate().skip(first) {
            if index > first && char_ends[index].1 - start_char > PARAMETERS.snippet_window_chars {
                break;
            }
            last = index;
            if matches && !distinct.contains(&forms[index].as_str()) {
                distinct.push(&forms[index]);
            }
        }
        (distinct.len(), last)
    };
    let (count, last) = window(0);
    let mut best = (count, 0, last);
    for first in 1..words.len() {
        let (count, last) = window(first);
        if count > best.0 {
            best = (count, first, last);
        }
    }
    let (_, first, last) = best;
    let window_start = words[first].0;
    let window_end = words[last].1;
    let mut html = String::new();
    if window_start > 0 {
        html.push_str(PARAMETERS.snippet_ellipsis);
    }
    let mut cursor = window_start;
    for &(start, end, matches) in &words[first..=last] {
        html.push_str(&escape(&text[cursor..start]));
        if matches {
            html.push_str("<mark>");
            html.push_str(&escape(&text[start..end]));
            html.push_str("</mark>");
        } else {
            html.push_str(&escape(&text[start..end]));
        }
        cursor = end;
    }
    // Only words left out earn an ellipsis; closing punctuation is kept.
    let rest = &text[window_end..];
    if rest.chars().any(char::is_alphanumeric) {
        html.push_str(PARAMETERS.snippet_ellipsis);
    } else {
        html.push_str(&escape(rest));
    }
    html
}

/// Byte spans of the maximal runs of letters and digits.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (index, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(index),
            (false, Some(s)) => {
                spans.push((s, index));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_words_starting_with_a_stem_and_escapes() {
        let html = snippet("Stimulation <helps> the knee.", &["stimul".into(), "knee".into()]);
        assert_eq!(html, "<mark>Stimulation</mark> &lt;helps&gt; the <mark>knee</mark>.");
    }

    #[test]
    fn picks_the_window_with_most_matches() {
        let filler = "word ".repeat(60);
        let text = format!("{filler}balance training helps balance and gait. {filler}");
        let html = snippet(&text, &["balanc".into(), "gait".into()]);
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>balance</mark> training") && html.contains("<mark>gait</mark>"));
        assert!(html.chars().count() < PARAMETERS.snippet_window_chars + 60);
    }

    #[test]
    fn a_stem_of_one_or_two_letters_marks_only_itself() {
        let html = snippet(
            "E-stim eases exercise; MS, MSK",
            &["e".into(), "stim".into(), "ms".into()],
        );
        assert_eq!(
            html,
            "<mark>E</mark>-<mark>stim</mark> eases exercise; <mark>MS</mark>, MSK"
        );
    }

    #[test]
    fn no_match_starts_at_the_beginning() {
        assert_eq!(snippet("Plain text.", &["zzz".into()]), "Plain text.");
    }
}
