//! The command line (docs/commands.md). Each command is a thin call into the
//! library; this module only maps results onto output and exit codes:
//! 0 success, 1 content or configuration errors, 2 usage errors (clap's own).

mod build;
mod check;
mod init;
mod search;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Praxis: a static site generator for physical-therapy knowledge bases.
#[derive(Debug, Parser)]
#[command(name = "praxis", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        /// The site folder (holding site.toml).
        #[arg(long)]
        root: Option<PathBuf>,
        /// Output folder, instead of output_dir from site.toml.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Base URL, instead of base_url from site.toml.
        #[arg(long, value_parser = web_address)]
        base_url: Option<String>,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Links relative to each page and naming index.html, so the site
        /// also opens from disk (file://) or from any sub-folder.
        #[arg(long)]
        portable: bool,
        /// Delete files in an earlier output that no build wrote; without
        /// it such files stop the build. Dot-files, dot-folders (.git/) and
        /// a top-level CNAME are always kept, and a folder that is no
        /// Praxis output is never replaced.
        #[arg(long)]
        delete_foreign: bool,
        /// Fail on warnings too (colour contrast, readability, ...), before
        /// anything is written.
        #[arg(long)]
        strict: bool,
        /// Print the time each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Build the site, serve it from memory and rebuild on every save.
    Serve {
        #[arg(long)]
        root: Option<PathBuf>,
        /// Address to listen on (only this machine by default).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on; the next free one is used when it is busy.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Print the time each step of a rebuild took.
        #[arg(long)]
        timings: bool,
    },
    /// Load, parse, link and render without writing; report every problem.
    Check {
        #[arg(long)]
        root: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Treat warnings as errors (exit 1).
        #[arg(long)]
        strict: bool,
    },
    /// Search the site (rebuilding its index when the content changed).
    Search {
        /// What to look for; any text is a valid query, one starting with
        /// `-` too (`-stroke`).
        #[arg(allow_hyphen_values = true)]
        query: String,
        #[arg(long)]
        root: Option<PathBuf>,
        /// Only hits of this kind.
        #[arg(long, value_parser = parse_kind)]
        kind: Option<crate::parse::kind::Kind>,
        /// At most this many hits (1 to 100).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=100))]
        limit: u16,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Create a small working starter site in DIR.
    Init {
        /// Folder to create (must be empty or missing).
        dir: PathBuf,
    },
}

fn parse_kind(name: &str) -> Result<crate::parse::kind::Kind, String> {
    crate::parse::kind::Kind::from_name(name)
        .ok_or_else(|| format!("unknown kind `{name}`: use technique, application, article, faq or page"))
}

/// Output format of `check` and `search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

/// Parses arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            portable,
            delete_foreign,
            strict,
            timings,
        } => build::run(
            build::BuildArgs {
                root,
                output,
                base_url,
                drafts,
                portable,
                delete_foreign,
                strict,
            },
            timings,
        ),
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            timings,
        } => serve::run(root, bind, port, drafts, timings),
        Command::Check { root, format, strict } => check::run(root, format, strict),
        Command::Init { dir } => init::run(&dir),
        Command::Search {
            query,
            root,
            kind,
            limit,
            format,
        } => search::run(&query, root, kind, usize::from(limit), format),
    }
}

/// A `--base-url`: a full web address without a password, query or
/// fragment, as `base_url` in site.toml must be.
fn web_address(value: &str) -> Result<String, String> {
    match crate::text::base_address_problem(value) {
        None => Ok(value.trim().to_string()),
        Some(problem) => Err(format!(
            "{problem}; write the site's address with its scheme and nothing after its path, such as https://example.org"
        )),
    }
}
