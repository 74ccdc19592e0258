//! Whole-site tests: the real `praxis` binary run on small fixture sites,
//! one binary for all of them (one link step, one place for shared helpers).

mod common;

mod architecture;
mod atomic_write;
mod bad_input;
mod build_site;
mod demo_site;
mod graph_site;
mod health_checks;
mod page_anatomy;
mod portable_site;
mod search_cli;
mod search_parity;
mod serve;
mod theme_budget;
mod theme_site;
mod serve_incremental;
