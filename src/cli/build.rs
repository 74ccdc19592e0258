//! `praxis build`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::build::{BuildError, BuildOptions, build, site_root};

/// The options of `praxis build`, as given.
pub(crate) struct BuildArgs {
    pub(crate) root: Option<PathBuf>,
    pub(crate) output: Option<PathBuf>,
    pub(crate) base_url: Option<String>,
    pub(crate) drafts: bool,
    pub(crate) portable: bool,
    pub(crate) delete_foreign: bool,
    pub(crate) strict: bool,
}

pub(crate) fn run(args: BuildArgs, timings: bool) -> ExitCode {
    let start = Instant::now();
    let options = BuildOptions {
        root: site_root(args.root.as_deref()),
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        portable: args.portable,
        delete_foreign: args.delete_foreign,
        strict: args.strict,
    };
    match build(&options) {
        Ok((rendered, written)) => {
            eprint!("{}", rendered.report.render());
            if timings {
                for (stage, took) in &rendered.timings {
                    eprintln!("  {stage:<8} {:>8.1} ms", took.as_secs_f64() * 1000.0);
                }
            }
            println!(
                "Built {} pages ({} files, {:.1} MB) into {}{} in {} ms",
                rendered.page_count(),
                written.files,
                written.bytes as f64 / 1_000_000.0,
                rendered.output_dir.display(),
                linked_folder(&rendered.output_dir, &written.folder),
                start.elapsed().as_millis()
            );
            if written.kept > 0 {
                println!(
                    "Kept {} file(s) in the output that no build wrote (dot-files and CNAME are kept; see `praxis build --help`)",
                    written.kept
                );
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Strict(report)) => {
            eprint!("{}", report.render());
            eprintln!("Build failed: --strict fails on warnings; the output folder was left unchanged.");
            ExitCode::from(1)
        }
        Err(BuildError::Content(report)) => {
            eprint!("{}", report.render());
            eprintln!("Build failed; the output folder was left unchanged.");
            ExitCode::from(1)
        }
        Err(BuildError::Write(err)) => {
            eprintln!("error: {err}");
            eprintln!("Build failed; the output folder was left unchanged.");
            ExitCode::from(1)
        }
    }
}

/// ` (a link to /var/www/html)` when the output folder given is a symlink,
/// so the message says where the files went.
fn linked_folder(given: &Path, written: &Path) -> String {
    let is_link = std::fs::symlink_metadata(given).is_ok_and(|meta| meta.file_type().is_symlink());
    if is_link {
        format!(" (a link to {})", written.display())
    } else {
        String::new()
    }
}
