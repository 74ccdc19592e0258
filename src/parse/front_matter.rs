//! The TOML block between the two `+++` lines at the top of a content file.
//!
//! Positions: the TOML parser reports byte spans inside the fragment; we add
//! the fragment's offset in the file so every diagnostic points at the real
//! line and column of the markdown file.

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::config::{Audience, toml_error};
use crate::diagnostics::{Diagnostic, Diagnostics, Position, closest};
use crate::parse::kind::Kind;
use crate::parse::slug::{MAX_SEGMENT_BYTES, slugify};
use crate::text::{control_character_error, is_forbidden_control};
use crate::toml_keys::{KeyShape, KnownKey, strings_holding, unknown_keys};

/// A content file cut into its front matter and markdown body.
#[derive(Debug, Clone, Copy)]
pub struct SplitFile<'a> {
    pub front_matter: &'a str,
    /// Byte offset of the front matter in the file.
    pub front_matter_offset: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Every control character of a markdown body, as errors at their place.
pub fn check_body_controls(path: &str, file_text: &str, split: &SplitFile<'_>, diagnostics: &mut Diagnostics) {
    // Every such character is ASCII, and no byte of a longer UTF-8
    // character is below 0x80: a byte scan finds them all.
    for (offset, byte) in split.body.bytes().enumerate() {
        if is_forbidden_control(char::from(byte)) {
            let position = Position::at(file_text, split.body_offset + offset, 1);
            diagnostics.push(control_character_error(path, position, char::from(byte)));
        }
    }
}

/// Cuts `text` at its `+++` lines, or says why it cannot.
pub fn split<'a>(path: &str, text: &'a str) -> Result<SplitFile<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error(path, Position::START, "empty file: a page needs front matter")
                .with_hint("start the file with a `+++` line, `title = \"...\"`, and another `+++` line"),
        );
    }
    // The opening line is `+++`, maybe with spaces or tabs after it.
    let first_line = text.split_inclusive('\n').next().unwrap_or("");
    let opens = first_line.ends_with('\n') && first_line.trim_end() == "+++";
    let Some(after_open) = opens.then(|| &text[first_line.len()..]) else {
        let first_line_len = text.lines().next().map_or(1, str::len);
        // Hugo and Jekyll pages open with `---` (YAML): say what to change.
        let hint = if first_line.trim_end() == "---" {
            "Praxis front matter is TOML between `+++` lines: change both `---` lines to `+++` and write `key = \"value\"` instead of `key: value`"
        } else {
            "add `+++`, `title = \"...\"` and `+++` as the first three lines"
        };
        return Err(Diagnostic::error(
            path,
            Position {
                line: 1,
                col: 1,
                len: first_line_len,
            },
            "missing front matter: the file must start with a `+++` line",
        )
        .with_hint(hint));
    };
    let front_matter_offset = text.len() - after_open.len();
    let mut offset = front_matter_offset;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_offset = offset + line.len();
            return Ok(SplitFile {
                front_matter: &text[front_matter_offset..offset],
                front_matter_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        Position {
            line: 1,
            col: 1,
            len: 3,
        },
        "front matter opened here is never closed",
    )
    .with_hint("add a line with only `+++` after the last front matter key"))
}

/// One `[[faq]]` entry as written.
#[derive(Debug, Clone, Deserialize)]
pub struct RawFaqEntry {
    pub question: Spanned<String>,
    pub answer: Spanned<String>,
}

/// One `[[references]]` entry as written.
#[derive(Debug, Clone, Deserialize)]
pub struct RawReference {
    pub title: String,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub doi: Option<Spanned<String>>,
    #[serde(default)]
    pub pmid: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub year: Option<i64>,
}

/// Front matter of a page, every kind's keys together; [`check_page_keys`]
/// has already made sure only the keys of the page's kind are present.
#[derive(Debug, Clone, Deserialize)]
pub struct PageFrontMatter {
    pub title: Spanned<String>,
    #[serde(default)]
    pub description: Option<Spanned<String>>,
    #[serde(default)]
    pub date: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub updated: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub last_reviewed: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub categories: Vec<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub featured: bool,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub reviewed_by: Option<Spanned<String>>,
    #[serde(default)]
    pub faq: Vec<RawFaqEntry>,
    #[serde(default)]
    pub references: Vec<RawReference>,
    #[serde(default)]
    pub extra: toml::Table,
    #[serde(default)]
    pub synonyms: Vec<String>,
    #[serde(default)]
    pub applications: Vec<Spanned<String>>,
    #[serde(default)]
    pub techniques: Vec<Spanned<String>>,
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
    #[serde(default)]
    pub body_regions: Vec<String>,
    #[serde(default)]
    pub equipment: Vec<String>,
}

/// A page count that must be 1 or more: 0 entries per list page would
/// make no list at all.
fn at_least_one<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<usize>, D::Error> {
    let value = Option::<usize>::deserialize(deserializer)?;
    if value == Some(0) {
        return Err(serde::de::Error::custom(
            "must be 1 or more: it is the number of pages on each list page",
        ));
    }
    Ok(value)
}

/// Front matter of a section's `_index.md`.
#[derive(Debug, Clone, Deserialize)]
pub struct SectionFrontMatter {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub sort_by: Option<SortBy>,
    #[serde(default, deserialize_with = "at_least_one")]
    pub paginate_by: Option<usize>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub extra: toml::Table,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first; undated pages last.
    Date,
    Title,
    /// Lowest weight first, then title.
    Weight,
}

const FAQ_KEYS: &[KnownKey] = &[KnownKey::value("question"), KnownKey::value("answer")];
const REFERENCE_KEYS: &[KnownKey] = &[
    KnownKey::value("title"),
    KnownKey::value("url"),
    KnownKey::value("doi"),
    KnownKey::value("pmid"),
    KnownKey::value("year"),
];

/// Keys every page kind accepts.
const COMMON_PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "kind",
    "aliases",
    "authors",
    "categories",
    "tags",
    "audience",
    "featured",
    "weight",
    "reviewed_by",
    "last_reviewed",
    "faq",
    "references",
    "extra",
];

/// Every key any page may hold, for the schema walk.
const ALL_PAGE_KEYS: &[KnownKey] = &[
    KnownKey::value("title"),
    KnownKey::value("description"),
    KnownKey::value("date"),
    KnownKey::value("updated"),
    KnownKey::value("draft"),
    KnownKey::value("slug"),
    KnownKey::value("kind"),
    KnownKey::value("aliases"),
    KnownKey::value("authors"),
    KnownKey::value("categories"),
    KnownKey::value("tags"),
    KnownKey::value("audience"),
    KnownKey::value("featured"),
    KnownKey::value("weight"),
    KnownKey::value("reviewed_by"),
    KnownKey::value("last_reviewed"),
    KnownKey {
        name: "faq",
        shape: KeyShape::TableArray(FAQ_KEYS),
    },
    KnownKey {
        name: "references",
        shape: KeyShape::TableArray(REFERENCE_KEYS),
    },
    KnownKey {
        name: "extra",
        shape: KeyShape::FreeForm,
    },
    KnownKey::value("synonyms"),
    KnownKey::value("applications"),
    KnownKey::value("techniques"),
    KnownKey::value("parent"),
    KnownKey::value("body_regions"),
    KnownKey::value("equipment"),
];

const SECTION_KEYS: &[KnownKey] = &[
    KnownKey::value("title"),
    KnownKey::value("description"),
    KnownKey::value("sort_by"),
    KnownKey::value("paginate_by"),
    KnownKey::value("weight"),
    KnownKey {
        name: "extra",
        shape: KeyShape::FreeForm,
    },
];

/// Keys only some kinds accept, and which.
fn kind_keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Technique => &["synonyms", "applications", "body_regions", "equipment"],
        Kind::Application => &["synonyms", "parent", "body_regions"],
        Kind::Article => &["techniques", "applications"],
        Kind::Faq | Kind::Page => &[],
    }
}

fn kinds_accepting(key: &str) -> Vec<&'static str> {
    Kind::ALL
        .iter()
        .filter(|kind| kind_keys(**kind).contains(&key))
        .map(|kind| kind.name())
        .collect()
}

/// The parsed TOML table of a front matter block, with the file context
/// needed to place diagnostics.
pub struct FrontMatterTable<'a> {
    table: toml::Spanned<DeTable<'a>>,
    /// The TOML text, to read again after a bad value (rare, and cheaper
    /// than keeping a copy of every table in case).
    fragment: &'a str,
    path: &'a str,
    file_text: &'a str,
    offset: usize,
}

impl<'a> FrontMatterTable<'a> {
    /// Parses the TOML syntax of a block.
    pub fn parse(path: &'a str, file_text: &'a str, split: &SplitFile<'a>) -> Result<Self, Diagnostic> {
        let table = DeTable::parse(split.front_matter)
            .map_err(|err| toml_error(path, file_text, split.front_matter_offset, &err))?;
        Ok(FrontMatterTable {
            table,
            fragment: split.front_matter,
            path,
            file_text,
            offset: split.front_matter_offset,
        })
    }

    /// The string value of top-level `kind`, if any, with its position.
    pub fn kind_override(&self) -> Option<(String, Position)> {
        let (_, value) = self.table.get_ref().iter().find(|(key, _)| key.get_ref() == "kind")?;
        let text = value.get_ref().as_str()?.to_string();
        Some((text, self.position(value.span())))
    }

    /// A position in the file for a span in the fragment.
    pub fn position(&self, span: std::ops::Range<usize>) -> Position {
        Position::at(self.file_text, self.offset + span.start, span.len())
    }

    /// Reports every string value holding a control character (a TOML
    /// escape such as `\u0001`): web pages and feeds cannot carry one.
    pub fn check_control_characters(&self, diagnostics: &mut Diagnostics) {
        for (span, c) in strings_holding(self.table.get_ref(), is_forbidden_control) {
            diagnostics.push(control_character_error(self.path, self.position(span), c));
        }
    }

    /// Reports taxonomy terms (tags, categories, body regions) that have no
    /// letter or digit (their address would be empty: `tags = ["!!!"]`) or
    /// whose address is too long for a folder name.
    pub fn check_taxonomy_terms(&self, diagnostics: &mut Diagnostics) {
        for (key, value) in self.table.get_ref().iter() {
            let name: &str = key.get_ref();
            if !matches!(name, "tags" | "categories" | "body_regions") {
                continue;
            }
            let DeValue::Array(items) = value.get_ref() else {
                continue;
            };
            for item in items.iter() {
                let Some(term) = item.get_ref().as_str() else {
                    continue;
                };
                let slug = slugify(term);
                let at = self.position(item.span());
                if slug.is_empty() {
                    diagnostics.push(
                        Diagnostic::error(
                            self.path,
                            at,
                            format!("`{name}` holds `{term}`, which has no letter or digit to make an address of"),
                        )
                        .with_hint("write the term in words, or remove it"),
                    );
                } else if slug.len() > MAX_SEGMENT_BYTES {
                    diagnostics.push(
                        Diagnostic::error(
                            self.path,
                            at,
                            format!(
                                "a term of `{name}` is {} bytes long as an address, more than an address can hold",
                                slug.len()
                            ),
                        )
                        .with_hint(format!(
                            "keep a term to a few words: its address may have at most {MAX_SEGMENT_BYTES} bytes"
                        )),
                    );
                }
            }
        }
    }

    /// Reports unknown keys and keys of other kinds, all at once.
    pub fn check_page_keys(&self, kind: Kind, diagnostics: &mut Diagnostics) {
        for unknown in unknown_keys(self.table.get_ref(), ALL_PAGE_KEYS) {
            let place = if unknown.table.is_empty() {
                String::new()
            } else {
                format!(" in [[{}]]", unknown.table)
            };
            let mut diagnostic = Diagnostic::error(
                self.path,
                self.position(unknown.span.clone()),
                format!("unknown key `{}`{place}", unknown.name),
            );
            let allowed: Vec<&str> = if unknown.table.is_empty() {
                COMMON_PAGE_KEYS.iter().chain(kind_keys(kind)).copied().collect()
            } else {
                unknown.known.clone()
            };
            if let Some(best) = closest(&unknown.name, allowed.iter().copied()) {
                diagnostic = diagnostic.with_hint(format!("did you mean `{best}`?"));
            } else if unknown.table.is_empty() {
                diagnostic = diagnostic.with_hint("put free-form values under [extra]");
            }
            diagnostics.push(diagnostic);
        }
        for (key, _) in self.table.get_ref().iter() {
            let name: &str = key.get_ref();
            if COMMON_PAGE_KEYS.contains(&name) || kind_keys(kind).contains(&name) {
                continue;
            }
            let owners = kinds_accepting(name);
            if owners.is_empty() {
                continue; // already reported as unknown
            }
            diagnostics.push(
                Diagnostic::error(
                    self.path,
                    self.position(key.span()),
                    format!("`{name}` is not a key of {} pages", kind.name()),
                )
                .with_hint(format!(
                    "`{name}` belongs on {} pages; move it or set `kind`",
                    owners.join(" and ")
                )),
            );
        }
        let title = self.table.get_ref().iter().find(|(key, _)| key.get_ref() == "title");
        if let Some((_, value)) = title
            && value.get_ref().as_str().is_some_and(|text| text.trim().is_empty())
        {
            diagnostics.push(
                Diagnostic::error(self.path, self.position(value.span()), "the title is empty").with_hint(
                    "every page needs a title: it is the page's heading, its name in lists and in search results",
                ),
            );
        }
        if title.is_none() {
            diagnostics.push(
                Diagnostic::error(
                    self.path,
                    Position {
                        line: 1,
                        col: 1,
                        len: 3,
                    },
                    "missing `title` in front matter",
                )
                .with_hint("add a line such as `title = \"Mirror therapy\"`"),
            );
        }
    }

    /// Reports unknown keys of a section's `_index.md`.
    pub fn check_section_keys(&self, diagnostics: &mut Diagnostics) {
        for unknown in unknown_keys(self.table.get_ref(), SECTION_KEYS) {
            let mut diagnostic = Diagnostic::error(
                self.path,
                self.position(unknown.span.clone()),
                format!("unknown key `{}` in a section's _index.md", unknown.name),
            );
            diagnostic = match closest(&unknown.name, unknown.known.iter().copied()) {
                Some(best) => diagnostic.with_hint(format!("did you mean `{best}`?")),
                None => {
                    diagnostic.with_hint("sections accept title, description, sort_by, paginate_by, weight and [extra]")
                }
            };
            diagnostics.push(diagnostic);
        }
    }

    /// Deserialises into a typed front matter; type errors point into the
    /// file. serde stops at the first bad value, so after each the key that
    /// holds it is set aside and the rest is read again: every bad value of
    /// the block is reported in one run.
    pub fn into_typed<T: serde::de::DeserializeOwned>(self) -> Result<T, Vec<Diagnostic>> {
        let (path, file_text, offset) = (self.path, self.file_text, self.offset);
        let mut table = self.table;
        table.get_mut().make_owned();
        // The common case: one pass, no copy of the table.
        let first = match T::deserialize(toml::de::Deserializer::from(table)) {
            Ok(value) => return Ok(value),
            Err(err) => err,
        };
        let (_, errors) = crate::toml_keys::read_every_bad_value::<T, _>(self.fragment, first, |err, key| {
            crate::config::keyed_toml_error(path, file_text, offset, err, key)
        });
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_both_fences() {
        let text = "+++\ntitle = 'a'\n+++\nbody\n";
        let split = split("a.md", text).unwrap();
        assert_eq!(split.front_matter, "title = 'a'\n");
        assert_eq!(split.body, "body\n");
        assert_eq!(&text[split.body_offset..], "body\n");
        // Spaces after a fence are invisible in an editor, so they are fine.
        let spaced = super::split("a.md", "+++   \ntitle = 'a'\n+++\t\nbody\n").unwrap();
        assert_eq!(spaced.front_matter, "title = 'a'\n");
        assert_eq!(spaced.body, "body\n");
    }

    #[test]
    fn split_errors_name_the_problem() {
        assert!(split("a.md", "").unwrap_err().message.contains("empty file"));
        assert!(
            split("a.md", "# no front matter")
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
        assert!(
            split("a.md", "+++\ntitle = 'a'\n")
                .unwrap_err()
                .message
                .contains("never closed")
        );
    }

    #[test]
    fn toml_errors_point_into_the_markdown_file() {
        let text = "+++\ntitle = 'a'\ndate = \n+++\n";
        let split = split("a.md", text).unwrap();
        let err = FrontMatterTable::parse("a.md", text, &split).err().unwrap();
        assert_eq!(err.line, 3, "{err:?}");
    }

    #[test]
    fn keys_of_other_kinds_are_named() {
        let text = "+++\ntitle = 'a'\nparent = 'stroke'\naplications = []\n+++\n";
        let split = split("a.md", text).unwrap();
        let table = FrontMatterTable::parse("a.md", text, &split).unwrap();
        let mut diagnostics = Diagnostics::new();
        table.check_page_keys(Kind::Technique, &mut diagnostics);
        let found = diagnostics.sorted();
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].line, found[0].col), (3, 1));
        assert!(found[0].message.contains("not a key of technique pages"));
        assert_eq!(found[1].hint.as_deref(), Some("did you mean `applications`?"));
    }
}
