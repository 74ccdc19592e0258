//! The TOML block between the two `+++` lines at the top of a content file.
//!
//! Positions: the TOML parser reports byte spans inside the fragment; we add
//! the fragment's offset in the file so every diagnostic points at the real
//! line and column of the markdown file.

use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::config::{Audience, toml_error};
use crate::diagnostics::{Diagnostic, Diagnostics, Position, PositionFinder, closest};
use crate::parse::kind::Kind;
use crate::parse::slug::{MAX_SEGMENT_BYTES, slugify};
use crate::schema::{self, field_names, strings_holding};
use crate::text::{control_character_error, is_forbidden_control};

/// A content file cut into its front matter and markdown body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SplitFile<'a> {
    pub(crate) front_matter: &'a str,
    /// Byte offset of the front matter in the file.
    pub(crate) front_matter_offset: usize,
    pub(crate) body: &'a str,
    /// Byte offset of the body in the file.
    pub(crate) body_offset: usize,
}

/// Every control character of a markdown body, as errors at their place.
pub(crate) fn check_body_controls(path: &str, file_text: &str, split: &SplitFile<'_>, diagnostics: &mut Diagnostics) {
    // A byte scan, as fast as the bodies are long: every such character is
    // ASCII, or a C1 control, which UTF-8 writes as 0xC2 then 0x80-0x9F; no
    // byte of another character is below 0x80 or looks like that pair.
    let positions = PositionFinder::new(file_text);
    let bytes = split.body.as_bytes();
    for (offset, &byte) in bytes.iter().enumerate() {
        let c = match byte {
            0xc2 => match bytes.get(offset + 1) {
                Some(&next @ 0x80..=0x9f) => char::from(next),
                _ => continue,
            },
            byte if byte < 0x80 => char::from(byte),
            _ => continue,
        };
        if is_forbidden_control(c) {
            let position = positions.at(split.body_offset + offset, c.len_utf8());
            diagnostics.push(control_character_error(path, position, c));
        }
    }
}

/// Cuts `text` at its `+++` lines, or says why it cannot.
pub(crate) fn split<'a>(path: &str, text: &'a str) -> Result<SplitFile<'a>, Diagnostic> {
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

/// The longest page title, in characters.
pub(crate) const MAX_TITLE_CHARS: usize = 200;

/// The longest synonym, in bytes (the synonyms file's terms too).
pub(crate) const MAX_SYNONYM_BYTES: usize = 100;

/// One `[[faq]]` entry as written; both keys are required.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct RawFaqEntry {
    pub(crate) question: Spanned<String>,
    pub(crate) answer: Spanned<String>,
}

/// One `[[references]]` entry as written; `title` is required.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct RawReference {
    pub(crate) title: String,
    pub(crate) url: Option<Spanned<String>>,
    pub(crate) doi: Option<Spanned<String>>,
    pub(crate) pmid: Option<Spanned<toml::Value>>,
    pub(crate) year: Option<i64>,
}

/// Front matter of a page: the keys of every kind, and below them the
/// keys of some kinds ([`KIND_KEYS`] says which). The fields are the
/// schema: a key that is no field is unknown. `title` is checked for apart
/// from serde, so that its absence is one clear error.
///
/// The page keeps it whole ([`Page::front`](crate::parse::Page)), and
/// templates see its plain values under `page` (`page.synonyms`,
/// `page.extra`); the values the parse stage reads into something else
/// (dates, the FAQ, relations) are not serialized, so templates see only
/// the read form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct PageFrontMatter {
    pub(crate) title: Option<Spanned<String>>,
    #[serde(skip_serializing)]
    pub(crate) description: Option<Spanned<String>>,
    #[serde(skip_serializing)]
    pub(crate) date: Option<Spanned<toml::Value>>,
    #[serde(skip_serializing)]
    pub(crate) updated: Option<Spanned<toml::Value>>,
    #[serde(skip_serializing)]
    pub(crate) last_reviewed: Option<Spanned<toml::Value>>,
    pub(crate) draft: bool,
    #[serde(skip_serializing)]
    pub(crate) slug: Option<Spanned<String>>,
    #[serde(skip_serializing)]
    pub(crate) kind: Option<String>,
    pub(crate) aliases: Vec<Spanned<String>>,
    pub(crate) authors: Vec<String>,
    #[serde(skip_serializing)]
    pub(crate) categories: Vec<Spanned<String>>,
    #[serde(skip_serializing)]
    pub(crate) tags: Vec<Spanned<String>>,
    #[serde(skip_serializing)]
    pub(crate) audience: Option<Audience>,
    pub(crate) featured: bool,
    pub(crate) weight: i64,
    #[serde(skip_serializing)]
    pub(crate) reviewed_by: Option<Spanned<String>>,
    #[serde(skip_serializing)]
    pub(crate) faq: Vec<RawFaqEntry>,
    #[serde(skip_serializing)]
    pub(crate) references: Vec<RawReference>,
    pub(crate) extra: toml::Table,
    pub(crate) synonyms: Vec<String>,
    #[serde(skip_serializing)]
    pub(crate) applications: Vec<Spanned<String>>,
    #[serde(skip_serializing)]
    pub(crate) techniques: Vec<Spanned<String>>,
    #[serde(skip_serializing)]
    pub(crate) parent: Option<Spanned<String>>,
    pub(crate) body_regions: Vec<String>,
    pub(crate) equipment: Vec<String>,
}

/// The keys of [`PageFrontMatter`] that only some kinds take, and which;
/// every other key is for every kind. (A test holds each to a field.)
pub(crate) const KIND_KEYS: &[(&str, &[Kind])] = &[
    ("synonyms", &[Kind::Technique, Kind::Application]),
    ("applications", &[Kind::Technique, Kind::Article]),
    ("techniques", &[Kind::Article]),
    ("parent", &[Kind::Application]),
    ("body_regions", &[Kind::Technique, Kind::Application]),
    ("equipment", &[Kind::Technique]),
];

/// Whether pages of `kind` take the key `name`.
fn kind_takes(kind: Kind, name: &str) -> bool {
    KIND_KEYS
        .iter()
        .find(|(key, _)| *key == name)
        .is_none_or(|(_, kinds)| kinds.contains(&kind))
}

/// The kinds that take the kind-specific key `name`, by name.
fn kinds_taking(name: &str) -> Vec<&'static str> {
    KIND_KEYS
        .iter()
        .filter(|(key, _)| *key == name)
        .flat_map(|(_, kinds)| kinds.iter().map(|kind| kind.name()))
        .collect()
}

/// The keys of a table of a page's front matter, from the type that reads
/// it: the top level (only `kind`'s keys), `[[faq]]`, `[[references]]`.
fn page_keys(table: &str, kind: Kind) -> Vec<&'static str> {
    match table {
        "" => field_names::<PageFrontMatter>()
            .iter()
            .copied()
            .filter(|name| kind_takes(kind, name))
            .collect(),
        "faq" => field_names::<RawFaqEntry>().to_vec(),
        "references" => field_names::<RawReference>().to_vec(),
        _ => Vec::new(),
    }
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
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SectionFrontMatter {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) sort_by: Option<SortBy>,
    #[serde(deserialize_with = "at_least_one")]
    pub(crate) paginate_by: Option<usize>,
    pub(crate) weight: i64,
    pub(crate) extra: toml::Table,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SortBy {
    /// Newest first; undated pages last.
    Date,
    Title,
    /// Lowest weight first, then title.
    Weight,
}

/// The parsed TOML table of a front matter block, with the file context
/// needed to place diagnostics.
pub(crate) struct FrontMatterTable<'a> {
    table: toml::Spanned<DeTable<'a>>,
    /// The TOML text, read again only after a stray key or a bad value.
    fragment: &'a str,
    path: &'a str,
    file_text: &'a str,
    offset: usize,
}

impl<'a> FrontMatterTable<'a> {
    /// Parses the TOML syntax of a block.
    pub(crate) fn parse(path: &'a str, file_text: &'a str, split: &SplitFile<'a>) -> Result<Self, Diagnostic> {
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

    /// The top-level string `key`, when it is one.
    pub(crate) fn string_value(&self, key: &str) -> Option<String> {
        self.table.get_ref().get(key)?.get_ref().as_str().map(str::to_string)
    }

    /// The strings of the top-level array `key` (what of it is strings).
    pub(crate) fn strings_value(&self, key: &str) -> Vec<String> {
        match self.table.get_ref().get(key).map(|value| value.get_ref()) {
            Some(DeValue::Array(items)) => items
                .iter()
                .filter_map(|item| item.get_ref().as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The string value of top-level `kind`, if any, with its position.
    pub(crate) fn kind_override(&self) -> Option<(String, Position)> {
        let (_, value) = self.table.get_ref().iter().find(|(key, _)| key.get_ref() == "kind")?;
        let text = value.get_ref().as_str()?.to_string();
        Some((text, self.position(value.span())))
    }

    /// A position in the file for a span in the fragment.
    pub(crate) fn position(&self, span: std::ops::Range<usize>) -> Position {
        Position::at(self.file_text, self.offset + span.start, span.len())
    }

    /// Reports every string value holding a control character (a TOML
    /// escape such as `\u0001`): web pages and feeds cannot carry one.
    pub(crate) fn check_control_characters(&self, diagnostics: &mut Diagnostics) {
        for (span, c) in strings_holding(self.table.get_ref(), is_forbidden_control) {
            diagnostics.push(control_character_error(self.path, self.position(span), c));
        }
    }

    /// Reports a page title or a synonym too long to be one: every title
    /// and synonym becomes a pattern that other pages' text is matched
    /// against (mention links, search synonyms), and a pattern of
    /// thousands of words made those matchers take minutes to build.
    pub(crate) fn check_name_lengths(&self, diagnostics: &mut Diagnostics) {
        for (key, value) in self.table.get_ref().iter() {
            match (key.get_ref().as_ref(), value.get_ref()) {
                ("title", DeValue::String(title)) if title.chars().count() > MAX_TITLE_CHARS => {
                    diagnostics.push(
                        Diagnostic::error(
                            self.path,
                            self.position(value.span()),
                            format!("the title is {} characters long", title.chars().count()),
                        )
                        .with_hint(format!(
                            "keep a title under {MAX_TITLE_CHARS} characters: it is the page's heading and its name in lists and search results; say more in `description`"
                        )),
                    );
                }
                ("synonyms", DeValue::Array(items)) => {
                    for item in items.iter() {
                        let Some(synonym) = item.get_ref().as_str() else {
                            continue;
                        };
                        if synonym.len() > MAX_SYNONYM_BYTES {
                            diagnostics.push(
                                Diagnostic::error(
                                    self.path,
                                    self.position(item.span()),
                                    format!("a synonym is {} bytes long", synonym.len()),
                                )
                                .with_hint(format!(
                                    "a synonym is another name of a few words, at most {MAX_SYNONYM_BYTES} bytes"
                                )),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Reports taxonomy terms (tags, categories, body regions) that have no
    /// letter or digit (their address would be empty: `tags = ["!!!"]`) or
    /// whose address is too long for a folder name.
    pub(crate) fn check_taxonomy_terms(&self, diagnostics: &mut Diagnostics) {
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

    /// Reads the front matter of a page of `kind`, reporting every
    /// unknown key, key of another kind, missing or empty title and bad
    /// value in one go; `None` when any of them was found.
    pub(crate) fn read_page(self, kind: Kind, diagnostics: &mut Diagnostics) -> Option<PageFrontMatter> {
        let before = diagnostics.error_count();
        let top = self.table.get_ref();
        for (key, _) in top.iter() {
            let name: &str = key.get_ref();
            let owners = kinds_taking(name);
            if owners.is_empty() || kind_takes(kind, name) {
                continue;
            }
            // The graph is written from the technique's side: an application
            // does not list its techniques, each technique names it.
            let hint = match (kind, name) {
                (Kind::Application, "techniques" | "applications") => {
                    "a clinical application does not list its techniques: add this page's slug to `applications` in each technique's front matter (a broader condition is `parent`)".to_string()
                }
                _ => format!("`{name}` belongs on {} pages; move it or set `kind`", owners.join(" and ")),
            };
            diagnostics.push(
                Diagnostic::error(
                    self.path,
                    self.position(key.span()),
                    format!("`{name}` is not a key of {} pages", kind.name()),
                )
                .with_hint(hint),
            );
        }
        let title = top.iter().find(|(key, _)| key.get_ref() == "title");
        if let Some((_, value)) = title
            && value.get_ref().as_str().is_some_and(|text| text.trim().is_empty())
        {
            diagnostics.push(
                Diagnostic::error(self.path, self.position(value.span()), "the title is empty").with_hint(
                    "every page needs a title: it is the page's heading, its name in lists and in search results",
                ),
            );
        }
        // A misspelt `titel` says it all, with the fix: no second error.
        let keys = page_keys("", kind);
        let misspelt_title = top.iter().any(|(key, _)| {
            let name: &str = key.get_ref();
            !keys.contains(&name) && closest(name, keys.iter().copied()) == Some("title")
        });
        if title.is_none() && !misspelt_title {
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
        let front = self.read_typed::<PageFrontMatter>(diagnostics, |table, name| {
            let place = if table.is_empty() {
                String::new()
            } else {
                format!(" in [[{table}]]")
            };
            let message = format!("unknown key `{name}`{place}");
            let hint = match closest(name, page_keys(table, kind)) {
                Some(best) => Some(format!("did you mean `{best}`?")),
                None => table
                    .is_empty()
                    .then(|| "put free-form values under [extra]".to_string()),
            };
            (message, hint)
        });
        front.filter(|_| diagnostics.error_count() == before)
    }

    /// Reads the front matter of a section's `_index.md`, reporting every
    /// unknown key and bad value; `None` when any was found.
    pub(crate) fn read_section(self, diagnostics: &mut Diagnostics) -> Option<SectionFrontMatter> {
        let before = diagnostics.error_count();
        let front = self.read_typed::<SectionFrontMatter>(diagnostics, |_, name| {
            let keys = field_names::<SectionFrontMatter>();
            let hint = match closest(name, keys.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => {
                    let plain: Vec<&str> = keys.iter().copied().filter(|key| *key != "extra").collect();
                    format!("sections accept {} and [extra]", plain.join(", "))
                }
            };
            (format!("unknown key `{name}` in a section's _index.md"), Some(hint))
        });
        front.filter(|_| diagnostics.error_count() == before)
    }

    /// Deserialises into `T`, reporting each key `T` does not take (as
    /// `unknown` words it: message and hint, from the key's table and
    /// name) and every bad value at its place in the file.
    fn read_typed<T: serde::de::DeserializeOwned>(
        self,
        diagnostics: &mut Diagnostics,
        unknown: impl Fn(&str, &str) -> (String, Option<String>),
    ) -> Option<T> {
        let (path, file_text, offset) = (self.path, self.file_text, self.offset);
        let reading = schema::read::<T, _>(self.fragment, self.table, |err, key| {
            crate::config::keyed_toml_error(path, file_text, offset, err, key)
        });
        for key in &reading.unknown {
            let (message, hint) = unknown(&key.table, &key.name);
            let position = Position::at(file_text, offset + key.span.start, key.span.len());
            let diagnostic = Diagnostic::error(path, position, message);
            diagnostics.push(match hint {
                Some(hint) => diagnostic.with_hint(hint),
                None => diagnostic,
            });
        }
        diagnostics.extend(reading.bad_values);
        reading.value
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
        assert!(table.read_page(Kind::Technique, &mut diagnostics).is_none());
        let found = diagnostics.sorted();
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].line, found[0].col), (3, 1));
        assert!(found[0].message.contains("not a key of technique pages"));
        assert_eq!(found[1].hint.as_deref(), Some("did you mean `applications`?"));
    }

    #[test]
    fn every_kind_key_is_a_field_of_the_front_matter() {
        let fields = field_names::<PageFrontMatter>();
        for (key, kinds) in KIND_KEYS {
            assert!(
                fields.contains(key),
                "`{key}` is in KIND_KEYS but no field of PageFrontMatter"
            );
            assert!(!kinds.is_empty(), "`{key}` is taken by no kind");
        }
        assert!(fields.contains(&"title") && fields.contains(&"faq"), "{fields:?}");
    }
}
