//! The English stemmer as a tantivy token filter that remembers its work.
//!
//! Stemming was the largest single cost of indexing (about an eighth of a
//! 10,000-page build's CPU time), yet a site's text has few distinct words:
//! each indexing thread keeps a map from surface form to stem, so a word is
//! stemmed once per thread. The same maps are what the planner and the
//! static export need (every surface form with its stem), so when the
//! indexing threads finish they hand their maps to a shared [`SurfaceLog`]
//! instead of the text being analysed a second time.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Surface form -> stem, for every token the analyzer saw.
pub(crate) type SurfaceStems = FxHashMap<String, String>;

/// Where finished indexing threads leave the surface forms they met.
#[derive(Clone, Default)]
pub(crate) struct SurfaceLog(Arc<Mutex<SurfaceStems>>);

impl SurfaceLog {
    /// Everything handed in so far.
    pub(crate) fn take(&self) -> SurfaceStems {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    fn absorb(&self, stems: SurfaceStems) {
        let mut shared = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if shared.is_empty() {
            *shared = stems;
        } else {
            shared.extend(stems);
        }
    }
}

/// Snowball English stemming with a per-thread cache; with a log, the
/// cache is handed to it when the analyzer is dropped.
#[derive(Clone, Default)]
pub(crate) struct CachingStemmer {
    log: Option<SurfaceLog>,
}

impl CachingStemmer {
    pub(crate) fn logging_to(log: SurfaceLog) -> Self {
        CachingStemmer { log: Some(log) }
    }
}

impl TokenFilter for CachingStemmer {
    type Tokenizer<T: Tokenizer> = CachingStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachingStemmerFilter<T> {
        CachingStemmerFilter {
            inner: tokenizer,
            stems: SurfaceStems::default(),
            log: self.log,
        }
    }
}

pub(crate) struct CachingStemmerFilter<T> {
    inner: T,
    stems: SurfaceStems,
    log: Option<SurfaceLog>,
}

// Each clone is a new thread's analyzer: it starts with an empty cache
// (tantivy clones the registered analyzer, whose cache is always empty).
impl<T: Clone> Clone for CachingStemmerFilter<T> {
    fn clone(&self) -> Self {
        CachingStemmerFilter {
            inner: self.inner.clone(),
            stems: SurfaceStems::default(),
            log: self.log.clone(),
        }
    }
}

impl<T> Drop for CachingStemmerFilter<T> {
    fn drop(&mut self) {
        if let Some(log) = &self.log
            && !self.stems.is_empty()
        {
            log.absorb(std::mem::take(&mut self.stems));
        }
    }
}

impl<T: Tokenizer> Tokenizer for CachingStemmerFilter<T> {
    type TokenStream<'a> = CachingStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachingStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
            stemmer: None,
        }
    }
}

/// Whether a word is spelled like one of the built-in abbreviations. An
/// abbreviation is not stemmed (TENS would become "ten", the number), and a
/// word whose stem would be one keeps its own form ("tense" would become
/// "tens"), so a search for TENS finds neither ten minutes nor tense muscles.
fn is_abbreviation_stem(stem: &str) -> bool {
    crate::search::analysis::synonyms::built_in_abbreviations()
        .any(|abbreviation| abbreviation.eq_ignore_ascii_case(stem))
}

pub(crate) struct CachingStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut SurfaceStems,
    /// Made on the first cache miss only.
    stemmer: Option<frostem::Stemmer>,
}

impl<T: TokenStream> TokenStream for CachingStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stemmer = self
            .stemmer
            .get_or_insert_with(|| frostem::Stemmer::new(frostem::Algorithm::English));
        let mut stem = match stemmer.stem(&token.text) {
            Cow::Borrowed(stem) => stem.to_string(),
            Cow::Owned(stem) => stem,
        };
        if is_abbreviation_stem(&token.text) || is_abbreviation_stem(&stem) {
            stem.clone_from(&token.text);
        }
        let surface = std::mem::replace(&mut token.text, stem.clone());
        self.stems.insert(surface, stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use crate::search::analysis::analyzer::{stemming_analyzer, tokens};

    #[test]
    fn a_word_stemming_to_an_abbreviation_keeps_its_form() {
        assert_eq!(
            tokens(&mut stemming_analyzer(), "TENS tense tenses ten running"),
            ["tens", "tense", "tenses", "ten", "run"]
        );
    }
}
