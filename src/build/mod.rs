//! The pipeline: the one sequence of the stages, as [`steps`], run whole
//! by `build` (then written), `check` (then checked) and `search` (for its
//! index), and step by step, with a scope, by `serve` after an edit.
//!
//! Every step runs even when an earlier one found content errors, as long
//! as it has something to work on, so one run reports every problem.

pub(crate) mod steps;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::timings::Laps;

use crate::check::privacy::PrivacyScope;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceTexts};
use crate::link::Site;
use crate::measure::Measures;
use crate::output::OutputFile;
use crate::render::RenderScope;
use crate::render::relocate::{Relocation, relocate};
use crate::search::SearchBuild;
use crate::write::{WriteError, WriteOptions, WriteReport, write_output};
use steps::ParsedFiles;

/// What the command line asks of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` of site.toml.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.toml.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Page-relative URLs that name `index.html`, for a site opened from
    /// disk (`render::portable`).
    pub portable: bool,
    /// Delete files in an earlier output that no build wrote
    /// (`--delete-foreign`).
    pub delete_foreign: bool,
    /// Fail on warnings too (`--strict`), before anything is written.
    pub strict: bool,
}

/// Diagnostics of a run with the texts needed to show snippets.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceTexts,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn render(&self) -> String {
        crate::diagnostics::render_report(&self.diagnostics, &self.sources)
    }
}

/// A site rendered in memory.
pub struct RenderedSite {
    pub site: Site,
    pub(crate) measures: Measures,
    pub files: Vec<OutputFile>,
    /// Warnings (no errors, or this would be an `Err`).
    pub report: Report,
    /// Wall time of each stage, for `--timings` and the benchmark.
    pub timings: Vec<(&'static str, Duration)>,
    pub output_dir: PathBuf,
    /// The templates in use, for `praxis check`'s third-party check.
    pub(crate) templates: Vec<crate::render::theme::TemplateSource>,
}

impl RenderedSite {
    /// How many pages the site has.
    pub fn page_count(&self) -> usize {
        self.site.pages.len()
    }
}

/// Why a build did not produce a site.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the site has errors")]
    Content(Report),
    /// `--strict` and the site has warnings (in the report).
    #[error("the site has warnings, and --strict fails on them")]
    Strict(Report),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Runs every step but search and write.
pub fn render(options: &BuildOptions) -> Result<RenderedSite, Report> {
    run_steps(options, false).map(|(rendered, _)| rendered)
}

/// Runs every step but write, the search index included.
pub fn render_and_index(options: &BuildOptions) -> Result<(RenderedSite, crate::search::SearchBuild), Report> {
    let (rendered, search) = run_steps(options, true)?;
    let search = search.expect("asked for the search stage");
    Ok((rendered, search))
}

/// Every step up to render, and with `index` the search index beside
/// render: both only read the linked site, and running them together fills
/// the cores that each leaves idle in its serial parts (tantivy's commit,
/// the export's layout, render's lists).
fn run_steps(options: &BuildOptions, index: bool) -> Result<(RenderedSite, Option<SearchBuild>), Report> {
    let mut laps = Laps::new();
    let inputs = steps::read(options)?;
    laps.lap("read");
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(inputs.diagnostics.iter().cloned());
    diagnostics.extend(steps::output_problems(options, &inputs));
    let parsed = steps::parse(&inputs, ParsedFiles::default());
    laps.lap("parse");
    let (site, link_diagnostics) = steps::link(&inputs, parsed.into_files(), options.drafts);
    diagnostics.extend(link_diagnostics);
    laps.lap("link");
    let measures = steps::measure(&site);
    laps.lap("measure");
    let synonyms = steps::synonyms(&options.root, &site);
    diagnostics.extend(synonyms.diagnostics().iter().cloned());
    // With an error in the synonyms file there is no index to build.
    let index_synonyms = (index && !synonyms.has_errors()).then_some(&synonyms);
    let theme = match &inputs.theme {
        Ok(theme) => theme,
        Err(theme_diagnostics) => {
            diagnostics.extend(theme_diagnostics.iter().cloned());
            return Err(steps::report(diagnostics, &inputs, synonyms.file.as_ref()).unwrap_or_else(|report| report));
        }
    };
    let ((rendered, render_took), search) = rayon::join(
        || {
            let start = Instant::now();
            let rendered = steps::render(&site, &measures, theme, &inputs.loaded, RenderScope::All);
            (rendered, start.elapsed())
        },
        || index_synonyms.map(|synonyms| crate::search::build_search(&options.root, &site, &synonyms.set)),
    );
    let (mut files, render_diagnostics) = rendered;
    diagnostics.extend(render_diagnostics);
    laps.lap("render");
    let search = match search {
        Some(Ok(mut search)) => {
            files.append(&mut search.files);
            // Render's own time; the search steps ran beside it.
            laps.timings.last_mut().expect("render lap").1 = render_took;
            laps.timings.extend(search.timings.iter().copied());
            Some(search)
        }
        Some(Err(err)) => {
            diagnostics.push(crate::search::index_diagnostic(&err));
            None
        }
        None => None,
    };
    diagnostics.extend(steps::privacy(
        &inputs,
        &site,
        theme,
        &files,
        &options.root,
        PrivacyScope::Everything,
    ));
    laps.lap("privacy");
    let report = steps::report(diagnostics, &inputs, synonyms.file.as_ref())?;
    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&inputs.config.output_dir));
    let rendered = RenderedSite {
        site,
        measures,
        files,
        report,
        timings: laps.timings,
        output_dir,
        templates: theme.templates.clone(),
    };
    Ok((rendered, search))
}

/// Renders the site, builds its search index, and writes it; on any error
/// the old output stays as it was.
pub fn build(options: &BuildOptions) -> Result<(RenderedSite, WriteReport), BuildError> {
    // A build killed in the middle of a swap may have left the previous
    // output aside; it goes back first, whether or not this build succeeds.
    if let Some(output) = configured_output(options) {
        crate::write::recover_interrupted(&output);
    }
    let (mut rendered, _) = render_and_index(options).map_err(BuildError::Content)?;
    if options.strict && !rendered.report.diagnostics.is_empty() {
        return Err(BuildError::Strict(std::mem::take(&mut rendered.report)));
    }
    let base_path = base_path(&rendered.site.config.base_url).to_string();
    let relocation = match (options.portable, base_path.as_str()) {
        (true, _) => Some(Relocation::Portable),
        (false, "") => None,
        (false, path) => Some(Relocation::Under(path)),
    };
    if let Some(relocation) = relocation {
        let start = Instant::now();
        relocate(&mut rendered.files, relocation).map_err(|source| {
            BuildError::Write(WriteError::Io {
                path: rendered.output_dir.clone(),
                source,
            })
        })?;
        rendered.timings.push(("relocate", start.elapsed()));
    }
    let start = Instant::now();
    let write_options = WriteOptions {
        delete_foreign: options.delete_foreign,
    };
    let written = write_output(&options.root, &rendered.output_dir, &rendered.files, write_options)?;
    rendered.timings.push(("write", start.elapsed()));
    Ok((rendered, written))
}

/// The output folder `options` and site.toml name, when site.toml loads.
fn configured_output(options: &BuildOptions) -> Option<PathBuf> {
    match &options.output {
        Some(output) => Some(output.clone()),
        None => Config::load(&options.root)
            .ok()
            .map(|loaded| options.root.join(loaded.config.output_dir)),
    }
}

/// The path of `base_url` after its host, without a trailing `/`: `/clinic`
/// for `https://example.org/clinic/`, empty for a site at the host's root.
pub(crate) fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("", |at| after_scheme[at..].trim_end_matches('/'))
}

/// Resolves `--root` (default: the current folder).
pub(crate) fn site_root(root: Option<&Path>) -> PathBuf {
    root.map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.org"), "");
        assert_eq!(base_path("https://example.org/"), "");
        assert_eq!(base_path("https://example.org/clinic"), "/clinic");
        assert_eq!(base_path("https://example.org/a/b/"), "/a/b");
    }
}
