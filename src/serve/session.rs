//! What `serve` keeps between rebuilds, and the rebuilds themselves.
//!
//! A full build reads, parses, links and renders everything. After that, a
//! change under `content/` re-reads and re-parses only the files that
//! changed, links the site again (links and the graph are global), and
//! renders only the outputs that depend on what changed (see `affected`).
//! Templates, static files and site.toml changes rebuild everything, but
//! even then a file whose text did not change is not parsed again.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::{BuildOptions, Laps, Report};
use crate::config::{CONFIG_FILE, Config, SearchConfig};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceTexts};
use crate::health::readability::{measure_page, measure_pages};
use crate::link::mentions::MentionMatcher;
use crate::link::{PageId, Site, graph_problems, link_one, link_site, regraph};
use crate::load::{LoadedSite, SourceFile, StaticFile, is_ignored_name, load_site, read_text};
use crate::parse::{Parsed, ParsedFile, assemble, parse_one};
use crate::render::{FileContents, OutputFile, RenderScope, Theme, load_theme, render_scope};
use crate::search::{self, SearchDoc, SynonymMatcher, SynonymsFileReport, page_documents};
use crate::serve::affected::{Affected, Shown, affected, dependents, place_in_site};

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
pub struct SearchInput {
    pub docs: Vec<Arc<[SearchDoc]>>,
    pub config: SearchConfig,
}

/// A successful rebuild.
pub struct Rebuilt {
    pub pages: usize,
    pub search: SearchInput,
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

/// Inputs read from disk, kept so an edit re-reads one file, not the site.
struct Inputs {
    config: Config,
    config_text: Arc<str>,
    loaded: LoadedSite,
    theme: Theme,
    /// Parse of each content file, by root-relative path.
    parsed: BTreeMap<String, (Arc<str>, ParsedFile)>,
}

/// The last site that built without errors, with what serving it needs.
struct Good {
    site: Site,
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

/// The state of a serving session.
pub struct Session {
    options: BuildOptions,
    inputs: Option<Inputs>,
    last_good: Option<Good>,
    /// A site linked by this rebuild, until it proves good.
    candidate: Option<Site>,
    /// The last good site was changed by a rebuild that then failed.
    stale: bool,
    /// The last rebuild failed: the inputs hold errors that the last good
    /// site does not show, so the next one links every page (an edit of
    /// another page, relinked alone, would not see them and would pass).
    failed: bool,
    generation: u64,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            inputs: None,
            last_good: None,
            candidate: None,
            stale: false,
            failed: false,
            generation: 0,
        }
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Source files outside the watched folders that the last good site
    /// read: its synonyms file (`[search] synonyms`), wherever it is.
    pub fn extra_sources(&self) -> Vec<String> {
        self.last_good
            .as_ref()
            .and_then(|good| good.site.config.search.synonyms.clone())
            .into_iter()
            .collect()
    }

    /// Rebuilds after `change`; on errors the last good site stays as it was.
    pub fn rebuild(&mut self, change: &Change) -> Result<Rebuilt, Report> {
        let rebuilt = self.rebuild_after(change);
        self.failed = rebuilt.is_err();
        rebuilt
    }

    fn rebuild_after(&mut self, change: &Change) -> Result<Rebuilt, Report> {
        let start = Instant::now();
        let mut laps = Laps::new();
        self.generation += 1;
        let changed_paths = match change {
            Change::Content(paths)
                if self.inputs.is_some() && self.last_good.is_some() && !self.stale && !self.moves_folders(paths) =>
            {
                self.reload_content(paths)
            }
            _ => {
                // Until a full reload succeeds (site.toml may be broken),
                // a content edit must not be built on the old inputs.
                self.stale = true;
                self.reload_everything()?;
                self.stale = false;
                None
            }
        };
        laps.lap("load+parse");
        let (plan, site_changed, mut diagnostics) = match &changed_paths {
            Some(paths) => match self.relink_in_place(paths, &mut laps) {
                Some(Ok((plan, diagnostics))) => (plan, false, diagnostics),
                Some(Err(report)) => return Err(report),
                None => {
                    let (site, diagnostics) = self.link_all(&mut laps);
                    // After a failed rebuild, pages changed since the last
                    // good site are more than this change's.
                    let plan = match &self.last_good {
                        Some(old) if !self.failed => affected(&old.site, &site, paths),
                        _ => Affected::Everything,
                    };
                    self.candidate = Some(site);
                    (plan, true, diagnostics)
                }
            },
            None => {
                let (site, diagnostics) = self.link_all(&mut laps);
                self.candidate = Some(site);
                (Affected::Everything, true, diagnostics)
            }
        };
        laps.lap("affected");
        let inputs = self.inputs.as_ref().expect("inputs are loaded above");
        let site = match &self.candidate {
            Some(site) => site,
            None => &self.last_good.as_ref().expect("relinked in place").site,
        };
        let everything = matches!(plan, Affected::Everything);
        let (files, render_diagnostics) = match &plan {
            Affected::Everything => render_scope(site, &inputs.theme, RenderScope::All),
            Affected::Some { pages, lists } => {
                render_scope(site, &inputs.theme, RenderScope::Some { pages, lists: *lists })
            }
        };
        diagnostics.extend(render_diagnostics);
        laps.lap("render");
        // The synonyms file is content, read again with every new site (its
        // own changes reload everything): its problems are reported with
        // the others. An edit relinked in place keeps its warnings among
        // the old ones, which still need its text for their snippets.
        let synonyms = site_changed.then(|| search::site_synonyms(&self.options.root, site));
        let synonyms_file = match &synonyms {
            Some(synonyms) => {
                diagnostics.extend(synonyms.diagnostics().iter().cloned());
                synonyms.file.clone()
            }
            None => self.last_good.as_ref().and_then(|good| good.synonyms_file.clone()),
        };
        let mut sources = source_texts(inputs);
        if let Some(file) = &synonyms_file {
            file.add_source(&mut sources);
        }
        let report = Report {
            diagnostics: diagnostics.sorted(),
            sources,
        };
        if report.has_errors() {
            self.candidate = None;
            // An in-place relink already changed the site: start afresh.
            self.stale |= !site_changed;
            return Err(report);
        }

        let rendered = files.len();
        let old_files = self.last_good.as_ref().map(|good| good.files.clone());
        let mut map: FileMap = match (&old_files, everything) {
            (Some(old), false) => (**old).clone(),
            _ => HashMap::with_capacity(files.len() + inputs.loaded.content_assets.len()),
        };
        let assets = inputs.loaded.content_assets.iter().map(|asset| OutputFile {
            path: asset.output_path.clone(),
            contents: FileContents::Copy(asset.source.clone()),
        });
        for file in files.into_iter().chain(assets) {
            let disk = disk_stamp(&file.contents);
            let unchanged = old_files
                .as_ref()
                .and_then(|old| old.get(&file.path))
                .filter(|old| same_contents(&old.contents, &file.contents) || same_file(old, &file.contents, disk));
            let served = match unchanged {
                Some(old) => old.clone(),
                None => Arc::new(ServedFile {
                    etag: etag(self.generation, &file.contents),
                    contents: file.contents,
                    disk,
                }),
            };
            map.insert(file.path, served);
        }
        let files = Arc::new(map);
        laps.lap("swap");

        if site_changed {
            let site = self.candidate.take().expect("a new site was linked");
            let matcher = synonyms.expect("read with the new site").set.matcher();
            let docs = site
                .pages
                .par_iter()
                .map(|page| Arc::from(page_documents(page, &matcher)))
                .collect();
            self.last_good = Some(Good {
                mentions: MentionMatcher::new(&site.pages),
                graph_problems: graph_problems(&site).into_iter().collect(),
                site,
                files: files.clone(),
                diagnostics: report.diagnostics.clone(),
                matcher,
                synonyms_file,
                docs,
            });
            laps.lap("documents");
        } else if let Some(good) = &mut self.last_good {
            good.files = files.clone();
            good.diagnostics = report.diagnostics.clone();
        }
        let good = self.last_good.as_ref().expect("set above");
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
            took: start.elapsed(),
            timings: laps.timings,
        })
    }

    /// Parses nothing, links everything: the slow way, for edits that move
    /// pages or change what others link to.
    fn link_all(&self, laps: &mut Laps) -> (Site, Diagnostics) {
        let inputs = self.inputs.as_ref().expect("inputs are loaded");
        let mut diagnostics = Diagnostics::new();
        let (content, parse_diagnostics) = assemble(
            inputs.parsed.values().map(|(_, parsed)| parsed.clone()),
            self.options.drafts,
        );
        diagnostics.extend(parse_diagnostics);
        laps.lap("assemble");
        let mut config = inputs.config.clone();
        if let Some(base_url) = &self.options.base_url {
            config.base_url = base_url.trim_end_matches('/').to_string();
        }
        let (mut site, link_diagnostics) = link_site(config, content);
        diagnostics.extend(link_diagnostics);
        site.readability = measure_pages(&site.pages);
        laps.lap("link");
        (site, diagnostics)
    }

    /// The fast way for the common edit: pages that keep their place in
    /// the site (same address, title, dates, headings...) are linked one
    /// by one into the last good site. `None` when an edit does not qualify.
    fn relink_in_place(
        &mut self,
        changed: &BTreeSet<String>,
        laps: &mut Laps,
    ) -> Option<Result<(Affected, Diagnostics), Report>> {
        if self.failed {
            return None;
        }
        let inputs = self.inputs.as_ref()?;
        let good = self.last_good.as_ref()?;
        let mut updates = Vec::new();
        for path in changed {
            if !path.ends_with(".md") || path.ends_with("/_index.md") {
                return None;
            }
            let (_, parsed) = inputs.parsed.get(path)?;
            let Some(Parsed::Page(page)) = &parsed.parsed else {
                return None;
            };
            if parsed.diagnostics.error_count() > 0 || (page.draft && !self.options.drafts) {
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
        let mut pages = BTreeSet::new();
        let mut lists = false;
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
            let mut sources = source_texts(inputs);
            if let Some(file) = &good.synonyms_file {
                file.add_source(&mut sources);
            }
            return Some(Err(Report {
                diagnostics: diagnostics.sorted(),
                sources,
            }));
        }

        let good = self.last_good.as_mut()?;
        let ids: Vec<PageId> = linked.iter().map(|(id, _, _)| *id).collect();
        let before: Vec<Shown> = ids.iter().map(|id| Shown::of(&good.site, *id)).collect();
        for (id, page, _) in linked {
            good.docs[id] = Arc::from(page_documents(&page, &good.matcher));
            if let Some(score) = good.site.readability.get_mut(id) {
                *score = measure_page(&page);
            }
            good.site.pages[id] = page;
        }
        good.site.graph = graph;
        good.graph_problems = new_graph_problems;
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

    /// Reads everything again (config, theme, content), keeping the parse of
    /// files whose text and configuration did not change.
    fn reload_everything(&mut self) -> Result<(), Report> {
        let root = self.options.root.clone();
        let loaded_config = Config::load(&root).map_err(|(diagnostics, text)| {
            let mut sources = SourceTexts::new();
            if let Some(text) = text {
                sources.insert(CONFIG_FILE.to_string(), text);
            }
            Report {
                diagnostics: diagnostics.sorted(),
                sources,
            }
        })?;
        let config = loaded_config.config;
        let config_text: Arc<str> = loaded_config.text.clone();
        let (loaded, load_diagnostics) = load_site(&root, &config.theme);
        let same_config = self
            .inputs
            .as_ref()
            .is_some_and(|inputs| inputs.config_text == config_text);
        let old_parsed = match self.inputs.take() {
            Some(inputs) if same_config => inputs.parsed,
            _ => BTreeMap::new(),
        };
        let parsed: BTreeMap<String, (Arc<str>, ParsedFile)> = loaded
            .content
            .par_iter()
            .map(|file| {
                let parsed = match old_parsed.get(&file.rel_path) {
                    Some((text, parsed)) if *text == file.text => parsed.clone(),
                    _ => parse_one(file, &config),
                };
                (file.rel_path.clone(), (file.text.clone(), parsed))
            })
            .collect();
        let theme = load_theme(&config, &config_text, &loaded);
        let mut report_sources: SourceTexts = loaded
            .content
            .iter()
            .map(|file| (file.rel_path.clone(), file.text.clone()))
            .collect();
        report_sources.insert(CONFIG_FILE.to_string(), config_text.clone());
        let mut diagnostics = load_diagnostics;
        let theme = match theme {
            Ok(theme) => theme,
            Err(theme_diagnostics) => {
                diagnostics.extend(theme_diagnostics);
                return Err(Report {
                    diagnostics: diagnostics.sorted(),
                    sources: report_sources,
                });
            }
        };
        if diagnostics.error_count() > 0 {
            return Err(Report {
                diagnostics: diagnostics.sorted(),
                sources: report_sources,
            });
        }
        self.inputs = Some(Inputs {
            config,
            config_text,
            loaded,
            theme,
            parsed,
        });
        Ok(())
    }

    /// Whether a content change moves a whole folder in or out (a folder
    /// that now exists, or one that held files): only a full reload sees
    /// every file that came or went with it.
    fn moves_folders(&self, paths: &BTreeSet<PathBuf>) -> bool {
        let Some(inputs) = &self.inputs else { return true };
        paths.iter().any(|path| {
            let Some(rel) = relative_path(&self.options.root, path) else {
                return false;
            };
            let folder = format!("{rel}/");
            self.options.root.join(&rel).is_dir()
                || inputs.parsed.keys().any(|known| known.starts_with(&folder))
                || inputs
                    .loaded
                    .content_assets
                    .iter()
                    .any(|asset| format!("content/{}", asset.output_path).starts_with(&folder))
        })
    }

    /// Re-reads the changed content files; returns the root-relative paths
    /// of those that changed, for [`affected`].
    fn reload_content(&mut self, paths: &BTreeSet<PathBuf>) -> Option<BTreeSet<String>> {
        let root = self.options.root.clone();
        let inputs = self.inputs.as_mut()?;
        let mut changed = BTreeSet::new();
        for path in paths {
            let Some(rel) = relative_path(&root, path) else {
                continue;
            };
            if rel.split('/').any(is_ignored_name) || !rel.starts_with("content/") {
                continue;
            }
            let absolute = root.join(&rel);
            if rel.ends_with(".md") {
                let content_path = rel.trim_start_matches("content/").to_string();
                inputs.loaded.content.retain(|file| file.rel_path != rel);
                if absolute.is_file() {
                    let file = match read_text(&absolute, &rel) {
                        Ok(text) => SourceFile {
                            rel_path: rel.clone(),
                            content_path,
                            text: text.into(),
                        },
                        Err(diagnostic) => {
                            // Kept as a file that fails to parse, so the error shows.
                            let parsed = ParsedFile {
                                content_path,
                                parsed: None,
                                diagnostics: std::iter::once(diagnostic).collect(),
                            };
                            inputs.parsed.insert(rel.clone(), (Arc::from(""), parsed));
                            changed.insert(rel);
                            continue;
                        }
                    };
                    let parsed = parse_one(&file, &inputs.config);
                    inputs.parsed.insert(rel.clone(), (file.text.clone(), parsed));
                    inputs.loaded.content.push(file);
                } else {
                    inputs.parsed.remove(&rel);
                }
                changed.insert(rel);
            } else {
                let output_path = rel.trim_start_matches("content/").to_string();
                inputs
                    .loaded
                    .content_assets
                    .retain(|asset| asset.output_path != output_path);
                if absolute.is_file() {
                    inputs.loaded.content_assets.push(StaticFile {
                        output_path,
                        source: absolute,
                    });
                }
                changed.insert(rel);
            }
        }
        inputs.loaded.content.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        Some(changed)
    }
}

fn source_texts(inputs: &Inputs) -> SourceTexts {
    let mut sources: SourceTexts = inputs
        .loaded
        .content
        .iter()
        .map(|file| (file.rel_path.clone(), file.text.clone()))
        .collect();
    sources.insert(CONFIG_FILE.to_string(), inputs.config_text.clone());
    sources
}

/// `ROOT/content/a.md` (or `content/a.md`, `./content/a.md`) -> `content/a.md`.
pub fn relative_path(root: &Path, path: &Path) -> Option<String> {
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
pub fn server_instance() -> u64 {
    static INSTANCE: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        (now.as_nanos() as u64) ^ u64::from(std::process::id())
    });
    *INSTANCE
}
