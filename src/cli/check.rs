//! `praxis check`: every stage but write, then the health checks, then a
//! report: the readability of each page and every diagnostic, as text or as
//! one JSON object for CI (docs/health-checks.md).
//!
//! The health checks run once the site builds: a page that does not parse
//! cannot be checked for its outline or readability, and build errors are
//! the first thing to fix.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use crate::build::{BuildOptions, RenderedSite, Report, render, site_root};
use crate::check::{CheckInput, run_checks, today};
use crate::cli::Format;
use crate::config::Audience;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::measure::readability::{MIN_GRADED_WORDS, ReadabilityScore, ReadabilitySummary};

/// One diagnostic in `--format json`.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    /// Same as `column`: the name of the first JSON format, kept for CI
    /// scripts written against it.
    col: usize,
    severity: Severity,
    /// The check's id; `build` for what the build itself reports.
    rule: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

/// One page's readability in `--format json`.
#[derive(Serialize)]
struct ReadabilityRow<'a> {
    path: &'a str,
    url: &'a str,
    kind: &'static str,
    audience: Audience,
    /// The grade the page must stay at or below (pages for patients and
    /// everyone); absent for pages for clinicians.
    #[serde(skip_serializing_if = "Option::is_none")]
    max_grade: Option<f64>,
    /// Absent (as are the scores) when the page has no prose sentence.
    #[serde(flatten)]
    scores: Option<ReadabilitySummary>,
    /// Enough prose for the grade to be judged (`MIN_GRADED_WORDS`).
    #[serde(skip)]
    gradable: bool,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    readability: Vec<ReadabilityRow<'a>>,
}

pub(crate) fn run(root: Option<PathBuf>, format: Format, strict: bool) -> ExitCode {
    let today = match today() {
        Ok(today) => today,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let options = BuildOptions {
        root: site_root(root.as_deref()),
        ..BuildOptions::default()
    };
    let (report, rendered) = match render(&options) {
        Ok(mut rendered) => {
            let report = checked_report(&mut rendered, today);
            (report, Some(rendered))
        }
        Err(report) => (report, None),
    };
    let rows = rendered.as_ref().map(readability_rows).unwrap_or_default();
    match format {
        Format::Json => print_json(&report, rows),
        Format::Text => print_text(&report, &rows, rendered.as_ref().map(|r| r.page_count())),
    }
    let failed = report.has_errors() || (strict && !report.diagnostics.is_empty());
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// The build's report with the health checks' warnings merged in.
fn checked_report(rendered: &mut RenderedSite, today: i64) -> Report {
    let mut report = std::mem::take(&mut rendered.report);
    let found = run_checks(&CheckInput {
        measures: &rendered.measures,
        site: &rendered.site,
        sources: &report.sources,
        files: &rendered.files,
        today,
    });
    // Templates get snippets too.
    for template in &rendered.templates {
        report
            .sources
            .entry(template.origin.clone())
            .or_insert_with(|| template.text.as_str().into());
    }
    let mut all: Diagnostics = std::mem::take(&mut report.diagnostics).into_iter().collect();
    all.extend(found);
    report.diagnostics = all.sorted();
    report
}

fn readability_rows(rendered: &RenderedSite) -> Vec<ReadabilityRow<'_>> {
    let site = &rendered.site;
    site.pages
        .iter()
        .enumerate()
        .map(|(id, page)| {
            let score = rendered.measures.readability(id);
            ReadabilityRow {
                path: &page.rel_path,
                url: &page.path,
                kind: page.kind.name(),
                audience: page.audience,
                max_grade: (page.audience != Audience::Clinicians)
                    .then_some(site.config.readability.patients_max_grade),
                scores: score.map(ReadabilitySummary::from),
                gradable: score.is_some_and(ReadabilityScore::is_gradable),
            }
        })
        .collect()
}

fn print_json(report: &Report, readability: Vec<ReadabilityRow<'_>>) {
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let diagnostics = report.diagnostics.iter().map(json_diagnostic).collect();
    let json = JsonReport {
        errors,
        warnings: report.diagnostics.len() - errors,
        diagnostics,
        readability,
    };
    println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
}

fn json_diagnostic(diagnostic: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        path: &diagnostic.path,
        line: diagnostic.line,
        column: diagnostic.col,
        col: diagnostic.col,
        severity: diagnostic.severity,
        rule: diagnostic.rule.map_or("build", crate::diagnostics::Rule::id),
        message: &diagnostic.message,
        hint: diagnostic.hint.as_deref(),
    }
}

fn print_text(report: &Report, rows: &[ReadabilityRow<'_>], pages: Option<usize>) {
    print!("{}", readability_table(rows));
    print!("{}", report.render());
    if let Some(pages) = pages.filter(|_| report.diagnostics.is_empty()) {
        println!("{pages} pages checked: no problems found");
    }
}

/// One line per page with prose: grade, ease, SMOG, words, audience, path.
/// The mean grade leaves out pages too short to grade.
fn readability_table(rows: &[ReadabilityRow<'_>]) -> String {
    let measured: Vec<(&ReadabilityRow<'_>, &ReadabilitySummary)> = rows
        .iter()
        .filter_map(|row| row.scores.as_ref().map(|s| (row, s)))
        .collect();
    if measured.is_empty() {
        return String::new();
    }
    let mut out = String::from("Readability: Flesch-Kincaid grade, Flesch reading ease, SMOG grade\n");
    let _ = writeln!(
        out,
        "{:>6} {:>6} {:>6} {:>6}  {:<10} page",
        "grade", "ease", "smog", "words", "audience"
    );
    for (row, scores) in &measured {
        let flag = match row.max_grade {
            _ if !row.gradable => " (too short to grade)",
            Some(max) if scores.grade > max => " (above the maximum)",
            _ => "",
        };
        let audience = match row.audience {
            Audience::Patients => "patients",
            Audience::Clinicians => "clinicians",
            Audience::Everyone => "everyone",
        };
        let _ = writeln!(
            out,
            "{:>6.1} {:>6.1} {:>6.1} {:>6}  {:<10} {}{flag}",
            scores.grade, scores.ease, scores.smog, scores.words, audience, row.path
        );
    }
    let graded: Vec<f64> = measured
        .iter()
        .filter(|(row, _)| row.gradable)
        .map(|(_, scores)| scores.grade)
        .collect();
    if graded.is_empty() {
        let _ = writeln!(out, "no mean grade: every page has under {MIN_GRADED_WORDS} words\n");
    } else {
        let mean = graded.iter().sum::<f64>() / graded.len() as f64;
        let _ = writeln!(out, "mean grade {mean:.1} over {} pages\n", graded.len());
    }
    out
}
