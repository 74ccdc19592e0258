//! Parse stage: every content file -> a typed [`Page`] or [`Section`].
//!
//! Files are parsed in parallel (rayon); each file's problems are collected,
//! never thrown, so one run reports every broken file. Slug clashes need all
//! pages, so they are checked after the parallel pass.

pub(crate) mod date;
pub(crate) mod front_matter;
pub(crate) mod highlight;
pub(crate) mod html_balance;
pub(crate) mod kind;
pub(crate) mod markdown;
pub(crate) mod page;
pub(crate) mod raw_html;
pub(crate) mod slug;

use std::collections::{BTreeMap, HashMap};

use toml::Spanned;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Position, Rule};
use crate::load::SourceFile;
use date::PageDate;
use front_matter::{FrontMatterTable, MAX_SYNONYM_BYTES, MAX_TITLE_CHARS, SplitFile};
use kind::Kind;
use markdown::{MarkdownOptions, MarkdownSource, parse_markdown};
pub(crate) use page::{DeclaredRelations, FaqEntry, FrontMatterPlaces, Page, Reference, Section, SlugRef};
use slug::{AnchorSet, MAX_SEGMENT_BYTES, overlong_segment, slugify};

/// All pages and sections of a site, pages in content-path order.
#[derive(Debug, Default)]
pub(crate) struct ParsedContent {
    pub(crate) pages: Vec<Page>,
    /// By section key (`""` for the home page); every ancestor folder of a
    /// page has a section, with or without `_index.md`.
    pub(crate) sections: BTreeMap<String, Section>,
    /// Pages the build leaves out (drafts, files with errors), so that a
    /// link to one is explained instead of reported as missing.
    pub(crate) left_out: Vec<LeftOut>,
}

/// A content page that is not in the site.
#[derive(Debug, Clone)]
pub(crate) struct LeftOut {
    /// `techniques/mirror-therapy.md` (the path under `content/`).
    pub(crate) content_path: String,
    pub(crate) slug: String,
    /// A draft; otherwise the file has errors of its own.
    pub(crate) draft: bool,
    /// For a page with errors: the applications its front matter names.
    pub(crate) applications: Vec<String>,
}

/// What one file parsed into.
#[derive(Debug, Clone)]
pub(crate) enum Parsed {
    Page(Box<Page>),
    Section(Box<Section>),
}

/// One content file's parse: its page or section (none when it is
/// broken) and its problems. `serve` keeps these between rebuilds.
#[derive(Debug, Clone)]
pub(crate) struct ParsedFile {
    /// The path under `content/`.
    pub(crate) content_path: String,
    pub(crate) parsed: Option<Parsed>,
    pub(crate) diagnostics: Diagnostics,
    /// For a page that failed: what its front matter still says of it.
    pub(crate) broken: Option<BrokenPage>,
}

/// What the front matter of a page with errors still says of the page, as
/// far as its TOML reads: so that links to it and relations from it are
/// not reported as broken too, and the only errors are about the mistake.
#[derive(Debug, Clone, Default)]
pub(crate) struct BrokenPage {
    /// `slug = "..."` when it set one.
    pub(crate) slug: Option<String>,
    /// `applications = [...]`, the slugs as written.
    pub(crate) applications: Vec<String>,
}

/// Parses every content file; drafts are dropped unless `drafts` is set.
#[cfg(test)]
pub(crate) fn parse_content(files: &[SourceFile], config: &Config, drafts: bool) -> (ParsedContent, Diagnostics) {
    let results: Vec<ParsedFile> = files.iter().map(|file| parse_one(file, config)).collect();
    assemble(results, drafts)
}

/// Parses one content file.
pub(crate) fn parse_one(file: &SourceFile, config: &Config) -> ParsedFile {
    let options = MarkdownOptions {
        smart_punctuation: config.markdown.smart_punctuation,
        unsafe_html: config.markdown.unsafe_html,
    };
    let mut diagnostics = Diagnostics::new();
    let parsed = parse_file(file, config, options, &mut diagnostics);
    // What markdown found says so; the rest is the front matter's.
    let diagnostics = diagnostics.tag(Rule::FrontMatter);
    let broken = (parsed.is_none() && !file.content_path.ends_with("_index.md")).then(|| broken_page(file));
    ParsedFile {
        content_path: file.content_path.clone(),
        parsed,
        diagnostics,
        broken,
    }
}

/// What a page that failed to parse still says of itself (its errors are
/// already reported).
fn broken_page(file: &SourceFile) -> BrokenPage {
    let Ok(split) = front_matter::split(&file.rel_path, &file.text) else {
        return BrokenPage::default();
    };
    let Ok(table) = FrontMatterTable::parse(&file.rel_path, &file.text, &split) else {
        return BrokenPage::default();
    };
    BrokenPage {
        slug: table.string_value("slug").filter(|slug| is_valid_slug(slug)),
        applications: table.strings_value("applications"),
    }
}

/// Gathers parsed files into pages and sections (every ancestor folder of a
/// page gets a section) and runs the checks that need all pages.
pub(crate) fn assemble(results: impl IntoIterator<Item = ParsedFile>, drafts: bool) -> (ParsedContent, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let mut content = ParsedContent::default();
    for ParsedFile {
        content_path,
        parsed,
        diagnostics: file_diagnostics,
        broken,
    } in results
    {
        diagnostics.extend(file_diagnostics);
        match parsed {
            Some(Parsed::Page(page)) if drafts || !page.front.draft => content.pages.push(*page),
            Some(Parsed::Page(page)) => content.left_out.push(LeftOut {
                content_path,
                slug: page.slug,
                draft: true,
                applications: Vec::new(),
            }),
            Some(Parsed::Section(section)) => {
                content.sections.insert(section.key.clone(), *section);
            }
            None if !content_path.ends_with("_index.md") => {
                // The slug it would most likely have had: its file name.
                let name = content_path.rsplit('/').next().unwrap_or(&content_path);
                let broken = broken.unwrap_or_default();
                content.left_out.push(LeftOut {
                    slug: broken.slug.unwrap_or_else(|| name.trim_end_matches(".md").to_string()),
                    content_path,
                    draft: false,
                    applications: broken.applications,
                });
            }
            None => {}
        }
    }
    let folders: Vec<String> = content.pages.iter().map(|p| p.section.clone()).collect();
    for folder in folders {
        let mut key = folder.as_str();
        loop {
            content
                .sections
                .entry(key.to_string())
                .or_insert_with(|| Section::implicit(key));
            match key.rfind('/') {
                Some(i) => key = &key[..i],
                None if !key.is_empty() => key = "",
                None => break,
            }
        }
    }
    content
        .sections
        .entry(String::new())
        .or_insert_with(|| Section::implicit(""));
    check_slug_clashes(&content.pages, &mut diagnostics);
    (content, diagnostics.tag(Rule::AddressClash))
}

fn parse_file(
    file: &SourceFile,
    config: &Config,
    options: MarkdownOptions,
    diagnostics: &mut Diagnostics,
) -> Option<Parsed> {
    let path = file.rel_path.as_str();
    let text = &*file.text;
    let split = match front_matter::split(path, text) {
        Ok(split) => split,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    let table = match FrontMatterTable::parse(path, text, &split) {
        Ok(table) => table,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    table.check_control_characters(diagnostics);
    table.check_taxonomy_terms(diagnostics);
    table.check_name_lengths(diagnostics);
    front_matter::check_body_controls(path, text, &split, diagnostics);
    let (folder, file_name) = match file.content_path.rsplit_once('/') {
        Some((folder, name)) => (folder, name),
        None => ("", file.content_path.as_str()),
    };
    if file_name == "_index.md" {
        parse_section(folder, file, &split, table, options, diagnostics).map(|s| Parsed::Section(Box::new(s)))
    } else {
        parse_page(folder, file_name, file, &split, table, config, options, diagnostics)
            .map(|p| Parsed::Page(Box::new(p)))
    }
}

fn parse_section(
    folder: &str,
    file: &SourceFile,
    split: &SplitFile<'_>,
    table: FrontMatterTable<'_>,
    options: MarkdownOptions,
    diagnostics: &mut Diagnostics,
) -> Option<Section> {
    let front = table.read_section(diagnostics)?;
    let mut section = Section::implicit(folder);
    let source = MarkdownSource::new(&file.rel_path, &file.text, split.body_offset, true);
    section.intro = parse_markdown(split.body, source, options, &mut AnchorSet::for_page(), diagnostics);
    section.rel_path = Some(file.rel_path.clone());
    if let Some(title) = front.title {
        section.title = title;
    }
    section.description = front.description;
    section.sort_by = front.sort_by.unwrap_or(section.sort_by);
    section.paginate_by = front.paginate_by.filter(|n| *n > 0);
    section.weight = front.weight;
    section.extra = front.extra;
    Some(section)
}

#[allow(clippy::too_many_arguments)]
fn parse_page(
    folder: &str,
    file_name: &str,
    file: &SourceFile,
    split: &SplitFile<'_>,
    table: FrontMatterTable<'_>,
    config: &Config,
    options: MarkdownOptions,
    diagnostics: &mut Diagnostics,
) -> Option<Page> {
    let path = file.rel_path.as_str();
    let top_folder = folder.split('/').next().unwrap_or("");
    let mut kind = Kind::from_folder(top_folder);
    if let Some((name, position)) = table.kind_override() {
        match Kind::from_name(&name) {
            Some(named) => kind = named,
            None => {
                let names = Kind::ALL.map(Kind::name);
                let mut diagnostic = Diagnostic::error(path, position, format!("unknown kind `{name}`"));
                diagnostic = match crate::diagnostics::closest(&name, names) {
                    Some(best) => diagnostic.with_hint(format!("did you mean `{best}`?")),
                    None => diagnostic.with_hint(format!("kinds are {}", names.join(", "))),
                };
                diagnostics.push(diagnostic);
                return None;
            }
        }
    }
    let place = FilePlace {
        path,
        text: &file.text,
        offset: split.front_matter_offset,
    };
    let mut front = table.read_page(kind, diagnostics)?;
    let mut title = front.title.clone().expect("read_page reports a missing title");
    // A title or synonym too long was reported (`check_name_lengths`); the
    // page goes on without it, so that the matchers made of every page's
    // names stay fast to build while the run reports the rest.
    front.synonyms.retain(|synonym| synonym.len() <= MAX_SYNONYM_BYTES);
    if let Some((cut, _)) = title.get_ref().char_indices().nth(MAX_TITLE_CHARS) {
        title.get_mut().truncate(cut);
    }

    let stem = file_name.trim_end_matches(".md");
    // A rejected slug fails the run, but the page goes on with its file
    // name's, so that its other problems come in the same run and links to
    // it are not reported as broken.
    let slug = match &front.slug {
        Some(written) if !is_valid_slug(written.get_ref()) => {
            diagnostics.push(
                Diagnostic::error(
                    path,
                    place.position(written.span()),
                    format!("slug `{}` is not a valid slug", written.get_ref()),
                )
                .with_hint("a slug may hold letters, digits, `-` and `_`, such as \"mirror-therapy\""),
            );
            stem.to_string()
        }
        Some(written) if overlong_segment(written.get_ref()).is_some() => {
            diagnostics.push(
                Diagnostic::error(
                    path,
                    place.position(written.span()),
                    format!(
                        "slug is {} bytes long, more than an address can hold",
                        written.get_ref().len()
                    ),
                )
                .with_hint(format!("keep a slug under {MAX_SEGMENT_BYTES} bytes: a few words")),
            );
            stem.to_string()
        }
        Some(written) => written.get_ref().clone(),
        None => {
            // A file name becomes the address as it is; one that a slug may
            // not hold (a space, `?`, `#`) makes an address to type as
            // `%20`, or a broken one.
            if !is_valid_slug(stem) {
                diagnostics.push(
                    Diagnostic::warning(
                        path,
                        Position::START,
                        format!("the file name `{stem}` puts characters in the page's address that it should not hold"),
                    )
                    .with_hint(format!(
                        "rename the file with letters, digits and dashes ({}.md), or set slug = \"...\"",
                        slugify(stem)
                    )),
                );
            }
            stem.to_string()
        }
    };
    let page_path = if folder.is_empty() {
        format!("/{slug}/")
    } else {
        format!("/{folder}/{slug}/")
    };

    let date = place.date(front.date.as_ref(), "date", diagnostics);
    let updated = place.date(front.updated.as_ref(), "updated", diagnostics);
    let last_reviewed = place.date(front.last_reviewed.as_ref(), "last_reviewed", diagnostics);

    let mut anchors = AnchorSet::for_page();
    let faq = front
        .faq
        .iter()
        .map(|entry| {
            // A question of punctuation only still gets a readable anchor.
            let slug = slugify(entry.question.get_ref());
            let anchor = anchors.unique(&format!("faq-{}", if slug.is_empty() { "question" } else { &slug }));
            let span = entry.answer.span();
            // Positions inside the answer are exact when its text is written
            // as is (no escapes); otherwise they point at the value.
            let inner = split
                .front_matter
                .get(span.clone())
                .and_then(|raw| string_body_offset(raw, entry.answer.get_ref()));
            let source = MarkdownSource::new(
                path,
                &file.text,
                split.front_matter_offset + span.start + inner.unwrap_or(0),
                inner.is_some(),
            );
            // Headings in answers share the page's anchors.
            let answer = parse_markdown(entry.answer.get_ref(), source, options, &mut anchors, diagnostics);
            FaqEntry {
                question: entry.question.get_ref().clone(),
                question_offset: split.front_matter_offset + entry.question.span().start,
                anchor,
                answer,
            }
        })
        .collect();
    let source = MarkdownSource::new(path, &file.text, split.body_offset, true);
    let body = parse_markdown(split.body, source, options, &mut anchors, diagnostics);

    let slug_refs = |values: &[Spanned<String>]| -> Vec<SlugRef> { values.iter().map(|v| place.slug_ref(v)).collect() };
    let at = |span: std::ops::Range<usize>| split.front_matter_offset + span.start;
    let places = FrontMatterPlaces {
        title: at(title.span()),
        description: front.description.as_ref().map(|d| at(d.span())),
        reviewed_by: front.reviewed_by.as_ref().map(|r| at(r.span())),
        last_reviewed: front.last_reviewed.as_ref().map(|d| at(d.span())),
        slug: front.slug.as_ref().map(|s| place.position(s.span())),
        categories: front.categories.iter().map(|c| place.position(c.span())).collect(),
        tags: front.tags.iter().map(|t| place.position(t.span())).collect(),
    };
    Some(Page {
        rel_path: path.to_string(),
        kind,
        section: folder.to_string(),
        slug,
        path: page_path,
        title: title.into_inner(),
        description: front
            .description
            .as_ref()
            .map(|d| d.get_ref().clone())
            .filter(|d| !d.trim().is_empty()),
        date,
        updated,
        last_reviewed,
        aliases: front
            .aliases
            .iter()
            .map(|a| (a.get_ref().clone(), place.position(a.span())))
            .collect(),
        categories: front.categories.iter().map(|c| c.get_ref().clone()).collect(),
        tags: front.tags.iter().map(|t| t.get_ref().clone()).collect(),
        audience: front.audience.unwrap_or(config.default_audience),
        reviewed_by: front
            .reviewed_by
            .as_ref()
            .map(|r| r.get_ref().clone())
            .filter(|r| !r.trim().is_empty()),
        faq,
        references: front
            .references
            .iter()
            .map(|r| Reference {
                title: r.title.clone(),
                url: r.url.clone().and_then(|url| place.reference_url(url, diagnostics)),
                doi: r.doi.clone().and_then(|doi| place.reference_doi(doi, diagnostics)),
                pmid: r.pmid.clone().and_then(|pmid| place.reference_pmid(pmid, diagnostics)),
                year: r.year,
            })
            .collect(),
        relations: DeclaredRelations {
            applications: slug_refs(&front.applications),
            techniques: slug_refs(&front.techniques),
            parent: front.parent.as_ref().map(|p| place.slug_ref(p)),
        },
        body,
        places,
        front,
    })
}

/// Where the text of a TOML string starts inside its raw form (`raw` with
/// its quotes), when the raw text between the quotes is `value` itself: a
/// string without escapes, so each byte of the value has its place.
fn string_body_offset(raw: &str, value: &str) -> Option<usize> {
    let quotes = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    let inner = raw.get(quotes..raw.len().checked_sub(quotes)?)?;
    // A multi-line string drops the line break right after its opening quotes.
    let (skip, inner) = match inner.strip_prefix('\n') {
        Some(rest) if quotes == 3 => (1, rest),
        _ => (0, inner),
    };
    (inner == value).then_some(quotes + skip)
}

/// Whether `doi` (bare) has a DOI's shape: `10.`, the registrant's digits
/// (dots allowed), `/`, and a suffix without spaces.
fn is_doi(doi: &str) -> bool {
    let Some((registrant, suffix)) = doi.strip_prefix("10.").and_then(|rest| rest.split_once('/')) else {
        return false;
    };
    !registrant.is_empty()
        && registrant.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !suffix.is_empty()
        && !suffix.contains(char::is_whitespace)
}

/// A slug becomes one URL segment: no `/`, no `..`, no spaces.
fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty() && slug.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// Where a front matter fragment sits in its file, to place typed values.
struct FilePlace<'a> {
    path: &'a str,
    text: &'a str,
    offset: usize,
}

impl FilePlace<'_> {
    fn position(&self, span: std::ops::Range<usize>) -> Position {
        Position::at(self.text, self.offset + span.start, span.len())
    }

    fn slug_ref(&self, value: &Spanned<String>) -> SlugRef {
        SlugRef {
            slug: value.get_ref().clone(),
            position: self.position(value.span()),
        }
    }

    /// A reference's address, unless following it would run a script.
    fn reference_url(&self, url: Spanned<String>, diagnostics: &mut Diagnostics) -> Option<String> {
        if !crate::text::is_script_url(url.get_ref()) {
            return Some(url.into_inner());
        }
        diagnostics.push(
            Diagnostic::error(
                self.path,
                self.position(url.span()),
                format!("reference url `{}` would run a script", url.get_ref()),
            )
            .with_hint("give the web address of the source, such as \"https://pubmed.ncbi.nlm.nih.gov/12345678/\""),
        );
        None
    }

    /// A reference's DOI, bare (`10.1000/xyz`) however it was written
    /// (`doi:10...`, a doi.org URL); `None` with an error when it is no
    /// DOI, which would make a dead link.
    fn reference_doi(&self, doi: Spanned<String>, diagnostics: &mut Diagnostics) -> Option<String> {
        let written = doi.get_ref().trim();
        let bare = ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"]
            .iter()
            .find_map(|prefix| written.strip_prefix(prefix))
            .unwrap_or(written)
            .trim();
        if is_doi(bare) {
            return Some(bare.to_string());
        }
        diagnostics.push(
            Diagnostic::error(self.path, self.position(doi.span()), format!("doi `{written}` is not a DOI"))
                .with_hint("a DOI starts with 10. and holds a /, such as \"10.1161/STR.0000000000000098\"; the paper's page gives it"),
        );
        None
    }

    /// A reference's PubMed id (a number, written as one or as a string);
    /// `None` with an error for anything else, which would make a dead link.
    fn reference_pmid(&self, pmid: Spanned<toml::Value>, diagnostics: &mut Diagnostics) -> Option<String> {
        let text = match pmid.get_ref() {
            toml::Value::String(text) => text.trim().to_string(),
            other => other.to_string(),
        };
        if !text.is_empty() && text.len() <= 10 && text.bytes().all(|b| b.is_ascii_digit()) && text != "0" {
            return Some(text);
        }
        diagnostics.push(
            Diagnostic::error(
                self.path,
                self.position(pmid.span()),
                format!("pmid `{text}` is not a PubMed id"),
            )
            .with_hint("a PMID is the number in the paper's PubMed address, such as 31234567"),
        );
        None
    }

    fn date(&self, value: Option<&Spanned<toml::Value>>, key: &str, diagnostics: &mut Diagnostics) -> Option<PageDate> {
        let value = value?;
        match PageDate::from_toml(value.get_ref()) {
            Ok(date) => Some(date),
            Err(reason) => {
                diagnostics.push(
                    Diagnostic::error(self.path, self.position(value.span()), format!("bad `{key}`: {reason}"))
                        .with_hint("write dates as 2025-12-14 or 2025-12-14T09:30:00Z"),
                );
                None
            }
        }
    }
}

/// Two pages of one kind with the same slug would fight over links.
fn check_slug_clashes(pages: &[Page], diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<(Kind, &str), &Page> = HashMap::new();
    let mut paths: HashMap<&str, &Page> = HashMap::new();
    for page in pages {
        // At `slug = ...` when the page sets one, else at the top.
        let at = page.places.slug.unwrap_or(Position::START);
        if let Some(first) = seen.insert((page.kind, page.slug.as_str()), page) {
            diagnostics.push(
                Diagnostic::error(
                    &page.rel_path,
                    at,
                    format!(
                        "slug `{}` is already used by {} ({} pages need unique slugs)",
                        page.slug,
                        first.rel_path,
                        page.kind.name()
                    ),
                )
                .with_hint("rename one of the files or set a different `slug` in its front matter"),
            );
        } else if let Some(first) = paths.insert(page.path.as_str(), page) {
            diagnostics.push(
                Diagnostic::error(
                    &page.rel_path,
                    at,
                    format!("address {} is already used by {}", page.path, first.rel_path),
                )
                .with_hint("set a different `slug` in one of them"),
            );
        }
    }
}

/// Parses in-memory files (`content/...` path, full text) for unit tests.
#[cfg(test)]
pub(crate) fn parse_for_test(files: &[(&str, &str)]) -> (ParsedContent, Diagnostics) {
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|(path, text)| SourceFile {
            rel_path: path.to_string(),
            content_path: path.trim_start_matches("content/").to_string(),
            text: (*text).into(),
        })
        .collect();
    let config = Config::parse("title = 'Test'\nbase_url = 'https://example.org'").expect("the test config is valid");
    parse_content(&sources, &config, false)
}

#[cfg(test)]
mod tests {
    use super::string_body_offset;

    #[test]
    fn string_bodies_are_placed_only_when_written_as_is() {
        assert_eq!(string_body_offset("\"See [[x]].\"", "See [[x]]."), Some(1));
        assert_eq!(string_body_offset("'See'", "See"), Some(1));
        assert_eq!(string_body_offset("\"\"\"\nLine\"\"\"", "Line"), Some(4));
        assert_eq!(string_body_offset("'''Line'''", "Line"), Some(3));
        assert_eq!(string_body_offset("\"A \\\"b\\\"\"", "A \"b\""), None);
        assert_eq!(string_body_offset("\"", ""), None);
    }
}
