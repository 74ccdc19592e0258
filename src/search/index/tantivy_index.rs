//! The tantivy index of the search documents, kept in `.praxis/index/`.
//!
//! tantivy does the analysis, the term statistics and BM25; everything the
//! static client gets is read back out of this index (see `impacts`).

use std::path::{Path, PathBuf};

use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::{Index, IndexReader, TantivyDocument, doc};

use crate::search::analysis::analyzer::{ANALYZER, logging_analyzer, stemming_analyzer};
use crate::search::analysis::stemmer::{SurfaceLog, SurfaceStems};
use crate::search::index::documents::SearchDoc;
use crate::search::parameters::PARAMETERS;

/// The searchable text fields and their boosts ([`FieldBoosts`]), in the
/// order of [`crate::search::index::documents::DocFields::in_index_order`].
///
/// [`FieldBoosts`]: crate::search::parameters::FieldBoosts
fn text_fields() -> [(&'static str, f32); 7] {
    PARAMETERS.field_boosts.in_index_order()
}

/// The folder of the index under the site root.
pub(crate) const INDEX_DIR: &str = ".praxis/index";

/// Stored, non-searched fields.
pub(crate) struct StoredFields {
    pub(crate) ordinal: Field,
    pub(crate) url: Field,
    pub(crate) title: Field,
    pub(crate) page_title: Field,
    pub(crate) kind: Field,
    pub(crate) kind_facet: Field,
    pub(crate) snippet: Field,
}

/// An open index with its fields.
pub(crate) struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    /// Text fields in [`text_fields`] order.
    pub(crate) text_fields: Vec<(Field, f32)>,
    pub(crate) stored: StoredFields,
}

fn schema() -> Schema {
    let mut builder = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqs)
        .set_fieldnorms(true);
    let text = TextOptions::default().set_indexing_options(indexing);
    for (name, _) in text_fields() {
        builder.add_text_field(name, text.clone());
    }
    builder.add_u64_field("ordinal", INDEXED | FAST | STORED);
    builder.add_text_field("url", STRING | STORED);
    builder.add_text_field("doc_title", STORED);
    builder.add_text_field("page_title", STORED);
    builder.add_text_field("kind", STRING | STORED | FAST);
    builder.add_facet_field("kind_facet", FacetOptions::default());
    builder.add_text_field("snippet", STORED);
    builder.build()
}

fn open_fields(index: Index) -> tantivy::Result<SearchIndex> {
    index.tokenizers().register(ANALYZER, stemming_analyzer());
    with_fields(index)
}

fn with_fields(index: Index) -> tantivy::Result<SearchIndex> {
    let schema = index.schema();
    let field = |name: &str| schema.get_field(name);
    let text_fields = text_fields()
        .into_iter()
        .map(|(name, boost)| Ok((field(name)?, boost)))
        .collect::<tantivy::Result<_>>()?;
    let stored = StoredFields {
        ordinal: field("ordinal")?,
        url: field("url")?,
        title: field("doc_title")?,
        page_title: field("page_title")?,
        kind: field("kind")?,
        kind_facet: field("kind_facet")?,
        snippet: field("snippet")?,
    };
    // Reloaded by hand after each commit: no file watcher thread, and a
    // server holding an old index never half-reads one being rebuilt.
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    Ok(SearchIndex {
        index,
        reader,
        text_fields,
        stored,
    })
}

/// Writes a fresh index of `docs` into `dir` (replacing what was there),
/// and returns it with every surface form the analyzer met and its stem.
pub(crate) fn build_index(dir: &Path, docs: &[SearchDoc]) -> tantivy::Result<(SearchIndex, SurfaceStems)> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let index = Index::create_in_dir(dir, schema())?;
    let log = SurfaceLog::default();
    index.tokenizers().register(ANALYZER, logging_analyzer(log.clone()));
    let search = with_fields(index)?;
    // Two threads on this 2-core target; 60 MB of arena each is plenty for
    // 10,000 pages and keeps the segment count (and merge work) low.
    let threads = rayon::current_num_threads().clamp(1, 4);
    let mut writer = search
        .index
        .writer_with_num_threads::<TantivyDocument>(threads, threads * 60_000_000)?;
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let text = &search.text_fields;
    let s = &search.stored;
    for (ordinal, item) in docs.iter().enumerate() {
        let values = item.fields.in_index_order();
        let mut document = doc!(
            s.ordinal => ordinal as u64,
            s.url => item.url.as_str(),
            s.title => item.title.as_str(),
            s.page_title => item.page_title.as_str(),
            s.kind => item.kind.name(),
            s.kind_facet => Facet::from_path(["kind", item.kind.name()]),
            s.snippet => item.snippet_text(),
        );
        for ((field, _), value) in text.iter().zip(values) {
            if !value.trim().is_empty() {
                document.add_text(*field, value);
            }
        }
        writer.add_document(document)?;
    }
    writer.commit()?;
    // Joins the indexing threads, whose analyzers hand their surface forms
    // to the log as they are dropped.
    writer.wait_merging_threads()?;
    // The registered analyzer goes back to a plain one, so queries through
    // this index do not collect surface forms.
    search.index.tokenizers().register(ANALYZER, stemming_analyzer());
    search.reader.reload()?;
    Ok((search, log.take()))
}

/// Opens the index a previous build wrote.
pub(crate) fn open_index(dir: &Path) -> tantivy::Result<SearchIndex> {
    open_fields(Index::open_in_dir(dir)?)
}

/// `ROOT/.praxis/index`.
pub(crate) fn index_dir(root: &Path) -> PathBuf {
    root.join(INDEX_DIR)
}

/// A lock on an index folder between processes: a build rewriting the
/// index holds it alone; `praxis search` reading it shares it. Without it a
/// search met a half-written index ("FileDoesNotExist") and two rebuilds
/// met tantivy's own writer lock ("LockBusy"). The lock is the file
/// `index.lock` beside the folder; where it cannot be made (a read-only
/// site), nothing is locked, as before.
pub(crate) struct IndexLock(#[allow(dead_code)] Option<std::fs::File>);

impl IndexLock {
    /// Waits until no other process reads or writes the index in `dir`.
    pub(crate) fn exclusive(dir: &Path) -> IndexLock {
        IndexLock(lock_file(dir).filter(|file| file.lock().is_ok()))
    }

    /// Waits until no other process writes the index in `dir`.
    pub(crate) fn shared(dir: &Path) -> IndexLock {
        IndexLock(lock_file(dir).filter(|file| file.lock_shared().is_ok()))
    }
}

fn lock_file(dir: &Path) -> Option<std::fs::File> {
    let parent = dir.parent()?;
    std::fs::create_dir_all(parent).ok()?;
    let name = format!("{}.lock", dir.file_name()?.to_string_lossy());
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(parent.join(name))
        .ok()
}
