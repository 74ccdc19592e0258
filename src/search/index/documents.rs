//! The linked site -> search documents.
//!
//! Answers should land where they are: a long page becomes one document for
//! its introduction plus one per h2 section (deep-linked to the heading's
//! anchor, as mdBook does), every FAQ entry is a document of its own linked
//! to its `#faq-` anchor, and a short page is one document.

use rayon::prelude::*;

use crate::link::Site;
use crate::parse::Page;
use crate::parse::kind::Kind;
use crate::search::analysis::synonyms::SynonymMatcher;

/// A page is cut into sections when it has this many words and 2+ h2s.
const SECTION_SPLIT_MIN_WORDS: usize = 350;

/// One unit of search.
#[derive(Debug, Clone)]
pub(crate) struct SearchDoc {
    /// Path with anchor: `/techniques/mirror-therapy/#how-it-works`.
    pub(crate) url: String,
    /// Section heading, FAQ question, or page title.
    pub(crate) title: String,
    pub(crate) page_title: String,
    pub(crate) kind: Kind,
    /// Whether this is the page's own document (the page, or its
    /// introduction) rather than a section or FAQ entry: the usual hit,
    /// numbered first and chunked finer for the browser.
    pub(crate) page_doc: bool,
    /// Indexed text, by field.
    pub(crate) fields: DocFields,
}

impl SearchDoc {
    /// The text snippets are cut from (see `excerpt`): the body, or the
    /// description of a page whose introduction is empty.
    pub(crate) fn snippet_text(&self) -> &str {
        if self.fields.body.trim().is_empty() {
            &self.fields.description
        } else {
            &self.fields.body
        }
    }
}

/// The text of each indexed field (see
/// [`crate::search::parameters::FieldBoosts`] for the boosts).
#[derive(Debug, Clone, Default)]
pub(crate) struct DocFields {
    pub(crate) title: String,
    /// The page's own synonyms plus synonym-set names of the title.
    pub(crate) synonyms: String,
    pub(crate) headings: String,
    pub(crate) description: String,
    pub(crate) body: String,
    /// Synonym-set names of what the headings and body mention.
    pub(crate) expansions: String,
    /// Categories and tags.
    pub(crate) taxonomy: String,
}

impl DocFields {
    /// The fields' texts, in the order of
    /// [`crate::search::parameters::FieldBoosts::in_index_order`].
    pub(crate) fn in_index_order(&self) -> [&String; 7] {
        [
            &self.title,
            &self.synonyms,
            &self.headings,
            &self.description,
            &self.body,
            &self.expansions,
            &self.taxonomy,
        ]
    }
}

/// Every search document of the site, in index order (see [`index_order`]).
pub(crate) fn collect_documents(site: &Site, synonyms: &SynonymMatcher) -> Vec<SearchDoc> {
    let per_page: Vec<Vec<SearchDoc>> = site
        .pages
        .par_iter()
        .map(|page| page_documents(page, synonyms))
        .collect();
    index_order(per_page)
}

/// Documents numbered for the index, from each page's documents in site
/// order, kind by kind (techniques, applications...; FAQ entries are of kind
/// FAQ): first every page's own document (the page or its introduction) in
/// site order, then the sections and FAQ entries by heading or question
/// (ignoring case), in site order under the same heading.
///
/// Doc numbers break ties, pick the doc chunk a result's title and snippet
/// come from, and cut long postings into doc ranges (docs/search-format.md),
/// so docs likely to match the same words are numbered together. Pages next
/// to each other in site order share a topic (their titles sort together),
/// and a page's own document is the usual hit, so a query's results share
/// doc chunks. Sections under the same heading ("Exercises to try" on many
/// pages) share their heading's words, whose high impacts then sit in a few
/// doc ranges instead of all of them. On the 10k bench site, against
/// numbering page by page, 10 cold queries fetched 73 doc chunks instead of
/// 106, "knee pain" cost 33.8 KB instead of 50.4 and "strength exercises"
/// 47.1 KB instead of 106.7 (tests/js/query-cost.mjs). Numbered kind by
/// kind, a doc's kind follows from its number ([`kind_runs`]), so the
/// browser filters by kind without loading the doc chunks of other kinds.
pub(crate) fn index_order<Page: IntoIterator<Item = SearchDoc>>(
    per_page: impl IntoIterator<Item = Page>,
) -> Vec<SearchDoc> {
    let mut ordered = Vec::new();
    let mut deeper = Vec::new();
    for docs in per_page {
        let mut docs = docs.into_iter();
        ordered.extend(docs.next());
        deeper.extend(docs);
    }
    ordered.sort_by_key(|doc| doc.kind);
    deeper.sort_by_cached_key(|doc| (doc.kind, doc.title.to_lowercase()));
    ordered.append(&mut deeper);
    ordered
}

/// `(first doc, kind)` of each run of docs of one kind, in doc order.
pub(crate) fn kind_runs(docs: &[SearchDoc]) -> Vec<(usize, Kind)> {
    runs_by(docs, |doc| doc.kind)
}

/// `(first doc, key)` of each run of consecutive docs with the same key.
pub(crate) fn runs_by<K: PartialEq>(docs: &[SearchDoc], key: impl Fn(&SearchDoc) -> K) -> Vec<(usize, K)> {
    let mut runs: Vec<(usize, K)> = Vec::new();
    for (number, doc) in docs.iter().enumerate() {
        let doc_key = key(doc);
        if runs.last().is_none_or(|(_, run_key)| *run_key != doc_key) {
            runs.push((number, doc_key));
        }
    }
    runs
}

/// The search documents of one page: the page (or its intro and h2
/// sections) and each FAQ entry.
pub(crate) fn page_documents(page: &Page, synonyms: &SynonymMatcher) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    let body = &page.body;
    let taxonomy = page
        .categories
        .iter()
        .chain(&page.tags)
        .cloned()
        .collect::<Vec<_>>()
        .join(" . ");
    let page_synonyms = page.front.synonyms.join(" . ");
    let title_expansions = synonyms.expansions(&format!("{} . {}", page.title, page_synonyms));
    let description = page.description.clone().unwrap_or_default();
    let split = body.word_count >= SECTION_SPLIT_MIN_WORDS && body.h2_offsets.len() >= 2;

    let intro_end = if split { body.h2_offsets[0].1 } else { body.text.len() };
    let intro = &body.text[..intro_end];
    let headings: Vec<&str> = if split {
        Vec::new()
    } else {
        body.headings.iter().map(|h| h.title.as_str()).collect()
    };
    docs.push(SearchDoc {
        url: page.path.clone(),
        title: page.title.clone(),
        page_title: page.title.clone(),
        kind: page.kind,
        page_doc: true,
        fields: DocFields {
            title: page.title.clone(),
            synonyms: format!("{page_synonyms} . {title_expansions}"),
            headings: headings.join(" . "),
            description: description.clone(),
            expansions: synonyms.expansions(&format!("{} . {intro}", headings.join(" . "))),
            body: intro.to_string(),
            taxonomy: taxonomy.clone(),
        },
    });

    if split {
        for (i, &(heading_index, start)) in body.h2_offsets.iter().enumerate() {
            let end = body.h2_offsets.get(i + 1).map_or(body.text.len(), |next| next.1);
            let section_text = &body.text[start..end];
            let heading = &body.headings[heading_index];
            let next_h2 = body.h2_offsets.get(i + 1).map_or(body.headings.len(), |next| next.0);
            let sub_headings: Vec<&str> = body.headings[heading_index..next_h2]
                .iter()
                .map(|h| h.title.as_str())
                .collect();
            // The heading line opens the section text; the body is the rest.
            let section_body = section_text
                .strip_prefix(heading.title.as_str())
                .unwrap_or(section_text);
            docs.push(SearchDoc {
                url: format!("{}#{}", page.path, heading.id),
                title: heading.title.clone(),
                page_title: page.title.clone(),
                kind: page.kind,
                page_doc: false,
                fields: DocFields {
                    title: String::new(),
                    synonyms: String::new(),
                    headings: sub_headings.join(" . "),
                    description: String::new(),
                    expansions: synonyms.expansions(section_text),
                    body: section_body.to_string(),
                    taxonomy: String::new(),
                },
            });
        }
    }

    for entry in &page.faq {
        let answer = &entry.answer.text;
        docs.push(SearchDoc {
            url: format!("{}#{}", page.path, entry.anchor),
            title: entry.question.clone(),
            page_title: page.title.clone(),
            kind: Kind::Faq,
            page_doc: false,
            fields: DocFields {
                headings: entry.question.clone(),
                expansions: synonyms.expansions(&format!("{} . {answer}", entry.question)),
                body: answer.clone(),
                ..DocFields::default()
            },
        });
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, title: &str) -> SearchDoc {
        let kind = if url.contains("#faq-") {
            Kind::Faq
        } else {
            Kind::Article
        };
        SearchDoc {
            url: url.to_string(),
            title: title.to_string(),
            page_title: String::new(),
            kind,
            page_doc: !url.contains('#'),
            fields: DocFields::default(),
        }
    }

    #[test]
    fn index_order_puts_page_documents_first() {
        let per_page = vec![
            vec![
                doc("/a/", "A"),
                doc("/a/#risks", "Risks"),
                doc("/a/#faq-q", "Does it hurt?"),
            ],
            vec![doc("/b/", "B")],
            vec![
                doc("/c/", "C"),
                doc("/c/#exercises", "Exercises"),
                doc("/c/#risks", "risks"),
            ],
        ];
        let urls: Vec<String> = index_order(per_page).into_iter().map(|d| d.url).collect();
        // Pages, then sections by heading; FAQ entries (kind FAQ) last.
        let expected = [
            "/a/",
            "/b/",
            "/c/",
            "/c/#exercises",
            "/a/#risks",
            "/c/#risks",
            "/a/#faq-q",
        ];
        assert_eq!(urls, expected);
    }

    #[test]
    fn index_order_numbers_kind_by_kind() {
        let mut technique = doc("/t/", "T");
        technique.kind = Kind::Technique;
        let per_page = vec![
            vec![technique, doc("/t/#faq-q", "Q")],
            vec![doc("/a/", "A"), doc("/a/#s", "S")],
        ];
        let ordered = index_order(per_page);
        let urls: Vec<&str> = ordered.iter().map(|d| d.url.as_str()).collect();
        assert_eq!(urls, ["/a/", "/t/", "/a/#s", "/t/#faq-q"]);
        let runs = [
            (0, Kind::Article),
            (1, Kind::Technique),
            (2, Kind::Article),
            (3, Kind::Faq),
        ];
        assert_eq!(kind_runs(&ordered), runs);
    }
}
