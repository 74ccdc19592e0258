//! Index stage: the linked site -> a tantivy index in `.praxis/index/` ->
//! the static search index in the output, plus `praxis search`.
//!
//! tantivy is the single source of truth (SEARCH.md): it analyses the text
//! and computes BM25; the static files for the browser are read back out of
//! it as integer impacts, and one query planner (`plan`) ranks for the
//! command line, the server and (in JavaScript) the browser.

pub mod analyzer;
pub mod documents;
pub mod excerpt;
pub mod export;
pub mod folding;
pub mod impacts;
pub mod index;
pub mod pairs;
pub mod plan;
pub mod snippet;
pub mod stemmer;
pub mod synonyms;
pub mod vocabulary;

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;
use walkdir::WalkDir;

use crate::config::SearchConfig;
use crate::diagnostics::{Diagnostic, Position, SourceTexts};
use crate::link::Site;
use crate::output::OutputFile;
use crate::parse::kind::Kind;
pub use documents::SearchDoc;
use export::ExportStats;
use impacts::ImpactReader;
pub use index::{IndexLock, index_dir};
use index::{build_index, open_index};
use synonyms::{SynonymSet, SynonymsFileReport};
use vocabulary::{IndexSource, SearchMeta};

/// What the index stage produced and how long its parts took.
pub struct SearchBuild {
    pub files: Vec<OutputFile>,
    pub export: ExportStats,
    pub documents: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

/// A failure of the index stage.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
}

/// The synonym groups of a site, with what reading its synonyms file found.
#[derive(Debug, Clone)]
pub struct SiteSynonyms {
    pub set: SynonymSet,
    /// The report of `[search] synonyms`, when the site has one.
    pub file: Option<SynonymsFileReport>,
}

impl SiteSynonyms {
    pub fn has_errors(&self) -> bool {
        self.file.as_ref().is_some_and(SynonymsFileReport::has_errors)
    }

    /// The synonyms file's diagnostics.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.file.as_ref().map_or(&[], |file| &file.diagnostics)
    }

    /// Adds the synonyms file's text to `sources`, for the snippets of its
    /// diagnostics.
    pub fn add_source(&self, sources: &mut SourceTexts) {
        if let Some(file) = &self.file {
            file.add_source(sources);
        }
    }
}

/// The synonym groups of a site: built-in, `synonyms.toml` (unless it has
/// an error), and every technique's and application's title with its
/// synonyms.
pub fn site_synonyms(root: &Path, site: &Site) -> SiteSynonyms {
    let mut set = SynonymSet::built_in();
    let file = site
        .config
        .search
        .synonyms
        .as_ref()
        .map(|file| set.add_file(root, file));
    for page in &site.pages {
        if matches!(page.kind, Kind::Technique | Kind::Application) && !page.front.synonyms.is_empty() {
            set.add_group(std::iter::once(page.title.clone()).chain(page.front.synonyms.iter().cloned()));
        }
    }
    SiteSynonyms { set, file }
}

/// Builds the tantivy index and the static export for `site` with a synonym
/// set: the site's ([`site_synonyms`]), or an empty one for the relevance
/// benchmark's plain BM25.
pub fn build_search(root: &Path, site: &Site, synonyms: &SynonymSet) -> Result<SearchBuild, SearchError> {
    let clock = Instant::now();
    let docs = documents::collect_documents(site, &synonyms.matcher());
    let collected = clock.elapsed();
    let dir = index_dir(root);
    // Another build or a `praxis search` may be reading or rebuilding this
    // index: wait for it, and make them wait while it is rewritten.
    let _lock = IndexLock::exclusive(&dir);
    let drafts = site.pages.iter().any(|page| page.front.draft);
    let mut build = index_documents_in(&dir, root, &docs, &site.config.search, drafts)?;
    build.timings.insert(0, ("search: documents", collected));
    Ok(build)
}

/// Indexes documents already collected (numbered by
/// `documents::index_order`) into the index folder `dir` (its metadata
/// goes beside it): the tantivy index, the metadata `praxis search` needs,
/// and the static export. `serve` calls this with documents it keeps per
/// page, into an index of its own, so that a preview with drafts never
/// answers `praxis search`, and the two never share a lock. `drafts`: the
/// documents include draft pages.
pub fn index_documents_in(
    dir: &Path,
    root: &Path,
    docs: &[SearchDoc],
    config: &SearchConfig,
    drafts: bool,
) -> Result<SearchBuild, SearchError> {
    let mut laps = crate::timings::Laps::new();
    let dir = dir.to_path_buf();
    let (index, surfaces) = build_index(&dir, docs)?;
    laps.lap("search: tantivy");
    let reader = ImpactReader::new(&index)?;
    let impacts = reader.all_impacts()?;
    let synonyms_file = config.synonyms.clone();
    let stamp = source_stamp(root, synonyms_file.as_deref());
    let mut meta = SearchMeta::build(docs, surfaces, &impacts, stamp, synonyms_file);
    meta.drafts = drafts;
    meta.save(dir.parent().unwrap_or(&dir))?;
    laps.lap("search: impacts");
    // A word in RARE_WORD_DF docs or fewer must be wholly in its head, so
    // the browser knows from the head alone that it finds little.
    let head_size = config.postings_head.max(plan::RARE_WORD_DF);
    let (files, export) = export::export(docs, &impacts, &meta, head_size);
    laps.lap("search: export");
    Ok(SearchBuild {
        files,
        export,
        documents: docs.len(),
        timings: laps.timings,
    })
}

/// What an index built by another version of Praxis may differ in (fields,
/// analysis, document cuts): part of the stamp, so an upgrade rebuilds it.
const INDEX_FORMAT: &str = concat!(env!("CARGO_PKG_VERSION"), "/search-7");

/// A fingerprint of the sources (paths, sizes, modification times) of
/// site.toml, content/ and the synonyms file (`[search] synonyms`, wherever
/// it is), and of the index format, so `praxis search` knows when the index
/// is stale.
pub fn source_stamp(root: &Path, synonyms_file: Option<&str>) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    INDEX_FORMAT.hash(&mut hasher);
    for source in ["site.toml", "content"].into_iter().chain(synonyms_file) {
        for entry in WalkDir::new(root.join(source))
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if let Ok(metadata) = entry.metadata() {
                entry.path().hash(&mut hasher);
                metadata.len().hash(&mut hasher);
                if let Ok(modified) = metadata.modified() {
                    modified.hash(&mut hasher);
                }
            }
        }
    }
    format!("{:016x}", hasher.finish())
}

/// One search result (SPEC section 5).
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
    index: index::SearchIndex,
    meta: SearchMeta,
}

impl OpenSearch {
    /// Opens `ROOT/.praxis/`, or `None` when there is no usable index.
    pub fn open(root: &Path) -> Option<OpenSearch> {
        OpenSearch::open_in(&index_dir(root))
    }

    /// Opens the index in `dir` (with its metadata beside it).
    pub fn open_in(dir: &Path) -> Option<OpenSearch> {
        let meta = SearchMeta::load(dir.parent()?)?;
        let index = open_index(dir).ok()?;
        Some(OpenSearch { index, meta })
    }

    /// Whether the sources changed since this index was built, or it holds
    /// drafts (`build --drafts`), which `praxis search` never shows.
    pub fn is_stale(&self, root: &Path) -> bool {
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
            let title = if kind != "faq" && page_title != title {
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

/// A failure of the index stage, which has no place in the content, points
/// at the index folder.
pub fn index_diagnostic(err: &SearchError) -> Diagnostic {
    Diagnostic::error(index::INDEX_DIR, Position::START, err.to_string())
        .with_hint("delete the .praxis folder and build again")
}
