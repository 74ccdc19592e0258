//! Duplicates across the site: two pages with one title confuse visitors
//! and search engines alike; one FAQ question answered twice will drift
//! into two different answers.

use std::collections::HashMap;

use super::SourceFile;
use crate::diagnostics::Rule;
use crate::diagnostics::{Diagnostics, SourceTexts};
use crate::link::Site;

/// Lower-cased, whitespace collapsed, trailing punctuation dropped.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_end_matches(|c: char| c.is_ascii_punctuation())
        .to_string()
}

pub(super) fn check_titles(site: &Site, sources: &SourceTexts, found: &mut Diagnostics) {
    let mut first: HashMap<String, &str> = HashMap::new();
    for page in &site.pages {
        let key = normalise(&page.title);
        if key.is_empty() {
            continue;
        }
        match first.get(key.as_str()) {
            Some(earlier) => {
                if let Some(file) = SourceFile::of(sources, &page.rel_path) {
                    found.push(
                        file.warning(
                            page.places.title,
                            page.title.len() + 2,
                            format!("title `{}` is also the title of {earlier}", page.title),
                        )
                        .with_rule(Rule::DuplicateTitle)
                        .with_hint("give each page a title that says how it differs, such as \"Balance training after a stroke\""),
                    );
                }
            }
            None => {
                first.insert(key, &page.rel_path);
            }
        }
    }
}

pub(super) fn check_faq_questions(site: &Site, sources: &SourceTexts, found: &mut Diagnostics) {
    let mut first: HashMap<String, &str> = HashMap::new();
    for page in &site.pages {
        for entry in &page.faq {
            let key = normalise(&entry.question);
            if key.is_empty() {
                continue;
            }
            match first.get(key.as_str()) {
                Some(earlier) => {
                    if let Some(file) = SourceFile::of(sources, &page.rel_path) {
                        let where_else = if *earlier == page.rel_path {
                            "earlier on this page".to_string()
                        } else {
                            format!("in {earlier}")
                        };
                        found.push(
                            file.warning(
                                entry.question_offset,
                                entry.question.len() + 2,
                                format!("FAQ question \"{}\" is already asked {where_else}", entry.question),
                            )
                            .with_rule(Rule::DuplicateFaq)
                            .with_hint(
                                "keep one answer and link to it with [[page#faq-anchor]], or ask a different question",
                            ),
                        );
                    }
                }
                None => {
                    first.insert(key, &page.rel_path);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn questions_match_whatever_the_case_spacing_or_question_mark() {
        assert_eq!(normalise("What  should I wear?"), normalise("what should i wear"));
        assert_eq!(normalise("?!"), "");
    }
}
