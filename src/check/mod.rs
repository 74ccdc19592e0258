//! Check stage: the finished site -> the health checks of `praxis check`
//! (docs/health-checks.md), each a warning with a rule id, pointing at the
//! place in the source to fix.
//!
//! It comes after render and search because it reads what they made: the
//! rendered files and the theme's templates (for third-party requests),
//! the search analyzer (for near-duplicate tags), the measures (for the
//! readability grade). `build` does not run it; nothing here changes what
//! is written.
//!
//! They read what earlier stages produced (the linked [`Site`], the source
//! texts kept for snippets, the theme's templates and static files) and
//! parse nothing again: positions come from byte offsets the parse stage
//! noted, turned into line and column only for the few places reported.
//! Page checks run in parallel; the site-wide ones (duplicates, tags, theme)
//! after.

mod clinic;
pub(crate) mod contrast;
mod duplicates;
mod images;
pub(crate) mod privacy;
mod readability;
mod review;
mod structure;
mod tags;
pub(crate) mod third_party;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Position, SourceTexts};
use crate::link::Site;
use crate::measure::Measures;
use crate::output::OutputFile;

/// Everything the checks read.
pub(crate) struct CheckInput<'a> {
    pub(crate) site: &'a Site,
    pub(crate) measures: &'a Measures,
    pub(crate) sources: &'a SourceTexts,
    /// Output files; the copied ones (theme and site static files, content
    /// assets) are scanned when they are CSS, HTML or JavaScript.
    pub(crate) files: &'a [OutputFile],
    /// Days since 1970-01-01 of "today", for review ages.
    pub(crate) today: i64,
}

/// Runs every check; the result holds warnings only.
pub(crate) fn run_checks(input: &CheckInput<'_>) -> Diagnostics {
    let site = input.site;
    let outputs: std::collections::HashSet<&str> = input.files.iter().map(|file| file.path.as_str()).collect();
    let per_page: Vec<Diagnostics> = (0..site.pages.len())
        .into_par_iter()
        .map(|id| {
            let page = &site.pages[id];
            let mut found = Diagnostics::new();
            let Some(file) = SourceFile::of(input.sources, &page.rel_path) else {
                return found;
            };
            review::check_page(page, &site.config, input.today, &file, &mut found);
            if let Some(score) = input.measures.readability(id) {
                readability::check_page(page, score, &site.config, &file, &mut found);
            }
            structure::check_markdown(&page.body, true, &file, &mut found);
            for entry in &page.faq {
                structure::check_markdown(&entry.answer, false, &file, &mut found);
            }
            structure::check_front_matter(page, &file, &mut found);
            images::check_markdown(
                &page.body,
                &page.path,
                &source_folder(&page.rel_path),
                &outputs,
                &file,
                &mut found,
            );
            for entry in &page.faq {
                images::check_markdown(
                    &entry.answer,
                    &page.path,
                    &source_folder(&page.rel_path),
                    &outputs,
                    &file,
                    &mut found,
                );
            }
            found
        })
        .collect();
    let mut diagnostics: Diagnostics = per_page.into_iter().flatten().collect();
    for section in site.sections.values() {
        let Some(file) = section
            .section
            .rel_path
            .as_deref()
            .and_then(|path| SourceFile::of(input.sources, path))
        else {
            continue;
        };
        structure::check_markdown(&section.section.intro, true, &file, &mut diagnostics);
        images::check_markdown(
            &section.section.intro,
            &section.path,
            &source_folder(file.path),
            &outputs,
            &file,
            &mut diagnostics,
        );
    }
    duplicates::check_titles(site, input.sources, &mut diagnostics);
    duplicates::check_faq_questions(site, input.sources, &mut diagnostics);
    tags::check_similar_tags(site, &mut diagnostics);
    clinic::check_hours(&site.config, &mut diagnostics);
    diagnostics
}

/// The environment variable that fixes "today" for review ages
/// (`PRAXIS_TODAY=2026-11-24`), so CI runs and tests are reproducible.
pub(crate) const TODAY_VARIABLE: &str = "PRAXIS_TODAY";

/// Days since 1970-01-01 of today: from [`TODAY_VARIABLE`] when set, else
/// the system clock (UTC).
pub(crate) fn today() -> Result<i64, String> {
    match std::env::var(TODAY_VARIABLE) {
        Ok(text) if !text.trim().is_empty() => crate::parse::date::PageDate::from_toml(&toml::Value::String(text))
            .map(|date| date.days_since_epoch())
            .map_err(|reason| format!("{TODAY_VARIABLE}: {reason}; write it as 2026-11-24")),
        _ => {
            let seconds = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            Ok((seconds / 86_400) as i64)
        }
    }
}

/// The folder of a content file as an output path: `content/techniques/x.md`
/// -> `techniques/`, `content/x.md` -> ``.
fn source_folder(rel_path: &str) -> String {
    let under_content = rel_path.strip_prefix("content/").unwrap_or(rel_path);
    under_content
        .rsplit_once('/')
        .map_or(String::new(), |(folder, _)| format!("{folder}/"))
}

/// A content file's path and text, to turn byte offsets into positions.
pub(crate) struct SourceFile<'a> {
    pub(crate) path: &'a str,
    pub(crate) text: &'a str,
}

impl<'a> SourceFile<'a> {
    fn of(sources: &'a SourceTexts, path: &'a str) -> Option<SourceFile<'a>> {
        sources.get(path).map(|text| SourceFile { path, text })
    }

    fn position(&self, offset: usize, len: usize) -> Position {
        Position::at(self.text, offset, len)
    }

    /// A warning at byte `offset` of the file.
    fn warning(&self, offset: usize, len: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.path, self.position(offset, len), message)
    }

    /// A warning about the whole file (a missing key): at its first line.
    fn file_warning(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(
            self.path,
            Position {
                line: 1,
                col: 1,
                len: 3,
            },
            message,
        )
    }

    /// Where `needle` first stands in the file between `from` and `until`,
    /// or `from`.
    fn find_raw(&self, from: usize, until: usize, needle: &str) -> usize {
        let from = floor_boundary(self.text, from.min(self.text.len()));
        let until = floor_boundary(self.text, until.clamp(from, self.text.len()));
        self.text[from..until].find(needle).map_or(from, |at| from + at)
    }

    /// Where `words` (as rendered text: markup, line breaks and smart
    /// quotes may differ in the source) start in the file, searching from
    /// `from` up to `until`; tries fewer words when the full run is not
    /// found, and gives up on `from`.
    fn find_words(&self, from: usize, until: usize, words: &[&str]) -> usize {
        let from = floor_boundary(self.text, from.min(self.text.len()));
        let until = floor_boundary(self.text, until.clamp(from, self.text.len()));
        let window = &self.text[from..until];
        for take in (1..=words.len().min(5)).rev() {
            if let Some(at) = find_word_run(window, &words[..take]) {
                return from + at;
            }
        }
        from
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The first place in `text` where `words` follow one another separated by
/// whitespace only.
fn find_word_run(text: &str, words: &[&str]) -> Option<usize> {
    let first = *words.first()?;
    if first.is_empty() {
        return None;
    }
    let mut search = 0;
    while let Some(found) = text[search..].find(first) {
        let start = search + found;
        let mut at = start + first.len();
        let mut matched = true;
        for word in &words[1..] {
            let rest = &text[at..];
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() || !trimmed.starts_with(word) {
                matched = false;
                break;
            }
            at += rest.len() - trimmed.len() + word.len();
        }
        if matched {
            return Some(start);
        }
        search = start + first.len();
    }
    None
}

/// The words of a rendered text, without the punctuation around them, for
/// [`SourceFile::find_words`].
fn words_of(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty())
        .take(5)
        .collect()
}

/// At most `max` characters of `text` on one line, with `…` when cut.
fn quote(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_runs_are_found_across_line_breaks_and_markup() {
        let file = SourceFile {
            path: "a.md",
            text: "Intro.\n\nThe cat sat. The dog\nran *fast* home.\n",
        };
        let at = file.find_words(0, file.text.len(), &["The", "dog", "ran", "fast", "home"]);
        assert_eq!(&file.text[at..at + 7], "The dog");
        // Nothing matches: the search start.
        assert_eq!(file.find_words(3, 10, &["zebra"]), 3);
        assert_eq!(file.find_words(99, 3, &[]), file.text.len());
    }

    #[test]
    fn quotes_are_cut_on_one_line() {
        assert_eq!(quote("a\n b", 10), "a b");
        assert_eq!(quote("abcdef ghij", 8), "abcdef g…");
    }
}
