//! Praxis: a static site generator for physical-therapy knowledge bases.
//!
//! A site moves through one straight line of stages, each a module:
//!
//! ```text
//! config   site.toml -> Config
//! load     content/, static/, templates/, themes/ -> SourceFile, StaticFile
//! parse    front matter + markdown -> Page, Section (parallel)
//! link     pages -> Site: URLs, sections, taxonomies, resolved cross-links
//! health   Site -> readability of every page (parallel); `check` adds its
//!          content checks here
//! render   Site + theme -> HTML, feeds, sitemap, JSON-LD (parallel)
//! index    Site -> tantivy index in .praxis/ + static search index
//! write    rendered files -> output folder, atomically
//! ```
//!
//! [`build`] runs them in order; `serve` keeps them warm and re-runs only
//! what an edit touches; the `cli` module maps commands onto both.

pub mod build;
pub mod cli;
pub mod color;
pub mod config;
pub mod diagnostics;
pub mod health;
pub mod link;
pub mod load;
pub mod parse;
pub mod render;
pub mod search;
pub mod serve;
pub mod toml_keys;
pub mod write;
