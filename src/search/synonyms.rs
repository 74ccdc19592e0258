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
//! multiple sclerosis.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Position};

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
];

/// The site's `synonyms.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymsFile {
    #[serde(default)]
    group: Vec<SynonymGroupFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymGroupFile {
    terms: Vec<toml::Spanned<String>>,
}

/// The longest synonym term, in bytes: names of conditions and techniques
/// are a few words ("transcutaneous electrical nerve stimulation" is 43),
/// and every term is sought in every page's text.
const MAX_TERM_BYTES: usize = 100;

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
    pub fn built_in() -> SynonymSet {
        SynonymSet {
            groups: BUILT_IN
                .iter()
                .map(|g| g.iter().map(|t| t.to_string()).collect())
                .collect(),
        }
    }

    pub fn add_group(&mut self, terms: impl IntoIterator<Item = String>) {
        let group: Vec<String> = terms
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| t.len() >= 2)
            .collect();
        if group.len() >= 2 {
            self.groups.push(group);
        }
    }

    /// Adds the groups of a `synonyms.toml` (path relative to the site root).
    pub fn add_file(&mut self, root: &Path, rel_path: &str) -> Result<(), Diagnostic> {
        let text = std::fs::read_to_string(root.join(rel_path)).map_err(|err| {
            Diagnostic::error(
                rel_path,
                Position::START,
                format!("cannot read the synonyms file: {err}"),
            )
            .with_hint("check [search] synonyms in site.toml")
        })?;
        let file: SynonymsFile = toml::from_str(&text).map_err(|err| {
            let span = err.span().unwrap_or(0..1);
            Diagnostic::error(
                rel_path,
                Position::at(&text, span.start, span.len()),
                err.message().trim().to_string(),
            )
            .with_hint("write groups as [[group]] with terms = [\"CVA\", \"stroke\"]")
        })?;
        if let Some(term) = file
            .group
            .iter()
            .flat_map(|group| &group.terms)
            .find(|term| term.get_ref().len() > MAX_TERM_BYTES)
        {
            let span = term.span();
            return Err(Diagnostic::error(
                rel_path,
                Position::at(&text, span.start, span.len()),
                format!("synonym term is {} bytes long", term.get_ref().len()),
            )
            .with_hint(format!(
                "a term is a name of a few words, at most {MAX_TERM_BYTES} bytes"
            )));
        }
        for group in file.group {
            self.add_group(group.terms.into_iter().map(toml::Spanned::into_inner));
        }
        Ok(())
    }

    /// Builds the matcher that finds group members in text.
    pub fn matcher(&self) -> SynonymMatcher {
        // A term may be in several groups (the built-in "stroke" and a
        // site's group that extends it): one pattern per term, with every
        // group that names it, so that each group applies.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut add = |text: String, group: usize, capitals_only: bool| {
            let at = *index.entry(text.to_ascii_lowercase()).or_insert_with(|| {
                patterns.push(text.clone());
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
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
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
pub struct SynonymMatcher {
    automaton: Option<AhoCorasick>,
    /// For each pattern: the groups that name it.
    owners: Vec<Vec<Owner>>,
    groups: Vec<Vec<String>>,
}

impl SynonymMatcher {
    /// The other names of every group mentioned in `text`, joined by spaces
    /// (each name once; the names found in the text left out).
    pub fn expansions(&self, text: &str) -> String {
        let Some(automaton) = &self.automaton else {
            return String::new();
        };
        let mut found_groups: Vec<usize> = Vec::new();
        let mut found_names: HashSet<String> = HashSet::new();
        for hit in automaton.find_iter(text) {
            if !whole_word(text, hit.start(), hit.end()) {
                continue;
            }
            let matched = &text[hit.start()..hit.end()];
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
                found_names.insert(matched.to_lowercase());
            }
        }
        // A name of two groups (the built-in "CVA" and a page's own) is
        // written once: twice would weigh it double.
        let mut out = String::new();
        for group in found_groups {
            for name in &self.groups[group] {
                if found_names.insert(name.to_lowercase()) {
                    out.push_str(name);
                    out.push_str(" . ");
                }
            }
        }
        out
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
        set.add_file(dir.path(), "synonyms.toml").unwrap();
        assert!(
            set.matcher()
                .expansions("Your HEP matters")
                .contains("home exercise program")
        );
        std::fs::write(dir.path().join("bad.toml"), "[[group]]\nterm = []\n").unwrap();
        let err = set.add_file(dir.path(), "bad.toml").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
