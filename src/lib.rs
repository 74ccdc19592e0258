//! Praxis: a static site generator for physical-therapy knowledge bases.
//!
//! A site moves through one straight line of stages, each a module that
//! imports only the modules declared above it here (a test,
//! `tests/it/architecture.rs`, holds every module to that):
//!
//! ```text
//! shared leaves, used by any stage:
//! diagnostics   Diagnostic (a problem with its place), Rule ids
//! color         colours and WCAG contrast
//! text          one line ending, no BOM, forbidden control characters
//! html          a tolerant tag scanner for HTML and templates
//! output        OutputFile: a file the build will write
//! timings       Laps, the wall time of each step
//! schema        a TOML document read into its serde type, every problem noted
//!
//! the stages, in order:
//! config   site.toml -> Config
//! load     content/, static/, templates/, themes/ -> SourceFile, StaticFile
//! parse    front matter + markdown -> Page, Section (parallel)
//! link     pages -> Site: URLs, sections, taxonomies, resolved cross-links
//! measure  Site -> readability of every page (parallel)
//! render   Site + measures + theme -> HTML, feeds, sitemap, JSON-LD (parallel)
//! search   Site -> tantivy index in .praxis/ + static search index
//! check    the finished site -> health checks (`praxis check` only)
//! write    rendered files -> output folder, atomically
//!
//! the drivers:
//! build    runs the stages in order (build, check, search)
//! serve    keeps them warm and re-runs only what an edit touches
//! cli      maps commands onto both
//! ```
//!
//! The library's public face is small: what the binary (`cli::main`),
//! the benchmarks and the whole-site tests use. Everything else is
//! `pub(crate)`, and `unreachable_pub` keeps it so.

#![warn(unreachable_pub)]

pub mod diagnostics;
mod color;
mod text;
pub mod html;
pub mod output;
mod timings;
mod schema;

mod config;
mod load;
mod parse;
pub mod link;
mod measure;
mod render;
pub mod search;
mod check;
pub mod write;

pub mod build;
pub mod serve;
pub mod cli;

/// The kind of a page, which the search API filters by.
pub use parse::kind::Kind;
