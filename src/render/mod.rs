//! Render stage: the linked [`Site`] + theme -> every output file, in memory.
//!
//! Page contexts are computed once, in parallel; lists reuse each page's
//! summary value. Nothing is written here: `write` swaps the result in
//! atomically, and `check` renders without writing.

pub(crate) mod clashes;
pub(crate) mod clinic;
pub(crate) mod context;
pub(crate) mod graph_pages;
pub(crate) mod home;
pub(crate) mod images;
pub(crate) mod json_ld;
pub(crate) mod lists;
pub(crate) mod palette;
pub(crate) mod relocate;
pub(crate) mod site_files;
pub(crate) mod theme;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, Position, Rule};
use crate::link::{PageId, Site};
use crate::measure::Measures;
use crate::output::OutputFile;
pub(crate) use theme::{Theme, load_theme};

/// Shared state of one render: the site, the theme and the context every
/// template gets (`site`, `asset`).
pub(crate) struct Renderer<'a> {
    pub(crate) site: &'a Site,
    pub(crate) theme: &'a Theme,
    base: Context,
    /// Each page's list summary, serialised once, parallel to `site.pages`;
    /// computed on first use (a render of single pages needs none).
    summaries: std::sync::OnceLock<Vec<Value>>,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let mut base = Context::new();
        base.insert("site", &context::site_context(site, &theme.image_sizes));
        let mut assets = serde_json::Map::new();
        assets.insert("style".into(), "/style.css".into());
        assets.insert("syntax".into(), "/syntax.css".into());
        if palette::theme_options_css(&site.config.theme_options).is_some() {
            assets.insert("theme_options".into(), "/theme-options.css".into());
        }
        base.insert("asset", &assets);
        Renderer {
            site,
            theme,
            base,
            summaries: std::sync::OnceLock::new(),
        }
    }

    /// The list summary of page `id`.
    pub(crate) fn summary(&self, id: PageId) -> Value {
        let summaries = self.summaries.get_or_init(|| {
            (0..self.site.pages.len())
                .into_par_iter()
                .map(|id| context::to_value(&context::summary(self.site, id)))
                .collect()
        });
        summaries[id].clone()
    }

    /// Renders `template` for the page at `url_path` with extra variables.
    pub(crate) fn render(
        &self,
        template: &str,
        url_path: &str,
        vars: Vec<(&'static str, Value)>,
        origin: &str,
    ) -> Result<String, Diagnostic> {
        let mut context = self.base.clone();
        context.insert("current_path", url_path);
        context.insert("current_url", &context::absolute(self.site, url_path));
        for (key, value) in vars {
            context.insert_value(key, value);
        }
        self.theme.tera.render(template, &context).map_err(|err| {
            let mut message = err.to_string();
            let mut source = std::error::Error::source(&err);
            while let Some(inner) = source {
                message.push_str(": ");
                message.push_str(&inner.to_string());
                source = inner.source();
            }
            Diagnostic::error(
                origin,
                Position::START,
                format!(
                    "rendering with `{template}` failed: {}",
                    message.split_whitespace().collect::<Vec<_>>().join(" ")
                ),
            )
            .with_hint("check the template against docs/templates.md")
        })
    }
}

/// One template render still to do: lists are collected as jobs first so
/// that all of them render in parallel, like pages.
pub(crate) struct RenderJob {
    pub(crate) template: &'static str,
    pub(crate) url_path: String,
    pub(crate) vars: Vec<(&'static str, Value)>,
    /// What to blame in a diagnostic: a content file or a generated page.
    pub(crate) origin: String,
}

impl RenderJob {
    pub(crate) fn new(
        template: &'static str,
        url_path: String,
        vars: Vec<(&'static str, Value)>,
        origin: String,
    ) -> Self {
        RenderJob {
            template,
            url_path,
            vars,
            origin,
        }
    }
}

/// What a render covers: the whole site, or (for `serve` after an edit) some
/// pages and, when their summaries changed, every list and site file.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RenderScope<'a> {
    All,
    Some { pages: &'a [PageId], lists: bool },
}

/// Renders what `scope` asks for.
pub(crate) fn render_scope(
    site: &Site,
    measures: &Measures,
    theme: &Theme,
    scope: RenderScope<'_>,
) -> (Vec<OutputFile>, Diagnostics) {
    let renderer = Renderer::new(site, theme);
    let mut diagnostics = Diagnostics::new();

    let all_ids: Vec<PageId>;
    let (page_ids, lists, everything) = match scope {
        RenderScope::All => {
            all_ids = (0..site.pages.len()).collect();
            (&all_ids[..], true, true)
        }
        RenderScope::Some { pages, lists } => (pages, lists, false),
    };
    let pages = page_ids.par_iter().map(|&id| {
        let page = &site.pages[id];
        let page_value = context::to_value(&context::page_context(site, measures, id, &theme.image_sizes));
        renderer
            .render(
                page.kind.template(),
                &page.path,
                vec![("page", page_value)],
                &page.rel_path,
            )
            .map(|html| OutputFile::for_url_path(&page.path, html))
    });
    let mut jobs = Vec::new();
    if lists {
        jobs = lists::list_jobs(&renderer);
        jobs.extend(graph_pages::graph_page_jobs(site));
    }
    // The search page (the static index itself comes from the index stage).
    if everything && theme.tera.get_template_names().any(|name| name == "search.html") {
        let vars = vec![("search_index", Value::from("/search-index/"))];
        jobs.push(RenderJob::new(
            "search.html",
            "/search/".to_string(),
            vars,
            "(search page)".to_string(),
        ));
    }
    if everything {
        diagnostics.extend(clashes::output_clashes(site, &jobs, &theme.site_static).tag(Rule::AddressClash));
    }
    let lists_rendered = jobs.into_par_iter().map(|job| {
        renderer
            .render(job.template, &job.url_path, job.vars, &job.origin)
            .map(|html| OutputFile::for_url_path(&job.url_path, html))
    });
    let results: Vec<Result<OutputFile, Diagnostic>> = pages.chain(lists_rendered).collect();
    let mut files: Vec<OutputFile> = Vec::with_capacity(results.len() + 64);
    let site_files = if lists {
        diagnostics.extend(clinic::clinic_problems(site, &theme.image_sizes).tag(Rule::SiteToml));
        site_files::render_site_files(&renderer)
    } else {
        Vec::new()
    };
    for result in results.into_iter().chain(site_files) {
        match result {
            Ok(file) => files.push(file),
            Err(diagnostic) => diagnostics.push(diagnostic.with_rule(Rule::Template)),
        }
    }
    if !everything {
        return (files, diagnostics);
    }
    if let Some(css) = palette::theme_options_css(&site.config.theme_options) {
        files.push(OutputFile::text("theme-options.css", css));
    }
    if let Some(css) = site_files::highlight_theme_css(site, &mut diagnostics) {
        files.push(OutputFile::text("syntax.css", css));
    }
    // Static files go first so generated files win on a clash; write keeps the last.
    let mut all = theme.static_files.clone();
    all.extend(files);
    (all, diagnostics)
}
