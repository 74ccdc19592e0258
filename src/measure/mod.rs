//! Measure stage: the linked site's prose -> the readability of every page.
//!
//! ```text
//! prose         a page's extracted text -> sentences and words
//! syllables     a word -> its syllable count
//! readability   sentences -> Flesch, Flesch-Kincaid and SMOG scores
//! ```
//!
//! It runs in every build, after link and before render, because templates
//! show the scores (`page.readability`); `praxis check` judges them later
//! against the audience's grade. It reads only the prose the parse stage
//! already extracted, page by page in parallel, so `serve` re-measures just
//! the pages an edit touched.

pub(crate) mod prose;
pub(crate) mod readability;
pub(crate) mod syllables;

use crate::link::{PageId, Site};
use crate::parse::Page;
use readability::{ReadabilityScore, measure_page, measure_pages};

/// What the measure stage found, parallel to the site's pages.
#[derive(Debug, Clone, Default)]
pub(crate) struct Measures {
    /// Each page's readability; `None` for a page without a sentence.
    readability: Vec<Option<ReadabilityScore>>,
}

impl Measures {
    /// Measures every page of `site`.
    pub(crate) fn of_site(site: &Site) -> Measures {
        Measures {
            readability: measure_pages(&site.pages),
        }
    }

    /// The readability of page `id`.
    pub(crate) fn readability(&self, id: PageId) -> Option<&ReadabilityScore> {
        self.readability.get(id).and_then(Option::as_ref)
    }

    /// Measures `page` again, the new text of page `id`.
    pub(crate) fn update(&mut self, id: PageId, page: &Page) {
        if let Some(score) = self.readability.get_mut(id) {
            *score = measure_page(page);
        }
    }
}
