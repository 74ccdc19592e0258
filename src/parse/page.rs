//! The typed result of parsing one content file: a [`Page`] or a [`Section`].

use crate::config::Audience;
use crate::diagnostics::Position;
use crate::parse::date::PageDate;
use crate::parse::front_matter::{PageFrontMatter, SortBy};
use crate::parse::kind::Kind;
use crate::parse::markdown::ParsedMarkdown;

/// A slug written in front matter (`applications = ["stroke"]`), with the
/// place of the value so an unknown slug is reported exactly there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SlugRef {
    pub(crate) slug: String,
    pub(crate) position: Position,
}

/// Relations a page declares in its front matter, unresolved.
#[derive(Debug, Clone, Default)]
pub(crate) struct DeclaredRelations {
    /// A technique's or an article's `applications`.
    pub(crate) applications: Vec<SlugRef>,
    /// An article's `techniques`.
    pub(crate) techniques: Vec<SlugRef>,
    /// An application's `parent`.
    pub(crate) parent: Option<SlugRef>,
}

/// One question and answer of a page's `[[faq]]`.
#[derive(Debug, Clone)]
pub(crate) struct FaqEntry {
    pub(crate) question: String,
    /// Byte offset of the question's value in the file.
    pub(crate) question_offset: usize,
    /// `faq-` + slug of the question, unique on the page.
    pub(crate) anchor: String,
    pub(crate) answer: ParsedMarkdown,
}

/// One `[[references]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    pub(crate) title: String,
    pub(crate) url: Option<String>,
    /// Bare: `10.1000/xyz`, whatever form it was written in.
    pub(crate) doi: Option<String>,
    /// Digits only.
    pub(crate) pmid: Option<String>,
    pub(crate) year: Option<i64>,
}

/// Where front matter values of a page stand in its file, as byte offsets,
/// so `praxis check` can point at them. A missing key has no place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FrontMatterPlaces {
    pub(crate) title: usize,
    pub(crate) description: Option<usize>,
    pub(crate) reviewed_by: Option<usize>,
    pub(crate) last_reviewed: Option<usize>,
    /// `slug = "..."`, when the page sets its own.
    pub(crate) slug: Option<Position>,
    /// Each term of `categories`, parallel to [`Page::categories`].
    pub(crate) categories: Vec<Position>,
    /// Each term of `tags`, parallel to [`Page::tags`].
    pub(crate) tags: Vec<Position>,
}

/// A content page of any kind: its front matter as written (`front`), and
/// what the parse stage made of it and of the file (the address, dates,
/// parsed FAQ answers and body, the places of values).
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// `content/techniques/mirror-therapy.md`.
    pub(crate) rel_path: String,
    pub(crate) kind: Kind,
    /// The folder under `content/` holding the page: `techniques`, `` for the root.
    pub(crate) section: String,
    pub(crate) slug: String,
    /// The URL path: `/techniques/mirror-therapy/`.
    pub(crate) path: String,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) date: Option<PageDate>,
    pub(crate) updated: Option<PageDate>,
    pub(crate) last_reviewed: Option<PageDate>,
    pub(crate) aliases: Vec<(String, Position)>,
    pub(crate) categories: Vec<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) audience: Audience,
    pub(crate) reviewed_by: Option<String>,
    pub(crate) faq: Vec<FaqEntry>,
    pub(crate) references: Vec<Reference>,
    pub(crate) relations: DeclaredRelations,
    pub(crate) body: ParsedMarkdown,
    pub(crate) places: FrontMatterPlaces,
    /// The front matter as written. The values above are read from it
    /// (checked, resolved, with defaults); the rest, such as `synonyms`,
    /// `featured` or `[extra]`, are used as they are, and templates see
    /// them under `page` without a copy.
    pub(crate) front: PageFrontMatter,
}

/// A folder of `content/`, with the front matter of its `_index.md` if any.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Folder under `content/`: `` (home), `techniques`, `techniques/manual`.
    pub(crate) key: String,
    /// `content/techniques/_index.md` when the folder has one.
    pub(crate) rel_path: Option<String>,
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) sort_by: SortBy,
    pub(crate) paginate_by: Option<usize>,
    pub(crate) weight: i64,
    pub(crate) extra: toml::Table,
    pub(crate) intro: ParsedMarkdown,
}

impl Section {
    /// The URL path of the section's list: `/techniques/`, `/` for the home page.
    pub(crate) fn path(&self) -> String {
        if self.key.is_empty() {
            "/".to_string()
        } else {
            format!("/{}/", self.key)
        }
    }

    /// A section without `_index.md`: its title comes from the folder name.
    pub(crate) fn implicit(key: &str) -> Section {
        let name = key.rsplit('/').next().unwrap_or(key);
        let title = match key {
            "articles" => "Articles".to_string(),
            "techniques" => "Techniques".to_string(),
            "applications" => "Clinical applications".to_string(),
            "faq" => "Frequently asked questions".to_string(),
            _ => {
                let words = name.replace(['-', '_'], " ");
                match words.get(..1) {
                    Some(first) => first.to_uppercase() + &words[1..],
                    None => words,
                }
            }
        };
        Section {
            key: key.to_string(),
            rel_path: None,
            title,
            description: None,
            sort_by: default_sort(key),
            paginate_by: None,
            weight: 0,
            extra: toml::Table::new(),
            intro: ParsedMarkdown::default(),
        }
    }
}

/// Articles read newest first; every other list reads best by weight, then title.
pub(crate) fn default_sort(section_key: &str) -> SortBy {
    if Kind::from_folder(section_key.split('/').next().unwrap_or("")) == Kind::Article {
        SortBy::Date
    } else {
        SortBy::Weight
    }
}
