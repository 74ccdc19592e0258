//! Content problems as data with a place.
//!
//! Every stage returns its output plus the [`Diagnostic`]s it found instead of
//! stopping at the first problem, so one run reports everything. A diagnostic
//! always has a path relative to the site root and a 1-based line and column;
//! problems that have no better place (a file that is not UTF-8) point at 1:1.
//!
//! The printed form, `path:line:col: severity: message`, is part of the
//! contract (docs/commands.md, "Diagnostics") and is followed by a short
//! source snippet and a hint. The snippet is a dozen lines of code here
//! rather than a diagnostics crate because the first line's format is part
//! of our contract and the crates want to own it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of problem a diagnostic is: a check of `praxis check`, or a
/// kind of problem the build finds. The ids are printed in `--format json`
/// and documented (docs/health-checks.md, docs/commands.md): they are part
/// of the contract, so a rule keeps its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// `readability`
    Readability,
    /// `review-missing`
    ReviewMissing,
    /// `review-outdated`
    ReviewOutdated,
    /// `description-missing`
    DescriptionMissing,
    /// `image-alt`
    ImageAlt,
    /// `missing-image`
    MissingImage,
    /// `heading-level`
    HeadingLevel,
    /// `leftover`
    Leftover,
    /// `empty-section`
    EmptySection,
    /// `duplicate-title`
    DuplicateTitle,
    /// `duplicate-faq`
    DuplicateFaq,
    /// `third-party`
    ThirdParty,
    /// `contrast`
    Contrast,
    /// `clinic-hours`
    ClinicHours,
    /// `similar-tags`
    SimilarTags,
    /// `file`: a file of the site that cannot be read, is not UTF-8, or is a link out of the site or back on itself.
    File,
    /// `site-toml`: a value of site.toml: a missing or unknown key, a bad type, an address, a colour, a theme.
    SiteToml,
    /// `front-matter`: a page's front matter: its `+++` lines, TOML, keys, values, slug, dates, references.
    FrontMatter,
    /// `control-character`: an invisible control character in a page or site.toml.
    ControlCharacter,
    /// `markdown`: a page's markdown: raw HTML removed or unbalanced, a heading id taken, a script address in a link.
    Markdown,
    /// `link`: a cross-link (`[[...]]`, `@/...`) or front-matter slug that names no page, no anchor or a draft.
    Link,
    /// `alias`: an `aliases` entry that is no site path or is taken.
    Alias,
    /// `relation`: the technique/application graph: parent cycles, a technique naming no application, an application named by none.
    Relation,
    /// `taxonomy`: tags and categories whose addresses clash.
    Taxonomy,
    /// `address-clash`: two pages, or a page and a generated or static file, with one address; two pages of one kind with one slug.
    AddressClash,
    /// `template`: a template that does not render.
    Template,
    /// `synonyms`: the synonyms file.
    Synonyms,
    /// `search-index`: the search index could not be built.
    SearchIndex,
    /// `output`: what the output folder may not be, and a site without content/.
    Output,
}

impl Rule {
    /// The rule's stable id.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Readability => "readability",
            Rule::ReviewMissing => "review-missing",
            Rule::ReviewOutdated => "review-outdated",
            Rule::DescriptionMissing => "description-missing",
            Rule::ImageAlt => "image-alt",
            Rule::MissingImage => "missing-image",
            Rule::HeadingLevel => "heading-level",
            Rule::Leftover => "leftover",
            Rule::EmptySection => "empty-section",
            Rule::DuplicateTitle => "duplicate-title",
            Rule::DuplicateFaq => "duplicate-faq",
            Rule::ThirdParty => "third-party",
            Rule::Contrast => "contrast",
            Rule::ClinicHours => "clinic-hours",
            Rule::SimilarTags => "similar-tags",
            Rule::File => "file",
            Rule::SiteToml => "site-toml",
            Rule::FrontMatter => "front-matter",
            Rule::ControlCharacter => "control-character",
            Rule::Markdown => "markdown",
            Rule::Link => "link",
            Rule::Alias => "alias",
            Rule::Relation => "relation",
            Rule::Taxonomy => "taxonomy",
            Rule::AddressClash => "address-clash",
            Rule::Template => "template",
            Rule::Synonyms => "synonyms",
            Rule::SearchIndex => "search-index",
            Rule::Output => "output",
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// One problem found in the site, with its place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub line: usize,
    pub col: usize,
    /// How many characters the underline covers (at least 1).
    #[serde(skip)]
    pub len: usize,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Which check of `praxis check` found it (`readability`, `third-party`,
    /// ...: docs/health-checks.md); `None` for what `build` itself rejects
    /// or warns about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, pos: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: pos.line,
            col: pos.col,
            len: pos.len.max(1),
            severity: Severity::Error,
            message: message.into(),
            hint: None,
            rule: None,
        }
    }

    pub fn warning(path: impl Into<String>, pos: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, pos, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_rule(mut self, rule: Rule) -> Self {
        self.rule = Some(rule);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The first line of the printed form: `path:line:col: severity: message`.
    pub fn headline(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{}:{}:{}: {}: {}",
            self.path, self.line, self.col, severity, self.message
        )
    }

    /// The headline, the source line with the span underlined, and the hint.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = self.headline();
        out.push('\n');
        if let Some(line_text) = source.and_then(|text| text.lines().nth(self.line - 1)) {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            let shown: String = line_text.chars().take(160).collect();
            let caret_start = self.col.saturating_sub(1).min(shown.chars().count());
            let caret_len = self.len.min(shown.chars().count().saturating_sub(caret_start)).max(1);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{gutter} | {shown}");
            let _ = writeln!(out, "{pad} | {}{}", " ".repeat(caret_start), "^".repeat(caret_len));
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = hint: {hint}");
        }
        out
    }
}

/// A place in a file: 1-based line and column (in characters) and the length
/// of the thing found there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub col: usize,
    pub len: usize,
}

impl Position {
    /// The start of a file, for problems that concern the whole file.
    pub const START: Position = Position {
        line: 1,
        col: 1,
        len: 1,
    };

    /// Position of byte `offset` in `text`, underlining `len_bytes` bytes.
    pub fn at(text: &str, offset: usize, len_bytes: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = text[line_start..offset].chars().count() + 1;
        let end = floor_char_boundary(text, (offset + len_bytes).min(text.len()));
        let len = text[offset..end]
            .split('\n')
            .next()
            .map_or(1, |s| s.chars().count())
            .max(1);
        Position { line, col, len }
    }
}

/// Positions of many places in one text. Asked in order, as a parser meets
/// them, each is found from the last one, so a file's every link costs one
/// pass over it, not one pass each: [`Position::at`] counts from the start,
/// and a page of 60,000 links on one line took seconds.
#[derive(Debug)]
pub struct PositionFinder<'a> {
    text: &'a str,
    /// The last place found: byte offset, line, column.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> PositionFinder<'a> {
    pub fn new(text: &'a str) -> Self {
        PositionFinder {
            text,
            last: std::cell::Cell::new((0, 1, 1)),
        }
    }

    /// The same as `Position::at(text, offset, len_bytes)`.
    pub fn at(&self, offset: usize, len_bytes: usize) -> Position {
        let text = self.text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let (mut from, mut line, mut col) = self.last.get();
        if offset < from {
            (from, line, col) = (0, 1, 1);
        }
        let between = &text[from..offset];
        match between.rfind('\n') {
            Some(last_break) => {
                line += between.bytes().filter(|&b| b == b'\n').count();
                col = between[last_break + 1..].chars().count() + 1;
            }
            None => col += between.chars().count(),
        }
        self.last.set((offset, line, col));
        let end = floor_char_boundary(text, (offset + len_bytes).min(text.len()));
        let len = text[offset..end]
            .split('\n')
            .next()
            .map_or(1, |s| s.chars().count())
            .max(1);
        Position { line, col, len }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// All problems of a run, in the order found; sorted before printing.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Gives `rule` to every diagnostic that has none yet: what a stage
    /// finds is of its kind unless its maker said otherwise.
    pub fn tag(mut self, rule: Rule) -> Self {
        for diagnostic in &mut self.items {
            diagnostic.rule.get_or_insert(rule);
        }
        self
    }

    /// Keeps only the diagnostics `keep` says yes to.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by path, then place, so output is stable whatever the thread order.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message).cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// The text of every source file by its site-relative path, for snippets.
pub type SourceTexts = HashMap<String, Arc<str>>;

/// Renders every diagnostic with its snippet, then a one-line summary.
pub fn render_report(diagnostics: &[Diagnostic], sources: &SourceTexts) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let source = sources.get(&diagnostic.path).map(|s| &**s);
        out.push_str(&diagnostic.render(source));
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        );
    }
    out
}

/// The closest of `candidates` to `wanted`, if one is close enough to be a
/// plausible typo (normalised Damerau-Levenshtein similarity of 0.7 or more,
/// or a shared prefix for short words).
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_n(wanted, candidates, 1).into_iter().next()
}

/// Up to `n` plausible candidates for `wanted`, best first.
pub fn closest_n<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&wanted_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_finder_agrees_with_position_at_in_any_order() {
        let text = "+++\ntitle = \"é\"\n+++\nline one\n\nwörd [[x]] and [[y]]\nlast";
        let finder = PositionFinder::new(text);
        let offsets: Vec<usize> = (0..=text.len()).filter(|&at| text.is_char_boundary(at)).collect();
        for &at in offsets.iter().chain(offsets.iter().rev()).chain([&3, &40, &7]) {
            assert_eq!(finder.at(at, 2), Position::at(text, at, 2), "offset {at}");
        }
    }

    #[test]
    fn position_counts_lines_and_characters() {
        let text = "+++\ntitle = \"é\"\nx = 1\n";
        let offset = text.find("x =").unwrap();
        assert_eq!(
            Position::at(text, offset, 1),
            Position {
                line: 3,
                col: 1,
                len: 1
            }
        );
        let offset = text.find('"').unwrap() + 1;
        let pos = Position::at(text, offset, 2);
        assert_eq!((pos.line, pos.col, pos.len), (2, 10, 1));
    }

    #[test]
    fn position_past_the_end_is_clamped() {
        let pos = Position::at("ab\ncd", 99, 3);
        assert_eq!((pos.line, pos.col), (2, 3));
    }

    #[test]
    fn closest_suggests_typos_only() {
        let keys = ["applications", "authors", "title"];
        assert_eq!(closest("aplications", keys), Some("applications"));
        assert_eq!(closest("zzz", keys), None);
    }

    #[test]
    fn render_shows_snippet_and_hint() {
        let d = Diagnostic::error(
            "content/a.md",
            Position {
                line: 2,
                col: 1,
                len: 3,
            },
            "unknown key `foo`",
        )
        .with_hint("did you mean `for`?");
        let text = d.render(Some("+++\nfoo = 1\n+++"));
        assert!(text.starts_with("content/a.md:2:1: error: unknown key `foo`\n"));
        assert!(text.contains("2 | foo = 1"));
        assert!(text.contains("  | ^^^"));
        assert!(text.contains("hint: did you mean `for`?"));
    }
}
