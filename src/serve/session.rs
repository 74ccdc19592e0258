//! What `serve` keeps between rebuilds, and the rebuilds themselves: the
//! pipeline's own steps (`build::steps`), called with a scope.
//!
//! A full rebuild reads, parses, links and renders everything, as `build`
//! does. After that, a change under `content/` re-reads and re-parses only
//! the files that changed, links the site again (links and the graph are
//! global; a page that keeps its place is linked alone into the last good
//! site), and renders only the outputs that depend on what changed (see
//! `affected`). Templates, static files and site.toml changes rebuild
//! everything, but even then a file whose text did not change is not
//! parsed again.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::steps::{self, Inputs, ParsedFiles};
use crate::build::{BuildOptions, Report};
use crate::check::privacy::PrivacyScope;
use crate::config::SearchConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::mentions::MentionMatcher;
use crate::link::{PageId, Site, graph_problems, link_one, regraph};
use crate::measure::Measures;
use crate::output::{FileContents, OutputFile};
use crate::parse::Parsed;
use crate::render::RenderScope;
use crate::search::{SearchDoc, SiteSynonyms, SynonymMatcher, SynonymsFileReport, page_documents};
use crate::serve::affected::{Affected, Shown, affected, dependents, place_in_site};
use crate::timings::Laps;

/// The built site as served: output path -> file.
pub type FileMap = HashMap<String, Arc<ServedFile>>;

/// One output file with the tag that tells browsers whether it changed.
#[derive(Debug)]
pub struct ServedFile {
    pub contents: FileContents,
    /// Changes whenever the file is rendered again with different bytes.
    pub etag: String,
    /// For a file served from disk: its size and modification time when
    /// the tag was made, so a rebuild that leaves it alone keeps its tag.
    pub disk: Option<DiskStamp>,
}

/// A file's size and modification time.
pub type DiskStamp = (u64, Option<std::time::SystemTime>);

fn disk_stamp(contents: &FileContents) -> Option<DiskStamp> {
    match contents {
        FileContents::Copy(path) => std::fs::metadata(path).ok().map(|m| (m.len(), m.modified().ok())),
        _ => None,
    }
}

/// What changed on disk since the last rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Templates, themes, static files or configuration: build everything.
    Everything,
    /// Files under `content/` (absolute or root-relative paths).
    Content(BTreeSet<PathBuf>),
}

/// What the search index is built from: each page's documents, in site
/// order (kept per page, so an edit recomputes one page's).
#[derive(Clone)]
pub(crate) struct SearchInput {
    pub(crate) docs: Vec<Arc<[SearchDoc]>>,
    pub(crate) config: SearchConfig,
}

/// A successful rebuild.
pub struct Rebuilt {
    pub pages: usize,
    pub(crate) search: SearchInput,
    pub files: Arc<FileMap>,
    /// Warnings of the whole site.
    pub report: Report,
    /// Output files rendered by this rebuild.
    pub rendered: usize,
    /// Whether everything was rendered (else only what depended on the change).
    pub everything: bool,
    pub took: Duration,
    /// Wall time of each step, for `serve --timings`.
    pub timings: Vec<(&'static str, Duration)>,
}

/// What the session read and parsed, kept so an edit re-reads one file,
/// not the site.
struct Read {
    inputs: Inputs,
    parsed: ParsedFiles,
}

/// The last site that built without errors, with what serving it needs.
struct Good {
    site: Site,
    measures: Measures,
    files: Arc<FileMap>,
    /// Its warnings.
    diagnostics: Vec<Diagnostic>,
    matcher: SynonymMatcher,
    /// What reading the synonyms file found (its warnings are among
    /// `diagnostics`), with its text for their snippets.
    synonyms_file: Option<SynonymsFileReport>,
    docs: Vec<Arc<[SearchDoc]>>,
    mentions: MentionMatcher,
    /// What the graph check found in `site`, to replace after an edit.
    graph_problems: Vec<Diagnostic>,
}

/// A site linked by a rebuild, before it proves good.
// One value per rebuild, on the stack and never in a collection: boxing
// the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Linked {
    /// Linked whole: a new site.
    New {
        site: Site,
        measures: Measures,
        synonyms: SiteSynonyms,
    },
    /// Some pages linked one by one into the last good site (changed in
    /// place: if the rebuild fails, that site must be read afresh).
    InPlace,
}

/// How far the session may trust what it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    /// The inputs are those of the last good site plus the edits since:
    /// an edit re-reads its files and may link them in place.
    Current,
    /// The last rebuild failed: the inputs hold errors the last good site
    /// does not show, so the next one links every page (an edit of another
    /// page, relinked alone, would not see them and would pass).
    Failed,
    /// The inputs may not match the disk (a full read failed, or a failed
    /// rebuild changed the last good site in place): read everything.
    Stale,
}

/// The state of a serving session.
pub struct Session {
    options: BuildOptions,
    /// What was read, once site.toml could be read.
    read: Option<Read>,
    last_good: Option<Good>,
    trust: Trust,
    generation: u64,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            read: None,
            last_good: None,
            trust: Trust::Stale,
            generation: 0,
        }
    }

    /// Source files outside the watched folders that the last good site
    /// read: its synonyms file (`[search] synonyms`), wherever it is.
    pub(crate) fn extra_sources(&self) -> Vec<String> {
        self.last_good
            .as_ref()
            .and_then(|good| good.site.config.search.synonyms.clone())
            .into_iter()
            .collect()
    }

    /// Rebuilds after `change`; on errors the last good site stays as it
    /// was (served from its file map).
    pub fn rebuild(&mut self, change: &Change) -> Result<Rebuilt, Report> {
        let start = Instant::now();
        let mut laps = Laps::new();
        self.generation += 1;
        let rebuilt = self.rebuild_after(change, &mut laps);
        self.trust = match (&rebuilt, self.trust) {
            (Ok(_), _) => Trust::Current,
            (Err(_), Trust::Stale) => Trust::Stale,
            (Err(_), _) => Trust::Failed,
        };
        rebuilt.map(|mut rebuilt| {
            rebuilt.took = start.elapsed();
            rebuilt.timings = laps.timings;
            rebuilt
        })
    }

    fn rebuild_after(&mut self, change: &Change, laps: &mut Laps) -> Result<Rebuilt, Report> {
        // 1. Read: the changed content files, or everything.
        let edited = match change {
            Change::Content(paths) if self.trust != Trust::Stale && self.last_good.is_some() => self.reread(paths),
            _ => None,
        };
        let read = match (edited.is_some(), self.read.take()) {
            (true, Some(read)) => read,
            (_, previous) => {
                // Until a full read succeeds (site.toml may be broken), a
                // content edit must not be built on the old inputs.
                self.trust = Trust::Stale;
                let inputs = steps::read(&self.options)?;
                let parsed = steps::parse(&inputs, previous.map(|read| read.parsed).unwrap_or_default());
                // Read afresh: every page is linked, and until this rebuild
                // succeeds the last good site is not what the disk holds.
                self.trust = Trust::Failed;
                Read { inputs, parsed }
            }
        };
        let read = self.read.insert(read);
        laps.lap("read+parse");

        // 2. Link: the edited pages in place when they keep their place in
        // the site, else every page.
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(read.inputs.diagnostics.iter().cloned());
        let in_place = match &edited {
            Some(changed) if self.trust == Trust::Current => match &mut self.last_good {
                Some(good) => relink_in_place(good, read, changed, self.options.drafts, laps),
                None => None,
            },
            _ => None,
        };
        let (linked, plan) = match in_place {
            Some(Ok((plan, in_place_diagnostics))) => {
                diagnostics.extend(in_place_diagnostics);
                (Linked::InPlace, plan)
            }
            Some(Err(report)) => return Err(report),
            None => {
                let (site, link_diagnostics) = steps::link(&read.inputs, read.parsed.copies(), self.options.drafts);
                diagnostics.extend(link_diagnostics);
                let measures = steps::measure(&site);
                let synonyms = steps::synonyms(&self.options.root, &site);
                diagnostics.extend(synonyms.diagnostics().iter().cloned());
                laps.lap("link");
                // After a failed rebuild, pages changed since the last good
                // site are more than this change's.
                let plan = match (&edited, &self.last_good) {
                    (Some(changed), Some(old)) if self.trust == Trust::Current => affected(&old.site, &site, changed),
                    _ => Affected::Everything,
                };
                (
                    Linked::New {
                        site,
                        measures,
                        synonyms,
                    },
                    plan,
                )
            }
        };
        laps.lap("affected");

        // 3. Render what the change affects.
        let (site, measures) = match (&linked, &self.last_good) {
            (Linked::New { site, measures, .. }, _) => (site, measures),
            (Linked::InPlace, Some(good)) => (&good.site, &good.measures),
            (Linked::InPlace, None) => unreachable!("a site is relinked in place only into the last good one"),
        };
        let theme = match &read.inputs.theme {
            Ok(theme) => theme,
            Err(theme_diagnostics) => {
                diagnostics.extend(theme_diagnostics.iter().cloned());
                let synonyms_file = match &linked {
                    Linked::New { synonyms, .. } => synonyms.file.as_ref(),
                    Linked::InPlace => None,
                };
                return Err(steps::report(diagnostics, &read.inputs, synonyms_file).unwrap_or_else(|report| report));
            }
        };
        let everything = matches!(plan, Affected::Everything);
        let scope = match &plan {
            Affected::Everything => RenderScope::All,
            Affected::Some { pages, lists } => RenderScope::Some { pages, lists: *lists },
        };
        let (files, render_diagnostics) = steps::render(site, measures, theme, &read.inputs.loaded, scope);
        diagnostics.extend(render_diagnostics);
        laps.lap("render");
        let privacy_scope = match &plan {
            Affected::Everything => PrivacyScope::Everything,
            Affected::Some { pages, .. } => PrivacyScope::Pages(pages),
        };
        diagnostics.extend(steps::privacy(
            &read.inputs,
            site,
            theme,
            &files,
            &self.options.root,
            privacy_scope,
        ));
        // The synonyms file is content, read again with every new site (its
        // own changes reload everything): its problems are reported with
        // the others. An edit relinked in place keeps its warnings among
        // the old ones, which still need its text for their snippets.
        let synonyms_file = match (&linked, &self.last_good) {
            (Linked::New { synonyms, .. }, _) => synonyms.file.as_ref(),
            (Linked::InPlace, good) => good.as_ref().and_then(|good| good.synonyms_file.as_ref()),
        };
        let report = match steps::report(diagnostics, &read.inputs, synonyms_file) {
            Ok(report) => report,
            Err(report) => {
                if matches!(linked, Linked::InPlace) {
                    // The last good site was changed: read it afresh.
                    self.trust = Trust::Stale;
                }
                return Err(report);
            }
        };

        // 4. The new file map: the old one with the rendered files in it.
        let rendered = files.len();
        let old_files = self.last_good.as_ref().map(|good| good.files.clone());
        let files = Arc::new(file_map(old_files.as_deref(), files, everything, self.generation));
        laps.lap("swap");

        // 5. Keep the site as the last good one.
        let good = match linked {
            Linked::New {
                site,
                measures,
                synonyms,
            } => {
                let matcher = synonyms.set.matcher();
                let docs = site
                    .pages
                    .par_iter()
                    .map(|page| Arc::from(page_documents(page, &matcher)))
                    .collect();
                laps.lap("documents");
                self.last_good.insert(Good {
                    mentions: MentionMatcher::new(&site.pages),
                    graph_problems: graph_problems(&site).into_iter().collect(),
                    site,
                    measures,
                    files: files.clone(),
                    diagnostics: report.diagnostics.clone(),
                    matcher,
                    synonyms_file: synonyms.file,
                    docs,
                })
            }
            Linked::InPlace => {
                let good = self
                    .last_good
                    .as_mut()
                    .expect("a site is relinked in place only into the last good one");
                good.files = files.clone();
                good.diagnostics = report.diagnostics.clone();
                good
            }
        };
        Ok(Rebuilt {
            pages: good.site.pages.len(),
            search: SearchInput {
                docs: good.docs.clone(),
                config: good.site.config.search.clone(),
            },
            files,
            report,
            rendered,
            everything,
            took: Duration::ZERO,
            timings: Vec::new(),
        })
    }

    /// Re-reads the changed content files; returns the root-relative paths
    /// of those that changed, for [`affected`], or `None` when the change
    /// needs a full read (a folder moved in or out, nothing read yet).
    fn reread(&mut self, paths: &BTreeSet<PathBuf>) -> Option<BTreeSet<String>> {
        let root = self.options.root.clone();
        let read = self.read.as_mut()?;
        if moves_folders(&root, read, paths) {
            return None;
        }
        let rel: BTreeSet<String> = paths.iter().filter_map(|path| relative_path(&root, path)).collect();
        let changes = read.inputs.reread_content(&root, &rel);
        read.parsed.update(&read.inputs, &changes);
        Some(changes.into_iter().map(|change| change.rel).collect())
    }
}

/// The fast way for the common edit: pages that keep their place in the
/// site (same address, title, dates, headings...) are linked one by one
/// into the last good site. `None` when an edit does not qualify.
fn relink_in_place(
    good: &mut Good,
    read: &Read,
    changed: &BTreeSet<String>,
    drafts: bool,
    laps: &mut Laps,
) -> Option<Result<(Affected, Diagnostics), Report>> {
    let mut updates = Vec::new();
    for path in changed {
        if !path.ends_with(".md") || path.ends_with("/_index.md") {
            return None;
        }
        let parsed = read.parsed.get(path)?;
        let Some(Parsed::Page(page)) = &parsed.parsed else {
            return None;
        };
        if parsed.diagnostics.error_count() > 0 || (page.front.draft && !drafts) {
            return None;
        }
        let id = good
            .site
            .pages
            .binary_search_by(|p| p.rel_path.as_str().cmp(path))
            .ok()?;
        if place_in_site(&good.site.pages[id]) != place_in_site(page) {
            return None;
        }
        updates.push((id, (**page).clone(), parsed.diagnostics.clone()));
    }
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut linked = Vec::new();
    for (id, page, parse_diagnostics) in updates {
        let (page, relations, link_diagnostics) = link_one(&good.site, id, page, &good.mentions);
        diagnostics.extend(parse_diagnostics);
        diagnostics.extend(link_diagnostics);
        linked.push((id, page, relations));
    }
    laps.lap("link one");
    // Check the graph with every new relation before touching the site.
    let changes = linked.iter().map(|(id, _, relations)| (*id, relations.clone()));
    let (graph, new_graph_problems) = regraph(&good.site, changes);
    diagnostics.extend(new_graph_problems.iter().cloned());
    let key = |d: &Diagnostic| (d.path.clone(), d.line, d.col, d.message.clone());
    let old_graph: std::collections::HashSet<_> = good.graph_problems.iter().map(key).collect();
    let kept = good
        .diagnostics
        .iter()
        .filter(|d| !changed.contains(&d.path) && !old_graph.contains(&key(d)));
    let diagnostics: Diagnostics = kept.cloned().chain(diagnostics).collect();
    if diagnostics.error_count() > 0 {
        return Some(Err(steps::report(
            diagnostics,
            &read.inputs,
            good.synonyms_file.as_ref(),
        )
        .unwrap_or_else(|report| report)));
    }

    let ids: Vec<PageId> = linked.iter().map(|(id, _, _)| *id).collect();
    let before: Vec<Shown> = ids.iter().map(|id| Shown::of(&good.site, *id)).collect();
    for (id, page, _) in linked {
        good.docs[id] = Arc::from(page_documents(&page, &good.matcher));
        good.measures.update(id, &page);
        good.site.pages[id] = page;
    }
    good.site.graph = graph;
    good.graph_problems = new_graph_problems;
    let mut pages = BTreeSet::new();
    let mut lists = false;
    for (id, before) in ids.iter().zip(&before) {
        lists |= dependents(*id, before, &Shown::of(&good.site, *id), &mut pages);
    }
    Some(Ok((
        Affected::Some {
            pages: pages.into_iter().collect(),
            lists,
        },
        diagnostics,
    )))
}

/// Whether a content change moves a whole folder in or out (a folder that
/// now exists, or one that held files): only a full read sees every file
/// that came or went with it.
fn moves_folders(root: &Path, read: &Read, paths: &BTreeSet<PathBuf>) -> bool {
    paths.iter().any(|path| {
        let Some(rel) = relative_path(root, path) else {
            return false;
        };
        let folder = format!("{rel}/");
        root.join(&rel).is_dir()
            || read.parsed.any_in(&folder)
            || read
                .inputs
                .loaded
                .content_assets
                .iter()
                .any(|asset| format!("content/{}", asset.output_path).starts_with(&folder))
    })
}

/// The file map after a rebuild: `files` over the `old` map (all of it
/// replaced when `everything`), keeping the tag of each file whose bytes
/// did not change, so browsers keep their copies.
fn file_map(old: Option<&FileMap>, files: Vec<OutputFile>, everything: bool, generation: u64) -> FileMap {
    let mut map: FileMap = match (old, everything) {
        (Some(old), false) => old.clone(),
        _ => HashMap::with_capacity(files.len()),
    };
    for file in files {
        let disk = disk_stamp(&file.contents);
        let unchanged = old
            .and_then(|old| old.get(&file.path))
            .filter(|old| same_contents(&old.contents, &file.contents) || same_file(old, &file.contents, disk));
        let served = match unchanged {
            Some(old) => old.clone(),
            None => Arc::new(ServedFile {
                etag: etag(generation, &file.contents),
                contents: file.contents,
                disk,
            }),
        };
        map.insert(file.path, served);
    }
    map
}

/// `ROOT/content/a.md` (or `content/a.md`, `./content/a.md`) -> `content/a.md`.
pub(crate) fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let relative = if path.is_absolute() {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let name = path.file_name()?;
        let parent = path.parent()?.canonicalize().ok().map(|p| p.join(name));
        parent
            .as_deref()
            .unwrap_or(path)
            .strip_prefix(&root)
            .ok()?
            .to_path_buf()
    } else {
        path.to_path_buf()
    };
    let parts: Vec<String> = relative
        .components()
        .filter(|c| *c != std::path::Component::CurDir)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The same file on disk, not touched since `old` was tagged.
fn same_file(old: &ServedFile, new: &FileContents, disk: Option<DiskStamp>) -> bool {
    matches!((&old.contents, new), (FileContents::Copy(a), FileContents::Copy(b)) if a == b)
        && disk.is_some()
        && old.disk == disk
}

fn same_contents(a: &FileContents, b: &FileContents) -> bool {
    match (a, b) {
        (FileContents::Text(x), FileContents::Text(y)) => x == y,
        (FileContents::Embedded(x), FileContents::Embedded(y)) => x == y,
        // A file on disk is compared by size and time (`same_file`).
        _ => false,
    }
}

fn etag(generation: u64, contents: &FileContents) -> String {
    let len = match contents {
        FileContents::Text(text) => text.len() as u64,
        FileContents::Embedded(bytes) => bytes.len() as u64,
        FileContents::Copy(path) => std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
    };
    format!("\"{:x}-{generation:x}-{len:x}\"", server_instance())
}

/// A number for this run of the server, in every ETag: the rebuild count
/// starts again at each start, and a browser must not take a page of the
/// last run for a page of this one.
pub(crate) fn server_instance() -> u64 {
    static INSTANCE: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        (now.as_nanos() as u64) ^ u64::from(std::process::id())
    });
    *INSTANCE
}
