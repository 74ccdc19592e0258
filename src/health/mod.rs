//! Health stage: what makes a clinic's pages fit to publish.
//!
//! ```text
//! readability   each page's prose -> ReadabilityScore (every build: templates show it)
//! checks        Site + sources + theme -> warnings (praxis check only)
//! ```
//!
//! Readability runs in every build, in parallel, on the prose the parse stage
//! already extracted, because templates may show it (`page.readability`).
//! The checks run only in `praxis check`: they read the linked site and the
//! source texts and never change what `build` writes.

pub mod checks;
pub mod html_tags;
pub mod prose;
pub mod readability;
pub mod syllables;
pub mod third_party;

use crate::parse::kind::Kind;

/// Health pages carry medical information, so they show the review line
/// and the disclaimer, and `praxis check` wants them reviewed: techniques,
/// clinical applications, articles and FAQ pages (FAQ answers give health
/// advice too). Pages of kind `page` (about, privacy) are not.
pub fn is_health_page(kind: Kind) -> bool {
    matches!(kind, Kind::Technique | Kind::Application | Kind::Article | Kind::Faq)
}
