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

use crate::build::{BuildOptions, Report};
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostics, SourceTexts};
use crate::link::{Site, link_site};
use crate::load::{LoadedSite, SourceFile, StaticFile, is_ignored_name, load_site, read_text};
use crate::parse::{ParsedFile, assemble, parse_one};
use crate::render::{FileContents, OutputFile, RenderScope, Theme, load_theme, render_scope};
use crate::serve::affected::{Affected, affected};

/// The built site as served: output path -> file.
pub type FileMap = HashMap<String, Arc<ServedFile>>;

/// One output file with the tag that tells browsers whether it changed.
#[derive(Debug)]
pub struct ServedFile {
    pub contents: FileContents,
    /// Changes whenever the file is rendered again with different bytes.
    pub etag: String,
}

/// What changed on disk since the last rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Templates, themes, static files or configuration: build everything.
    Everything,
    /// Files under `content/` (absolute or root-relative paths).
    Content(BTreeSet<PathBuf>),
}

/// A successful rebuild.
pub struct Rebuilt {
    pub site: Arc<Site>,
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

/// The state of a serving session.
pub struct Session {
    options: BuildOptions,
    inputs: Option<Inputs>,
    /// The last site that built without errors, and its files.
    last_good: Option<(Arc<Site>, Arc<FileMap>)>,
    generation: u64,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            inputs: None,
            last_good: None,
            generation: 0,
        }
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Rebuilds after `change`; on errors the last good site stays as it was.
    pub fn rebuild(&mut self, change: &Change) -> Result<Rebuilt, Report> {
        let start = Instant::now();
        let mut timings = Vec::new();
        let mut clock = Instant::now();
        let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
            timings.push((name, clock.elapsed()));
            clock = Instant::now();
        };
        self.generation += 1;
        let changed_paths = match change {
            Change::Content(paths) if self.inputs.is_some() && self.last_good.is_some() => self.reload_content(paths),
            _ => {
                self.reload_everything()?;
                None
            }
        };
        lap("load+parse", &mut timings);
        let inputs = self.inputs.as_ref().expect("inputs are loaded above");
        let sources = source_texts(inputs);
        let mut diagnostics = Diagnostics::new();
        let (content, parse_diagnostics) = assemble(
            inputs.parsed.values().map(|(_, parsed)| parsed.clone()),
            self.options.drafts,
        );
        diagnostics.extend(parse_diagnostics);
        lap("assemble", &mut timings);
        let mut config = inputs.config.clone();
        if let Some(base_url) = &self.options.base_url {
            config.base_url = base_url.trim_end_matches('/').to_string();
        }
        let (site, link_diagnostics) = link_site(config, content);
        diagnostics.extend(link_diagnostics);
        lap("link", &mut timings);

        let plan = match (&changed_paths, &self.last_good) {
            (Some(paths), Some((old, _))) => affected(old, &site, paths),
            _ => Affected::Everything,
        };
        let everything = matches!(plan, Affected::Everything);
        lap("affected", &mut timings);
        let (files, render_diagnostics) = match &plan {
            Affected::Everything => render_scope(&site, &inputs.theme, RenderScope::All),
            Affected::Some { pages, lists } => {
                render_scope(&site, &inputs.theme, RenderScope::Some { pages, lists: *lists })
            }
        };
        diagnostics.extend(render_diagnostics);
        lap("render", &mut timings);
        let report = Report {
            diagnostics: diagnostics.sorted(),
            sources,
        };
        if report.has_errors() {
            return Err(report);
        }

        let rendered = files.len();
        let mut map: FileMap = match (&self.last_good, everything) {
            (Some((_, old)), false) => (**old).clone(),
            _ => HashMap::with_capacity(files.len() + inputs.loaded.content_assets.len()),
        };
        let old_files = self.last_good.as_ref().map(|(_, files)| files.clone());
        let assets = inputs.loaded.content_assets.iter().map(|asset| OutputFile {
            path: asset.output_path.clone(),
            contents: FileContents::Copy(asset.source.clone()),
        });
        let generation = self.generation;
        for file in files.into_iter().chain(assets) {
            let unchanged = old_files
                .as_ref()
                .and_then(|old| old.get(&file.path))
                .filter(|old| same_contents(&old.contents, &file.contents));
            let served = match unchanged {
                Some(old) => old.clone(),
                None => Arc::new(ServedFile {
                    etag: etag(generation, &file.contents),
                    contents: file.contents,
                }),
            };
            map.insert(file.path, served);
        }
        let site = Arc::new(site);
        let map = Arc::new(map);
        lap("swap", &mut timings);
        self.last_good = Some((site.clone(), map.clone()));
        Ok(Rebuilt {
            site,
            files: map,
            report,
            rendered,
            everything,
            took: start.elapsed(),
            timings,
        })
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

/// `ROOT/content/a.md` (or `content/a.md`) -> `content/a.md`.
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
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn same_contents(a: &FileContents, b: &FileContents) -> bool {
    match (a, b) {
        (FileContents::Text(x), FileContents::Text(y)) => x == y,
        (FileContents::Embedded(x), FileContents::Embedded(y)) => x == y,
        // A file on disk may have changed in place: always a new tag.
        _ => false,
    }
}

fn etag(generation: u64, contents: &FileContents) -> String {
    let len = match contents {
        FileContents::Text(text) => text.len() as u64,
        FileContents::Embedded(bytes) => bytes.len() as u64,
        FileContents::Copy(path) => std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
    };
    format!("\"{generation:x}-{len:x}\"")
}
