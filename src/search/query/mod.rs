//! Querying: a query -> slots of weighted stems ([`plan`]) -> ranked
//! documents, one per page -> hits with snippets ([`snippet`]), for
//! `praxis search` and `GET /api/search`. The planner reads the tantivy
//! index through [`index_source`]; the browser runs the same planner in
//! JavaScript over the static export, and the parity tests compare the two.

pub(crate) mod index_source;
pub(crate) mod plan;
pub(crate) mod snippet;

use std::path::Path;

use serde::Serialize;

use crate::parse::kind::Kind;
use crate::search::SearchError;
use crate::search::index::excerpt;
use crate::search::index::impacts::ImpactReader;
use crate::search::index::source_stamp;
use crate::search::index::tantivy_index::{SearchIndex, index_dir, open_index};
use crate::search::index::vocabulary::SearchMeta;
use crate::search::parameters::PARAMETERS;
use index_source::IndexSource;

/// One search result (docs/commands.md, `praxis search --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub title: String,
    pub url: String,
    pub kind: String,
    pub score: f64,
    pub snippet: String,
}

/// The JSON answer of `praxis search` and `GET /api/search`.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

/// An index opened for queries.
pub struct OpenSearch {
    index: SearchIndex,
    meta: SearchMeta,
}

impl OpenSearch {
    /// Opens `ROOT/.praxis/`, or `None` when there is no usable index.
    pub fn open(root: &Path) -> Option<OpenSearch> {
        OpenSearch::open_in(&index_dir(root))
    }

    /// Opens the index in `dir` (with its metadata beside it).
    pub(crate) fn open_in(dir: &Path) -> Option<OpenSearch> {
        let meta = SearchMeta::load(dir.parent()?)?;
        let index = open_index(dir).ok()?;
        Some(OpenSearch { index, meta })
    }

    /// Whether the sources changed since this index was built, or it holds
    /// drafts (`build --drafts`), which `praxis search` never shows.
    pub(crate) fn is_stale(&self, root: &Path) -> bool {
        self.meta.drafts || self.meta.stamp != source_stamp(root, self.meta.synonyms_file.as_deref())
    }

    /// Runs a query; any text is valid.
    pub fn search(&self, query: &str, kind: Option<Kind>, limit: usize) -> Result<SearchResults, SearchError> {
        self.search_with(query, kind, limit, plan::PlanOptions::default())
    }

    /// [`OpenSearch::search`] with some planner helpers turned off.
    pub fn search_with(
        &self,
        query: &str,
        kind: Option<Kind>,
        limit: usize,
        options: plan::PlanOptions,
    ) -> Result<SearchResults, SearchError> {
        let reader = ImpactReader::new(&self.index)?;
        let source = IndexSource::new(&self.meta, &reader);
        let ranking = plan::rank_with(&source, query, kind.map(Kind::name), options);
        let searcher = self.index.reader.searcher();
        let stored = &self.index.stored;
        // The snippet's text is the excerpt the build exported for the doc.
        let rarity = excerpt::Rarity {
            df: |surface: &str| self.meta.document_frequency(surface),
            max_df: excerpt::rare_max_df(self.meta.kinds.len()),
        };
        let mut hits = Vec::new();
        for ranked in ranking.docs.iter().take(limit) {
            let term = tantivy::Term::from_field_u64(stored.ordinal, u64::from(ranked.ordinal));
            let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
            let top = searcher.search(&query, &tantivy::collector::TopDocs::with_limit(1).order_by_score())?;
            let Some((_, address)) = top.first() else { continue };
            let document: tantivy::TantivyDocument = searcher.doc(*address)?;
            let text = |field| {
                use tantivy::schema::Value;
                document
                    .get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let (title, page_title, kind) = (text(stored.title), text(stored.page_title), text(stored.kind));
            // A section hit names its page too: "Mirror therapy › How it works".
            let standalone = Kind::from_name(&kind).is_some_and(|kind| PARAMETERS.is_standalone(kind));
            let title = if !standalone && page_title != title {
                format!("{page_title} › {title}")
            } else {
                title
            };
            hits.push(SearchHit {
                title,
                url: text(stored.url),
                kind,
                score: ranked.score,
                snippet: snippet::snippet(&excerpt::excerpt(&text(stored.snippet), &rarity), &ranking.stems),
            });
        }
        Ok(SearchResults {
            query: query.to_string(),
            total: ranking.docs.len(),
            hits,
        })
    }
}
