//! Index stage: the linked site -> a tantivy index in `.praxis/index/` ->
//! the static search index in the output, plus `praxis search`.
//!
//! tantivy is the single source of truth: it analyses the text and computes
//! BM25; the static files for the browser are read back out of it as
//! integer impacts, and one query planner ranks for the command line, the
//! server and (in JavaScript) the browser. The folders are the three jobs:
//!
//! ```text
//! analysis   text -> words: the analyzer, its stemmer and folding table,
//!            the synonym groups applied at index time
//! index      the site -> search documents -> tantivy index -> impacts,
//!            vocabulary, excerpts -> the static export (docs/search-format.md)
//! query      a query -> slots of weighted stems -> ranked documents and
//!            snippets, for `praxis search` and `GET /api/search`
//! ```
//!
//! [`parameters`] names every weight and threshold the planner uses; the
//! export writes them into the manifest, so the browser's planner reads
//! them instead of restating them.

pub(crate) mod analysis;
pub(crate) mod index;
pub(crate) mod parameters;
pub(crate) mod query;

use crate::diagnostics::{Diagnostic, Position, Rule};

pub(crate) use analysis::analyzer::{every_word_stemming_analyzer, tokens};
pub use analysis::synonyms::SynonymSet;
pub(crate) use analysis::synonyms::{SynonymMatcher, SynonymsFileReport};
pub use analysis::{SiteSynonyms, site_synonyms};
pub(crate) use index::documents::{SearchDoc, index_order, page_documents};
pub use index::export::ExportStats;
pub(crate) use index::index_documents_in;
pub(crate) use index::tantivy_index::{IndexLock, index_dir};
pub use index::{SearchBuild, build_search};
pub use query::plan::PlanOptions;
pub use query::{OpenSearch, SearchHit, SearchResults};

/// A failure of the index stage.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
}

/// A failure of the index stage, which has no place in the content, points
/// at the index folder.
pub(crate) fn index_diagnostic(err: &SearchError) -> Diagnostic {
    Diagnostic::error(index::tantivy_index::INDEX_DIR, Position::START, err.to_string())
        .with_hint("delete the .praxis folder and build again")
        .with_rule(Rule::SearchIndex)
}
