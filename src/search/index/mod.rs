//! Index building: the linked site -> search documents ([`documents`]) ->
//! the tantivy index in `.praxis/index/` ([`tantivy_index`]) -> integer
//! impacts read back out of it ([`impacts`]) -> what `praxis search` keeps
//! beside the index ([`vocabulary`]) and the static index for the browser
//! ([`export`], with its [`term_shards`], [`pairs`] and the doc
//! [`excerpt`]s snippets are cut from).
//!
//! Every number the browser gets is read out of tantivy, never recomputed
//! from the text, so the browser and `praxis search` rank alike.

pub(crate) mod documents;
pub(crate) mod excerpt;
pub(crate) mod export;
pub(crate) mod impacts;
pub(crate) mod pairs;
pub(crate) mod tantivy_index;
pub(crate) mod term_shards;
pub(crate) mod vocabulary;

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::{Duration, Instant};

use walkdir::WalkDir;

use crate::config::SearchConfig;
use crate::link::Site;
use crate::output::OutputFile;
use crate::search::SearchError;
use crate::search::analysis::synonyms::SynonymSet;
use crate::search::parameters::PARAMETERS;
use documents::SearchDoc;
use export::ExportStats;
use impacts::ImpactReader;
use tantivy_index::{IndexLock, build_index, index_dir};
use vocabulary::SearchMeta;

/// What the index stage produced and how long its parts took.
pub struct SearchBuild {
    pub files: Vec<OutputFile>,
    pub export: ExportStats,
    pub documents: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Builds the tantivy index and the static export for `site` with a synonym
/// set: the site's ([`crate::search::site_synonyms`]), or an empty one for the relevance
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
pub(crate) fn index_documents_in(
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
    // A word in `rare_word_df` docs or fewer must be wholly in its head, so
    // the browser knows from the head alone that it finds little.
    let head_size = config.postings_head.max(PARAMETERS.rare_word_df);
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
pub(crate) fn source_stamp(root: &Path, synonyms_file: Option<&str>) -> String {
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
