//! Pages for patients (audience `patients` or `everyone`) must read at or
//! below `[readability] patients_max_grade` (Flesch-Kincaid). The warning
//! stands on the hardest sentence and names the next hardest, because
//! rewriting those is how a page gets easier.
//!
//! A page with less prose than [`MIN_GRADED_WORDS`](crate::measure::readability::MIN_GRADED_WORDS) is not judged: on a few
//! words the grade says more about one long word than about the page.

use super::{SourceFile, quote, words_of};
use crate::config::{Audience, Config};
use crate::diagnostics::Rule;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::measure::readability::{HardSentence, ProseHome, ReadabilityScore};
use crate::parse::Page;
use crate::parse::markdown::ParsedMarkdown;

/// How far past a block's start a sentence is looked for when the next
/// block's offset gives no bound (FAQ answers, the last block).
const SEARCH_WINDOW: usize = 8_000;

pub(super) fn check_page(
    page: &Page,
    score: &ReadabilityScore,
    config: &Config,
    file: &SourceFile<'_>,
    found: &mut Diagnostics,
) {
    let max = config.readability.patients_max_grade;
    if page.audience == Audience::Clinicians || !score.is_gradable() || score.grade <= max {
        return;
    }
    let Some(hardest) = score.hardest.first() else {
        return;
    };
    let (offset, text) = locate(page, hardest, file);
    let mut others = Vec::new();
    for sentence in &score.hardest[1..] {
        let (other_offset, other_text) = locate(page, sentence, file);
        let position = file.position(other_offset, 1);
        others.push(format!(
            "{}:{} (grade {:.1}) \"{}\"",
            position.line,
            position.col,
            sentence.grade,
            quote(other_text, 60)
        ));
    }
    let mut hint =
        String::from("use shorter sentences and everyday words; split a sentence at \"and\", \"which\" or \"because\"");
    if !others.is_empty() {
        hint = format!("next hardest: {}; {hint}", others.join(", "));
    }
    let message = format!(
        "reading grade {:.1} (Flesch-Kincaid) is above [readability] patients_max_grade = {max} for a page for {}; hardest sentence (grade {:.1}): \"{}\"",
        score.grade,
        audience_name(page.audience),
        hardest.grade,
        quote(text, 80)
    );
    let diagnostic: Diagnostic = file.warning(offset, words_len(text), message);
    found.push(diagnostic.with_rule(Rule::Readability).with_hint(hint));
}

fn audience_name(audience: Audience) -> &'static str {
    match audience {
        Audience::Patients => "patients",
        Audience::Clinicians => "clinicians",
        Audience::Everyone => "everyone",
    }
}

/// How much of the source line to underline: the sentence's first word.
fn words_len(text: &str) -> usize {
    text.split_whitespace().next().map_or(1, str::len)
}

/// Where a hard sentence starts in the file, and its text.
fn locate<'a>(page: &'a Page, sentence: &HardSentence, file: &SourceFile<'_>) -> (usize, &'a str) {
    let markdown: &ParsedMarkdown = match sentence.home {
        ProseHome::Body => &page.body,
        ProseHome::Faq(i) => match page.faq.get(i) {
            Some(entry) => &entry.answer,
            None => &page.body,
        },
    };
    let text = markdown.text.get(sentence.start..sentence.end).unwrap_or("");
    let block_index = markdown
        .blocks
        .partition_point(|block| block.text_start <= sentence.start)
        .saturating_sub(1);
    let Some(block) = markdown.blocks.get(block_index) else {
        return (0, text);
    };
    let until = markdown
        .blocks
        .get(block_index + 1)
        .map(|next| next.offset)
        .filter(|next| *next > block.offset)
        .unwrap_or(block.offset + SEARCH_WINDOW);
    (file.find_words(block.offset, until, &words_of(text)), text)
}
