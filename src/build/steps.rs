//! The steps of a run, each a function from typed inputs to typed outputs,
//! called in order by [`super::run_steps`] for `build`, `check` and the
//! first build of `serve`, and one by one, with a scope, by `serve` after
//! an edit. There is no second sequence: a step added here is a step of
//! every driver.
//!
//! ```text
//! read     site.toml, the site's files, the theme        -> Inputs
//! parse    Inputs (+ the last parse, reused per file)    -> ParsedFiles
//! link     Inputs + parsed files                         -> Site
//! measure  Site                                          -> Measures
//! synonyms Site + the synonyms file                      -> SiteSynonyms
//! render   Site + Measures + theme, all or some outputs  -> files
//! report   every diagnostic + the source texts           -> Report
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::{BuildOptions, Report};
use crate::check::privacy::{PrivacyInput, PrivacyScope, third_party_requests};
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, Diagnostics, Position, Rule, SourceTexts};
use crate::link::{Site, link_site};
use crate::load::{
    LoadedSite, SourceFile, StaticFile, is_ignored_name, load_site, publishable, publishable_roots, read_text,
};
use crate::measure::Measures;
use crate::output::{FileContents, OutputFile};
use crate::parse::{ParsedFile, assemble, parse_one};
use crate::render::{RenderScope, Theme, load_theme, render_scope};
use crate::search::{SiteSynonyms, SynonymsFileReport};

/// What a run reads from disk before parsing: site.toml, every file the
/// site is made of, and the theme built from them.
pub(crate) struct Inputs {
    /// With the command line's `--base-url` applied.
    pub(crate) config: Config,
    pub(crate) config_text: Arc<str>,
    pub(crate) loaded: LoadedSite,
    /// The theme, or why it could not be made (the run goes on to report
    /// the content's problems too, and then fails).
    pub(crate) theme: Result<Theme, Diagnostics>,
    /// What reading the files found, and warnings about site.toml's
    /// values (colours below the contrast text needs).
    pub(crate) diagnostics: Diagnostics,
}

/// Reads site.toml, the site's files and the theme. Without a readable,
/// valid site.toml there is nothing to go on: that is the one early stop.
pub(crate) fn read(options: &BuildOptions) -> Result<Inputs, Report> {
    let loaded_config = Config::load(&options.root).map_err(|(diagnostics, text)| {
        let mut sources = SourceTexts::new();
        if let Some(text) = text {
            sources.insert(CONFIG_FILE.to_string(), text);
        }
        Report {
            diagnostics: diagnostics.sorted(),
            sources,
        }
    })?;
    let mut config = loaded_config.config;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.trim_end_matches('/').to_string();
    }
    let (loaded, diagnostics) = load_site(&options.root, &config.theme);
    let mut diagnostics = diagnostics.tag(Rule::File);
    crate::check::contrast::check_theme_colors(&config, &mut diagnostics);
    let theme = load_theme(&config, &loaded_config.text, &loaded);
    Ok(Inputs {
        config,
        config_text: loaded_config.text,
        loaded,
        theme,
        diagnostics,
    })
}

impl Inputs {
    /// The texts of site.toml and every content file, for the snippets of
    /// diagnostics.
    pub(crate) fn sources(&self) -> SourceTexts {
        let mut sources: SourceTexts = self
            .loaded
            .content
            .iter()
            .map(|file| (file.rel_path.clone(), file.text.clone()))
            .collect();
        sources.insert(CONFIG_FILE.to_string(), self.config_text.clone());
        sources
    }

    /// Reads the content files at `paths` (root-relative, under
    /// `content/`) again, or drops them when they are gone. Returns their
    /// root-relative paths, and for each markdown file its new source (or
    /// the diagnostic that it cannot be read).
    pub(crate) fn reread_content(&mut self, root: &Path, paths: &BTreeSet<String>) -> Vec<ContentChange> {
        let roots = publishable_roots(root);
        let mut changes = Vec::new();
        for rel in paths {
            if rel.split('/').any(is_ignored_name) || !rel.starts_with("content/") {
                continue;
            }
            let absolute = root.join(rel);
            let content_path = rel.trim_start_matches("content/").to_string();
            // A file that links out of the site is left out, as the full
            // read leaves it out, with its warning.
            self.diagnostics.retain(|diagnostic| diagnostic.path != *rel);
            let inside = !absolute.exists() || publishable(&absolute, rel, &roots, &mut self.diagnostics);
            if rel.ends_with(".md") {
                self.loaded.content.retain(|file| file.rel_path != *rel);
                let now = if inside && absolute.is_file() {
                    match read_text(&absolute, rel) {
                        Ok(text) => {
                            let file = SourceFile {
                                rel_path: rel.clone(),
                                content_path,
                                text: text.into(),
                            };
                            self.loaded.content.push(file.clone());
                            FileNow::Text(file)
                        }
                        Err(diagnostic) => FileNow::Unreadable(content_path, diagnostic),
                    }
                } else {
                    FileNow::Gone
                };
                changes.push(ContentChange { rel: rel.clone(), now });
            } else {
                self.loaded
                    .content_assets
                    .retain(|asset| asset.output_path != content_path);
                if inside && absolute.is_file() {
                    self.loaded.content_assets.push(StaticFile {
                        output_path: content_path,
                        source: absolute,
                    });
                }
                changes.push(ContentChange {
                    rel: rel.clone(),
                    now: FileNow::Asset,
                });
            }
        }
        self.loaded.content.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        changes
    }
}

/// One changed file of `content/`.
pub(crate) struct ContentChange {
    /// `content/techniques/x.md`.
    pub(crate) rel: String,
    pub(crate) now: FileNow,
}

/// What a changed content file is now.
pub(crate) enum FileNow {
    /// A markdown file, read.
    Text(SourceFile),
    /// A markdown file that cannot be read (its path under `content/`).
    Unreadable(String, Diagnostic),
    Gone,
    /// Not markdown: a file beside the pages, published as it is.
    Asset,
}

/// Each content file's parse, by root-relative path, with the text it was
/// parsed from (so a later run re-parses only files whose text changed).
#[derive(Default)]
pub(crate) struct ParsedFiles {
    files: BTreeMap<String, (Arc<str>, ParsedFile)>,
    /// The site.toml these were parsed under: another one parses all again.
    config_text: Option<Arc<str>>,
}

/// Parses every content file of `inputs`, in parallel, reusing from
/// `previous` the parse of each file whose text and site.toml are the same.
pub(crate) fn parse(inputs: &Inputs, previous: ParsedFiles) -> ParsedFiles {
    let reuse = previous.config_text.as_deref() == Some(&*inputs.config_text);
    let files = inputs
        .loaded
        .content
        .par_iter()
        .map(|file| {
            let parsed = match previous.files.get(&file.rel_path) {
                Some((text, parsed)) if reuse && *text == file.text => parsed.clone(),
                _ => parse_one(file, &inputs.config),
            };
            (file.rel_path.clone(), (file.text.clone(), parsed))
        })
        .collect();
    ParsedFiles {
        files,
        config_text: Some(inputs.config_text.clone()),
    }
}

impl ParsedFiles {
    /// Parses the changed files again (and forgets the gone ones).
    pub(crate) fn update(&mut self, inputs: &Inputs, changes: &[ContentChange]) {
        for change in changes {
            match &change.now {
                FileNow::Text(file) => {
                    let parsed = parse_one(file, &inputs.config);
                    self.files.insert(change.rel.clone(), (file.text.clone(), parsed));
                }
                FileNow::Unreadable(content_path, diagnostic) => {
                    // Kept as a file that fails to parse, so the error shows.
                    let parsed = ParsedFile {
                        content_path: content_path.clone(),
                        parsed: None,
                        diagnostics: std::iter::once(diagnostic.clone()).collect(),
                        broken: None,
                    };
                    self.files.insert(change.rel.clone(), (Arc::from(""), parsed));
                }
                FileNow::Gone => {
                    self.files.remove(&change.rel);
                }
                FileNow::Asset => {}
            }
        }
    }

    /// The parse of the file at `rel` (root-relative).
    pub(crate) fn get(&self, rel: &str) -> Option<&ParsedFile> {
        self.files.get(rel).map(|(_, parsed)| parsed)
    }

    /// Whether some file parsed lies in the folder `folder` (root-relative,
    /// ending in `/`).
    pub(crate) fn any_in(&self, folder: &str) -> bool {
        self.files.keys().any(|known| known.starts_with(folder))
    }

    /// Copies of every parse, for a link that must leave these for the
    /// next edit.
    pub(crate) fn copies(&self) -> impl Iterator<Item = ParsedFile> + '_ {
        self.files.values().map(|(_, parsed)| parsed.clone())
    }

    /// Every parse, for a run that needs them no more.
    pub(crate) fn into_files(self) -> impl Iterator<Item = ParsedFile> {
        self.files.into_values().map(|(_, parsed)| parsed)
    }
}

/// Gathers the parsed files into pages and sections and links them into a
/// site: addresses, sections, taxonomies, cross-links, relations.
pub(crate) fn link(inputs: &Inputs, parsed: impl IntoIterator<Item = ParsedFile>, drafts: bool) -> (Site, Diagnostics) {
    let (content, mut diagnostics) = assemble(parsed, drafts);
    let (site, link_diagnostics) = link_site(inputs.config.clone(), content);
    diagnostics.extend(link_diagnostics);
    (site, diagnostics)
}

/// The readability of every page.
pub(crate) fn measure(site: &Site) -> Measures {
    Measures::of_site(site)
}

/// The built-in synonyms, the site's synonyms file and every page's
/// `synonyms`. The file is content: its problems are reported with the
/// others.
pub(crate) fn synonyms(root: &Path, site: &Site) -> SiteSynonyms {
    crate::search::site_synonyms(root, site)
}

/// Renders what `scope` asks for, and, for the whole site, adds the files
/// published beside the pages (images of `content/`).
pub(crate) fn render(
    site: &Site,
    measures: &Measures,
    theme: &Theme,
    loaded: &LoadedSite,
    scope: RenderScope<'_>,
) -> (Vec<OutputFile>, Diagnostics) {
    let (mut files, diagnostics) = render_scope(site, measures, theme, scope);
    files.extend(loaded.content_assets.iter().map(|asset| OutputFile {
        path: asset.output_path.clone(),
        contents: FileContents::Copy(asset.source.clone()),
    }));
    (files, diagnostics)
}

/// Every request the site's pages would make to a third party, as errors
/// (`check::privacy`): of the whole site, or, after an edit, of the pages
/// it changed (the rest was read when it last built without an error).
pub(crate) fn privacy(
    inputs: &Inputs,
    site: &Site,
    theme: &Theme,
    files: &[OutputFile],
    root: &Path,
    scope: PrivacyScope<'_>,
) -> Diagnostics {
    let sources = inputs.sources();
    let input = PrivacyInput {
        site,
        sources: &sources,
        templates: &theme.templates,
        files,
        root,
    };
    third_party_requests(&input, scope)
}

/// Problems that only matter to a run that writes (and to `check`, which
/// reports what `build` would refuse): no `content/` folder (the output
/// would be replaced by an empty site; `serve` shows such a site empty) and
/// an unsafe `output_dir` in site.toml (`--output` is checked when writing).
pub(crate) fn output_problems(options: &BuildOptions, inputs: &Inputs) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    if !options.root.join("content").is_dir() {
        diagnostics.push(
            Diagnostic::error(CONFIG_FILE, Position::START, "the site has no content/ folder")
                .with_hint("pages live in content/ beside site.toml; `praxis init DIR` makes a starter site"),
        );
    }
    let config = &inputs.config;
    if options.output.is_none()
        && let Some(reason) = crate::write::unsafe_output(&options.root, &options.root.join(&config.output_dir))
    {
        diagnostics.push(
            Diagnostic::error(
                CONFIG_FILE,
                config.places.get("output_dir"),
                format!(
                    "output_dir `{}` cannot be the output folder: {reason}",
                    config.output_dir
                ),
            )
            .with_hint("each build replaces the whole output folder; choose a folder of its own, such as `public`"),
        );
    }
    diagnostics.tag(Rule::Output)
}

/// The run's report: every diagnostic, sorted, with the texts for their
/// snippets; `Err` when any is an error.
pub(crate) fn report(
    diagnostics: Diagnostics,
    inputs: &Inputs,
    synonyms_file: Option<&SynonymsFileReport>,
) -> Result<Report, Report> {
    let mut sources = inputs.sources();
    if let Some(file) = synonyms_file {
        file.add_source(&mut sources);
    }
    // Templates get snippets too (a third-party request in one).
    if let Ok(theme) = &inputs.theme {
        for template in &theme.templates {
            sources
                .entry(template.origin.clone())
                .or_insert_with(|| template.text.as_str().into());
        }
    }
    let report = Report {
        diagnostics: diagnostics.sorted(),
        sources,
    };
    if report.has_errors() { Err(report) } else { Ok(report) }
}
