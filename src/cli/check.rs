//! `praxis check`: every stage but write, then a report.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use crate::build::{BuildOptions, Report, render, site_root};
use crate::cli::Format;
use crate::diagnostics::Diagnostic;

#[derive(Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn run(root: Option<PathBuf>, format: Format, strict: bool) -> ExitCode {
    let options = BuildOptions {
        root: site_root(root.as_deref()),
        ..BuildOptions::default()
    };
    let (report, pages) = match render(&options) {
        Ok(rendered) => (rendered.report, Some(rendered.site.pages.len())),
        Err(report) => (report, None),
    };
    print_report(&report, format, pages);
    let failed = report.has_errors() || (strict && !report.diagnostics.is_empty());
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn print_report(report: &Report, format: Format, pages: Option<usize>) {
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = report.diagnostics.len() - errors;
    match format {
        Format::Json => {
            let json = JsonReport {
                errors,
                warnings,
                diagnostics: &report.diagnostics,
            };
            println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
        }
        Format::Text => {
            print!("{}", report.render());
            if let Some(pages) = pages.filter(|_| report.diagnostics.is_empty()) {
                println!("{pages} pages checked: no problems found");
            }
        }
    }
}
