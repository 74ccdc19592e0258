//! Medical synonyms and abbreviations, applied at index time.
//!
//! A document that mentions one member of a group is also indexed under the
//! other members, in a field of its own. Doing this at index time (rather
//! than expanding queries) keeps one query planner for Rust and JavaScript
//! with no synonym table in the browser, and lets the scores of synonym hits
//! come out of tantivy's BM25 like any other term.
//!
//! Groups come from a built-in physical-therapy set, the site's
//! `synonyms.toml` (`[[group]] terms = [...]`), and every technique's and
//! application's title + `synonyms`. Short all-capital abbreviations ("MS",
//! "PT") only match when written in capitals, so "ms" in "200 ms" is not
//! multiple sclerosis. Other terms match in any case, for every alphabet:
//! terms and text are lower-cased letter by letter as the search analyzer
//! does ("Ödem" matches "ödem" and "ÖDEM"), not only A-Z.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Position, SourceTexts};

/// The built-in set: common physical-therapy abbreviations and their names.
const BUILT_IN: &[&[&str]] = &[
    &["CVA", "stroke", "cerebrovascular accident", "brain attack"],
    &[
        "TKA",
        "TKR",
        "total knee replacement",
        "total knee arthroplasty",
        "knee replacement",
    ],
    &[
        "THA",
        "THR",
        "total hip replacement",
        "total hip arthroplasty",
        "hip replacement",
    ],
    &["ACL", "anterior cruciate ligament"],
    &["MS", "multiple sclerosis"],
    &["SCI", "spinal cord injury"],
    &["TBI", "traumatic brain injury"],
    &[
        "NMES",
        "e-stim",
        "estim",
        "neuromuscular electrical stimulation",
        "electrical muscle stimulation",
    ],
    &["FES", "functional electrical stimulation"],
    &["TENS", "transcutaneous electrical nerve stimulation"],
    &["PNF", "proprioceptive neuromuscular facilitation"],
    &[
        "CIMT",
        "constraint-induced movement therapy",
        "constraint induced movement therapy",
    ],
    &["ROM", "range of motion"],
    &["LBP", "low back pain", "lower back pain"],
    &["BPPV", "benign paroxysmal positional vertigo", "vertigo"],
    &[
        "PT",
        "physical therapy",
        "physiotherapy",
        "physical therapist",
        "physiotherapist",
    ],
    &["OT", "occupational therapy", "occupational therapist"],
    &["CRPS", "complex regional pain syndrome"],
    &["PD", "Parkinson's disease", "Parkinson disease"],
    &["OA", "osteoarthritis"],
    &["EMG", "electromyography"],
    &["COPD", "chronic obstructive pulmonary disease"],
    &["MI", "motor imagery"],
    &["GMI", "graded motor imagery"],
    // Everyday and British spellings patients type.
    &["rehab", "rehabilitation"],
    &[
        "post-op",
        "post op",
        "postop",
        "postoperative",
        "post-operative",
        "after surgery",
    ],
    &["edema", "oedema", "swelling"],
    &["re-education", "reeducation"],
    &["mobilization", "mobilisation"],
];

/// The abbreviations of the built-in set ("CVA", "TENS").
pub(crate) fn built_in_abbreviations() -> impl Iterator<Item = &'static str> {
    BUILT_IN
        .iter()
        .flat_map(|group| group.iter().copied())
        .filter(|term| is_abbreviation(term))
}

/// The site's `synonyms.toml`; the types are its schema.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SynonymsFile {
    group: Vec<toml::Spanned<SynonymGroupFile>>,
}

/// One `[[group]]`; `terms` is required.
#[derive(Debug, Deserialize)]
struct SynonymGroupFile {
    terms: Vec<toml::Spanned<String>>,
}

/// What reading a synonyms file found, with its text for snippets.
#[derive(Debug, Clone, Default)]
pub(crate) struct SynonymsFileReport {
    /// The file's path relative to the site root.
    pub(crate) path: String,
    /// Its text, when it could be read.
    pub(crate) text: Option<Arc<str>>,
    /// Errors (the file's groups are then left out) and warnings.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl SynonymsFileReport {
    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Adds the file's text to `sources`, for the snippets of its
    /// diagnostics.
    pub(crate) fn add_source(&self, sources: &mut SourceTexts) {
        if let Some(text) = &self.text {
            sources.entry(self.path.clone()).or_insert_with(|| text.clone());
        }
    }
}

/// Whether a term (trimmed) is long enough to be matched: one character
/// would match inside every other word.
fn usable_term(term: &str) -> bool {
    term.chars().count() >= 2
}

/// The longest synonym term, in bytes: names of conditions and techniques
/// are a few words ("transcutaneous electrical nerve stimulation" is 43),
/// and every term is sought in every page's text. The same limit as a
/// page's own `synonyms`.
const MAX_TERM_BYTES: usize = crate::parse::front_matter::MAX_SYNONYM_BYTES;

/// Groups of names that mean the same thing.
#[derive(Debug, Clone, Default)]
pub struct SynonymSet {
    groups: Vec<Vec<String>>,
}

impl SynonymSet {
    /// No groups at all.
    pub fn empty() -> SynonymSet {
        SynonymSet::default()
    }

    /// The built-in set.
    pub(crate) fn built_in() -> SynonymSet {
        SynonymSet {
            groups: BUILT_IN
                .iter()
                .map(|g| g.iter().map(|t| t.to_string()).collect())
                .collect(),
        }
    }

    pub(crate) fn add_group(&mut self, terms: impl IntoIterator<Item = String>) {
        let group: Vec<String> = terms
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| usable_term(t))
            .collect();
        if group.len() >= 2 {
            self.groups.push(group);
        }
    }

    /// Adds the groups of a `synonyms.toml` (path relative to the site
    /// root), unless the file has an error. Every problem is reported at
    /// its place: errors (the file cannot be read or parsed, a term is too
    /// long) and warnings for what would be silently left out (a term too
    /// short, a group with fewer than two terms).
    pub(crate) fn add_file(&mut self, root: &Path, rel_path: &str) -> SynonymsFileReport {
        let mut report = SynonymsFileReport {
            path: rel_path.to_string(),
            ..SynonymsFileReport::default()
        };
        let text = match std::fs::read_to_string(root.join(rel_path)) {
            Ok(text) => text,
            Err(err) => {
                report.diagnostics.push(
                    Diagnostic::error(
                        rel_path,
                        Position::START,
                        format!("cannot read the synonyms file: {err}"),
                    )
                    .with_hint("check [search] synonyms in site.toml"),
                );
                return report;
            }
        };
        report.text = Some(Arc::from(text.as_str()));
        let toml_error = |err: &toml::de::Error| {
            let span = err.span().unwrap_or(0..1);
            Diagnostic::error(
                rel_path,
                Position::at(&text, span.start, span.len()),
                err.message().trim().to_string(),
            )
            .with_hint("write groups as [[group]] with terms = [\"CVA\", \"stroke\"]")
        };
        let table = match toml::de::DeTable::parse(&text) {
            Ok(table) => table,
            Err(err) => {
                report.diagnostics.push(toml_error(&err));
                return report;
            }
        };
        let reading = crate::schema::read::<SynonymsFile, _>(&text, table, |err, _| toml_error(err));
        for unknown in &reading.unknown {
            let keys = match unknown.table.as_str() {
                "" => crate::schema::field_names::<SynonymsFile>(),
                _ => crate::schema::field_names::<SynonymGroupFile>(),
            };
            let place = if unknown.table.is_empty() {
                String::new()
            } else {
                format!(" in [[{}]]", unknown.table)
            };
            let diagnostic = Diagnostic::error(
                rel_path,
                Position::at(&text, unknown.span.start, unknown.span.len()),
                format!("unknown key `{}`{place}", unknown.name),
            );
            report
                .diagnostics
                .push(match crate::diagnostics::closest(&unknown.name, keys.iter().copied()) {
                    Some(best) => diagnostic.with_hint(format!("did you mean `{best}`?")),
                    None => diagnostic.with_hint("write groups as [[group]] with terms = [\"CVA\", \"stroke\"]"),
                });
        }
        report.diagnostics.extend(reading.bad_values);
        let (Some(file), false) = (reading.value, report.has_errors()) else {
            return report;
        };
        let at = |span: std::ops::Range<usize>| Position::at(&text, span.start, span.len());
        let mut groups = Vec::new();
        for group in file.group {
            let group_span = group.span();
            let mut usable = Vec::new();
            for term in group.into_inner().terms {
                let length = term.get_ref().len();
                if length > MAX_TERM_BYTES {
                    report.diagnostics.push(
                        Diagnostic::error(
                            rel_path,
                            at(term.span()),
                            format!("synonym term is {length} bytes long"),
                        )
                        .with_hint(format!(
                            "a term is a name of a few words, at most {MAX_TERM_BYTES} bytes"
                        )),
                    );
                } else if usable_term(term.get_ref().trim()) {
                    usable.push(term.into_inner());
                } else {
                    report.diagnostics.push(
                        Diagnostic::warning(
                            rel_path,
                            at(term.span()),
                            format!("synonym term {:?} is too short and is left out", term.get_ref()),
                        )
                        .with_hint("a term has at least two characters"),
                    );
                }
            }
            if usable.len() < 2 {
                report.diagnostics.push(
                    Diagnostic::warning(
                        rel_path,
                        at(group_span),
                        format!(
                            "this group has {} usable term{}, so it links nothing",
                            usable.len(),
                            if usable.len() == 1 { "" } else { "s" }
                        ),
                    )
                    .with_hint("a group lists two or more names for one thing: terms = [\"CVA\", \"stroke\"]"),
                );
            }
            groups.push(usable);
        }
        if !report.has_errors() {
            for group in groups {
                self.add_group(group);
            }
        }
        report
    }

    /// Builds the matcher that finds group members in text.
    pub(crate) fn matcher(&self) -> SynonymMatcher {
        // A term may be in several groups (the built-in "stroke" and a
        // site's group that extends it): one pattern per term, with every
        // group that names it, so that each group applies.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut add = |text: String, group: usize, capitals_only: bool| {
            let folded = fold_case(&text);
            let at = *index.entry(folded.clone()).or_insert_with(|| {
                patterns.push(folded);
                owners.push(Vec::new());
                patterns.len() - 1
            });
            owners[at].push(Owner {
                group,
                capitals_only,
                text,
            });
        };
        for (group, terms) in self.groups.iter().enumerate() {
            for term in terms {
                add(term.clone(), group, is_abbreviation(term));
                if term.contains('\'') {
                    add(term.replace('\'', "\u{2019}"), group, false);
                }
            }
        }
        // Patterns are folded; ASCII text is searched as written (A-Z
        // folded by the automaton), other text after folding it the same way.
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            // Every match, overlapping ones too: a name inside a longer one
            // ("rehabilitation" in "vestibular rehabilitation") is a mention
            // of its own group.
            .match_kind(MatchKind::Standard)
            // A full DFA: built once per site, then scans every page's text.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .ok();
        SynonymMatcher {
            automaton,
            owners,
            groups: self.groups.clone(),
        }
    }
}

/// A group that names a pattern of the matcher.
struct Owner {
    group: usize,
    /// An abbreviation: it counts only when written as in the group.
    capitals_only: bool,
    text: String,
}

/// "MS", "ACL", "TKA": short, all capitals; matched only in capitals.
fn is_abbreviation(term: &str) -> bool {
    term.len() <= 5 && term.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Finds synonym group members in text, built once per build.
pub(crate) struct SynonymMatcher {
    automaton: Option<AhoCorasick>,
    /// For each pattern: the groups that name it.
    owners: Vec<Vec<Owner>>,
    groups: Vec<Vec<String>>,
}

impl SynonymMatcher {
    /// The other names of every group mentioned in `text`, joined by spaces
    /// (each name once; the names found in the text left out).
    pub(crate) fn expansions(&self, text: &str) -> String {
        let Some(automaton) = &self.automaton else {
            return String::new();
        };
        let folded = FoldedText::of(text);
        let mut found_groups: Vec<usize> = Vec::new();
        let mut found_names: HashSet<String> = HashSet::new();
        for hit in automaton.find_overlapping_iter(folded.text.as_ref()) {
            let Some((start, end)) = folded.original_range(hit.start(), hit.end()) else {
                continue;
            };
            if !whole_word(text, start, end) {
                continue;
            }
            let matched = &text[start..end];
            let mut counted = false;
            for owner in &self.owners[hit.pattern().as_usize()] {
                if owner.capitals_only && matched != owner.text {
                    continue;
                }
                counted = true;
                if !found_groups.contains(&owner.group) {
                    found_groups.push(owner.group);
                }
            }
            if counted {
                found_names.insert(fold_case(matched));
            }
        }
        // A name of two groups (the built-in "CVA" and a page's own) is
        // written once: twice would weigh it double.
        let mut out = String::new();
        for group in found_groups {
            for name in &self.groups[group] {
                if found_names.insert(fold_case(name)) {
                    out.push_str(name);
                    out.push_str(" . ");
                }
            }
        }
        out
    }
}

/// Lower case letter by letter, as the search analyzer's LowerCaser does
/// (`char::to_lowercase`, so "ÖDEM" is "ödem" and "Σ" is always "σ").
fn fold_case(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.chars().flat_map(char::to_lowercase).collect()
    }
}

/// A text as the matcher searches it: ASCII as written (the automaton
/// folds A-Z itself), anything else case-folded, with the way back from
/// folded byte offsets to the original's (a folded letter may be longer or
/// shorter than the original: "İ" is two letters, "K" (Kelvin) one byte).
struct FoldedText<'a> {
    text: Cow<'a, str>,
    /// For each byte of a folded `text`, where its original letter starts;
    /// `None` when `text` is the original.
    origin: Option<Vec<usize>>,
    original_len: usize,
}

impl<'a> FoldedText<'a> {
    fn of(text: &'a str) -> FoldedText<'a> {
        if text.is_ascii() {
            return FoldedText {
                text: Cow::Borrowed(text),
                origin: None,
                original_len: text.len(),
            };
        }
        let mut folded = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        for (at, c) in text.char_indices() {
            for lower in c.to_lowercase() {
                folded.push(lower);
                origin.resize(folded.len(), at);
            }
        }
        FoldedText {
            text: Cow::Owned(folded),
            origin: Some(origin),
            original_len: text.len(),
        }
    }

    /// The original byte range of the folded range `start..end`, or `None`
    /// when it begins or ends inside what one original letter became.
    fn original_range(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let Some(origin) = &self.origin else {
            return Some((start, end));
        };
        let at = |i: usize| -> Option<usize> {
            match i {
                0 => Some(0),
                i if i == origin.len() => Some(self.original_len),
                i => (origin.get(i)? != origin.get(i - 1)?).then(|| origin[i]),
            }
        };
        Some((at(start)?, at(end)?))
    }
}

fn whole_word(text: &str, start: usize, end: usize) -> bool {
    !text[..start].chars().next_back().is_some_and(char::is_alphanumeric)
        && !text[end..].chars().next().is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_to_the_other_names_of_each_group() {
        let matcher = SynonymSet::built_in().matcher();
        let out = matcher.expansions("After a stroke, a total knee replacement.");
        assert!(out.contains("CVA") && out.contains("cerebrovascular accident"), "{out}");
        assert!(out.contains("TKA") && !out.contains("total knee replacement"), "{out}");
        assert!(
            !out.contains(" stroke "),
            "names already in the text are left out: {out}"
        );
    }

    #[test]
    fn a_name_inside_a_longer_name_counts_too() {
        let mut set = SynonymSet::built_in();
        set.add_group(["vestibular rehabilitation".to_string(), "VRT".to_string()]);
        let out = set.matcher().expansions("Vestibular rehabilitation helps.");
        assert!(out.contains("VRT") && out.contains("rehab"), "{out}");
        // Still whole words only: "rehab" is not inside "rehabilitation".
        let out = SynonymSet::built_in().matcher().expansions("Rehabilitation.");
        assert!(out.contains("rehab") && !out.contains("rehabilitation"), "{out}");
    }

    #[test]
    fn a_term_in_several_groups_expands_to_each() {
        // A site's group that extends a built-in term, as synonyms.toml does.
        let mut set = SynonymSet::built_in();
        set.add_group(["stroke".to_string(), "brain attack".to_string()]);
        set.add_group(["Stroke".to_string(), "CVA".to_string()]);
        let out = set.matcher().expansions("Walking after a stroke.");
        assert!(out.contains("CVA") && out.contains("brain attack"), "{out}");
        assert_eq!(
            out.matches("CVA").count(),
            1,
            "a name of two groups is written once: {out}"
        );
        // An abbreviation shared with a lower-case word keeps its rule.
        let mut set = SynonymSet::default();
        set.add_group(["MS".to_string(), "multiple sclerosis".to_string()]);
        set.add_group(["ms".to_string(), "milliseconds".to_string()]);
        let out = set.matcher().expansions("a reply in 200 ms");
        assert!(
            out.contains("milliseconds") && !out.contains("multiple sclerosis"),
            "{out}"
        );
    }

    #[test]
    fn case_is_folded_for_every_alphabet() {
        let mut set = SynonymSet::empty();
        set.add_group(["Ödem".to_string(), "Schwellung".to_string()]);
        set.add_group(["ΟΙΔΗΜΑ".to_string(), "πρήξιμο".to_string()]);
        let matcher = set.matcher();
        for text in ["Ein ödem am Knöchel", "ÖDEM.", "Ödem", "ödem"] {
            assert!(matcher.expansions(text).contains("Schwellung"), "{text}");
        }
        assert!(
            matcher.expansions("οίδημα χωρίς τόνο").is_empty(),
            "accents are not case"
        );
        assert!(matcher.expansions("Το οιδημα υποχωρεί").contains("πρήξιμο"));
        // The name found is left out of the expansion, in whatever case.
        assert!(!matcher.expansions("ÖDEM").contains("Ödem"));
        // Whole words still, judged on the original text.
        assert!(matcher.expansions("Lymphödem").is_empty());
        assert!(matcher.expansions("ödemisch").is_empty());
    }

    #[test]
    fn folded_offsets_lead_back_to_the_original_text() {
        // "İ" folds to two letters (i + combining dot), "K" (Kelvin) to one byte.
        let text = "İx \u{212A}ödem";
        let folded = FoldedText::of(text);
        assert_eq!(folded.text, "i\u{307}x ködem");
        let at = folded.text.find("ödem").unwrap();
        let (start, end) = folded.original_range(at, folded.text.len()).unwrap();
        assert_eq!(&text[start..end], "ödem");
        let kelvin = folded.text.find('k').unwrap();
        let (start, end) = folded.original_range(kelvin, kelvin + 1).unwrap();
        assert_eq!(&text[start..end], "\u{212A}");
        // Half of what "İ" became is no place in the original.
        assert_eq!(folded.original_range(0, 1), None);
        assert_eq!(folded.original_range(0, "i\u{307}".len()), Some((0, "İ".len())));
    }

    #[test]
    fn abbreviations_match_only_in_capitals_and_whole_words() {
        let matcher = SynonymSet::built_in().matcher();
        assert!(matcher.expansions("a reply in 200 ms").is_empty());
        assert!(matcher.expansions("MS is common").contains("multiple sclerosis"));
        assert!(matcher.expansions("strokes and msg").is_empty());
    }

    #[test]
    fn site_groups_are_added() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("synonyms.toml"),
            "[[group]]\nterms = [\"HEP\", \"home exercise program\"]\n",
        )
        .unwrap();
        let mut set = SynonymSet::built_in();
        assert!(set.add_file(dir.path(), "synonyms.toml").diagnostics.is_empty());
        assert!(
            set.matcher()
                .expansions("Your HEP matters")
                .contains("home exercise program")
        );
        std::fs::write(dir.path().join("bad.toml"), "[[group]]\nterm = []\n").unwrap();
        let report = set.add_file(dir.path(), "bad.toml");
        assert!(report.has_errors());
        assert_eq!(report.diagnostics[0].line, 2);
    }

    #[test]
    fn every_problem_of_a_synonyms_file_is_reported_and_an_error_adds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let long = "x".repeat(MAX_TERM_BYTES + 1);
        std::fs::write(
            dir.path().join("synonyms.toml"),
            format!(
                "[[group]]\nterms = [\"HEP\", \"home exercise program\"]\n\n[[group]]\nterms = [\"{long}\", \"a\", \"{long}\"]\n\n[[group]]\nterms = [\"lonely\"]\n"
            ),
        )
        .unwrap();
        let mut set = SynonymSet::empty();
        let report = set.add_file(dir.path(), "synonyms.toml");
        let found: Vec<(usize, usize, bool)> = report
            .diagnostics
            .iter()
            .map(|d| (d.line, d.col, d.is_error()))
            .collect();
        // Both long terms, the one-letter term, and the two groups left
        // with fewer than two terms.
        assert_eq!(found.iter().filter(|f| f.2).count(), 2, "{found:?}");
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(found.contains(&(5, 10, true)) && found.contains(&(5, 115, false)));
        assert!(set.matcher().expansions("Your HEP matters").is_empty());

        std::fs::write(
            dir.path().join("warn.toml"),
            "[[group]]\nterms = [\"HEP\", \"home exercise program\", \" \"]\n",
        )
        .unwrap();
        let report = set.add_file(dir.path(), "warn.toml");
        assert!(!report.has_errors() && report.diagnostics.len() == 1);
        assert!(
            set.matcher()
                .expansions("Your HEP matters")
                .contains("home exercise program")
        );
    }
}
