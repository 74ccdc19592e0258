//! Analysis: how text becomes the words tantivy indexes and the planner
//! looks up. One English analyzer ([`analyzer`]) with a stemmer that
//! remembers every surface form it met ([`stemmer`]), the folding table the
//! browser applies to query words ([`folding`]), and the synonym groups
//! applied at index time ([`synonyms`]), so that neither planner needs a
//! synonym table.

pub(crate) mod analyzer;
pub(crate) mod folding;
pub(crate) mod stemmer;
pub(crate) mod synonyms;

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::link::Site;
use crate::parse::kind::Kind;
use synonyms::{SynonymSet, SynonymsFileReport};

/// The synonym groups of a site, with what reading its synonyms file found.
#[derive(Debug, Clone)]
pub struct SiteSynonyms {
    pub set: SynonymSet,
    /// The report of `[search] synonyms`, when the site has one.
    pub(crate) file: Option<SynonymsFileReport>,
}

impl SiteSynonyms {
    pub(crate) fn has_errors(&self) -> bool {
        self.file.as_ref().is_some_and(SynonymsFileReport::has_errors)
    }

    /// The synonyms file's diagnostics.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.file.as_ref().map_or(&[], |file| &file.diagnostics)
    }
}

/// The synonym groups of a site: built-in, `synonyms.toml` (unless it has
/// an error), and every technique's and application's title with its
/// synonyms.
pub fn site_synonyms(root: &Path, site: &Site) -> SiteSynonyms {
    let mut set = SynonymSet::built_in();
    let file = site.config.search.synonyms.as_ref().map(|file| {
        let mut report = set.add_file(root, file);
        for diagnostic in &mut report.diagnostics {
            diagnostic.rule.get_or_insert(crate::diagnostics::Rule::Synonyms);
        }
        report
    });
    for page in &site.pages {
        if matches!(page.kind, Kind::Technique | Kind::Application) && !page.front.synonyms.is_empty() {
            set.add_group(std::iter::once(page.title.clone()).chain(page.front.synonyms.iter().cloned()));
        }
    }
    SiteSynonyms { set, file }
}
