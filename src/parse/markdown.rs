//! Markdown body -> a list of owned pulldown-cmark events, parsed once.
//!
//! The events are kept (not HTML) because the link stage still has to rewrite
//! cross-links on the parsed structure once every page is known; the render
//! stage then turns them into HTML in one pass. While parsing we already:
//! give every heading a unique id (docs/site-format.md, "Anchors"), collect the table of
//! contents, highlight fenced code, clean unsafe raw HTML, note where each
//! cross-link stands, and gather the prose text (for summaries, word counts
//! and, later, search and readability).
//!
//! For `praxis check` we also note, as byte offsets into the file, where each
//! block of prose, heading, image and raw HTML fragment starts. Offsets are
//! cheap to keep; turning them into line and column costs a scan of the file,
//! so that happens only for the few places a diagnostic is printed.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Position, PositionFinder, Rule};
use crate::parse::highlight::highlight_code;
use crate::parse::raw_html::clean_raw_html;
use crate::parse::slug::{AnchorSet, THEME_IDS, slugify};
use crate::text::is_script_url;

const TABLE_WRAP_OPEN: &str = "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">\n";

/// Markdown options that come from `site.toml`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MarkdownOptions {
    pub(crate) smart_punctuation: bool,
    pub(crate) unsafe_html: bool,
}

/// A heading of a page, with its final id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) title: String,
    /// Byte offset of the heading in its file.
    #[serde(skip)]
    pub(crate) offset: usize,
    /// Whether anything but another heading follows before the next heading
    /// (or the end): a heading without it heads an empty section unless a
    /// deeper heading follows.
    #[serde(skip)]
    pub(crate) has_content: bool,
}

/// What a block of [`ParsedMarkdown::text`] is, so readability reads only
/// sentences: paragraphs and list items, not headings or table cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Prose,
    Heading,
    TableCell,
}

/// Where a block of text starts, in [`ParsedMarkdown::text`] and in the file.
/// A block's text runs to the start of the next block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextBlock {
    pub(crate) kind: BlockKind,
    /// Byte offset in `text` (refreshed with the text after link rewriting).
    pub(crate) text_start: usize,
    /// Byte offset of the block in its file.
    pub(crate) offset: usize,
}

/// A markdown image `![alt](src)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageRef {
    pub(crate) src: String,
    pub(crate) has_alt: bool,
    /// Byte offset of the image in its file.
    pub(crate) offset: usize,
}

/// A fragment of raw HTML as it will be published (after the guard removed
/// what may not run), for the third-party check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawHtml {
    pub(crate) html: String,
    /// Byte offset of the fragment in its file.
    pub(crate) offset: usize,
}

/// How a cross-link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkStyle {
    /// `[[target]]` or `[[target|text]]`; `has_text` when `|text` was given.
    Wiki { has_text: bool },
    /// `[text](@/path/under/content.md#anchor)`.
    ContentPath,
}

/// A cross-link still to resolve: which event it is and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PendingLink {
    /// Index of the `Start(Link)` event in [`ParsedMarkdown::events`].
    pub(crate) event_index: usize,
    /// The target as written: `mirror-therapy#how-it-works`, `@/techniques/x.md`.
    pub(crate) target: String,
    pub(crate) style: LinkStyle,
    pub(crate) position: Position,
}

/// A parsed markdown text.
#[derive(Debug, Clone, Default)]
pub(crate) struct ParsedMarkdown {
    pub(crate) events: Vec<Event<'static>>,
    pub(crate) headings: Vec<Heading>,
    pub(crate) links: Vec<PendingLink>,
    /// Prose text without code, for summaries, search and readability.
    pub(crate) text: String,
    /// Where each h2 starts in `text`: (index in `headings`, byte offset),
    /// so search can cut a long page into its sections.
    pub(crate) h2_offsets: Vec<(usize, usize)>,
    pub(crate) word_count: usize,
    /// The blocks of `text`, in order.
    pub(crate) blocks: Vec<TextBlock>,
    pub(crate) images: Vec<ImageRef>,
    pub(crate) raw_html: Vec<RawHtml>,
}

/// Where a markdown text sits in its file, for diagnostics.
#[derive(Debug)]
pub(crate) struct MarkdownSource<'a> {
    pub(crate) path: &'a str,
    /// Places in the file's text.
    pub(crate) positions: PositionFinder<'a>,
    /// Byte offset of the markdown in the file. For FAQ answers written as TOML
    /// strings, the offset of the string value (close enough to find it).
    pub(crate) offset: usize,
    /// Whether byte offsets inside the markdown map 1:1 onto the file. They do
    /// for the body; a TOML string's escapes break that, so FAQ answers point
    /// at the value's start.
    pub(crate) exact: bool,
}

impl<'a> MarkdownSource<'a> {
    pub(crate) fn new(path: &'a str, file_text: &'a str, offset: usize, exact: bool) -> Self {
        MarkdownSource {
            path,
            positions: PositionFinder::new(file_text),
            offset,
            exact,
        }
    }

    fn position(&self, range: &Range<usize>) -> Position {
        if self.exact {
            self.positions.at(self.offset + range.start, range.len())
        } else {
            self.positions.at(self.offset, 1)
        }
    }

    /// The byte offset in the file of `range` in the markdown.
    fn file_offset(&self, range: &Range<usize>) -> usize {
        if self.exact {
            self.offset + range.start
        } else {
            self.offset
        }
    }
}

/// The blocks whose text readability and checks tell apart. Parse and
/// [`ParsedMarkdown::refresh_text`] both use this, so the n-th block start
/// event always pairs with the n-th [`TextBlock`].
fn block_kind(tag: &Tag<'_>) -> Option<BlockKind> {
    match tag {
        Tag::Paragraph | Tag::Item | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) => Some(BlockKind::Prose),
        Tag::Heading { .. } => Some(BlockKind::Heading),
        Tag::TableCell => Some(BlockKind::TableCell),
        _ => None,
    }
}

/// A markdown image needs words for people who cannot see it; a
/// decorative one is written as `<img src=".." alt="">`, which says so.
fn missing_alt_warning(source: &MarkdownSource<'_>, image: &ImageRef, range: &Range<usize>) -> Diagnostic {
    let position = source.position(&(range.start..range.start + 2));
    Diagnostic::warning(source.path, position, format!("image `{}` has no alt text", image.src))
        .with_rule(crate::diagnostics::Rule::ImageAlt)
        .with_hint("describe what the image shows in the brackets: ![A therapist guiding a patient's arm](photo.jpg); for a purely decorative image write <img src=\"photo.jpg\" alt=\"\">")
}

fn parser_options(options: MarkdownOptions) -> Options {
    let mut flags = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS;
    if options.smart_punctuation {
        flags |= Options::ENABLE_SMART_PUNCTUATION;
    }
    flags
}

/// Parses `markdown`; `anchors` holds ids already used on the page (FAQ
/// anchors) so headings never collide with them.
pub(crate) fn parse_markdown(
    markdown: &str,
    source: MarkdownSource<'_>,
    options: MarkdownOptions,
    anchors: &mut AnchorSet,
    diagnostics: &mut Diagnostics,
) -> ParsedMarkdown {
    let mut out = ParsedMarkdown::default();
    let mut events = Parser::new_ext(markdown, parser_options(options))
        .into_offset_iter()
        .peekable();
    let mut open_image: Option<usize> = None;
    while let Some((event, range)) = events.next() {
        match &event {
            Event::Start(tag) => {
                if let Some(kind) = block_kind(tag) {
                    out.blocks.push(TextBlock {
                        kind,
                        text_start: 0,
                        offset: source.file_offset(&range),
                    });
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some(image) = open_image.and_then(|i| out.images.get(i))
                    && !image.has_alt
                {
                    diagnostics.push(missing_alt_warning(&source, image, &range));
                }
                open_image = None;
            }
            Event::Text(text) if open_image.is_some() && !text.trim().is_empty() => {
                if let Some(image) = open_image.and_then(|i| out.images.get_mut(i)) {
                    image.has_alt = true;
                }
            }
            _ => {}
        }
        if !matches!(event, Event::Start(Tag::Heading { .. }) | Event::End(_))
            && let Some(heading) = out.headings.last_mut()
        {
            heading.has_content = true;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let mut inner = Vec::new();
                let mut title = String::new();
                for (event, inner_range) in events.by_ref() {
                    if matches!(event, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    if let Event::Text(text) | Event::Code(text) = &event {
                        title.push_str(text);
                    }
                    // A heading's raw HTML and links get the same guards as
                    // the body's.
                    let event = match event {
                        Event::Html(html) | Event::InlineHtml(html) => {
                            let html = guard_html(html.to_string(), &source, &inner_range, options, diagnostics);
                            out.raw_html.push(RawHtml {
                                html: html.clone(),
                                offset: source.file_offset(&inner_range),
                            });
                            Event::InlineHtml(html.into())
                        }
                        Event::Start(tag) => {
                            Event::Start(guard_tag_url(tag, &source, &inner_range, options, diagnostics))
                        }
                        other => other,
                    };
                    inner.push(event.into_static());
                }
                let id = match id {
                    Some(custom) if anchors.is_taken(&custom) => {
                        let unique = anchors.unique(&custom);
                        let owner = if THEME_IDS.contains(&custom.as_ref()) {
                            "the theme's own"
                        } else {
                            "already used on this page"
                        };
                        diagnostics.push(
                            Diagnostic::warning(
                                source.path,
                                source.position(&range),
                                format!("heading id `#{custom}` is {owner}; this heading gets `#{unique}`"),
                            )
                            .with_hint("give the heading a different {#id}")
                            .with_rule(Rule::Markdown),
                        );
                        unique
                    }
                    Some(custom) => {
                        anchors.claim(&custom);
                        custom.to_string()
                    }
                    None => anchors.unique(&slugify(&title)),
                };
                out.headings.push(Heading {
                    level: heading_number(level),
                    id: id.clone(),
                    title,
                    offset: source.file_offset(&range),
                    has_content: false,
                });
                out.events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes: classes.into_iter().map(CowStr::into_static).collect(),
                    attrs: attrs
                        .into_iter()
                        .map(|(k, v)| (k.into_static(), v.map(CowStr::into_static)))
                        .collect(),
                }));
                out.events.extend(inner);
                out.events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for (event, _) in events.by_ref() {
                    match event {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(text) => code.push_str(&text),
                        _ => {}
                    }
                }
                out.events.push(Event::Html(highlight_code(&code, &lang).into()));
            }
            Event::Start(Tag::HtmlBlock) => {
                let mut html = String::new();
                let mut block_range = range.clone();
                for (event, inner_range) in events.by_ref() {
                    match event {
                        Event::End(TagEnd::HtmlBlock) => break,
                        Event::Html(text) | Event::InlineHtml(text) | Event::Text(text) => {
                            html.push_str(&text);
                            block_range.end = inner_range.end;
                        }
                        _ => {}
                    }
                }
                let html = guard_html(html, &source, &block_range, options, diagnostics);
                out.raw_html.push(RawHtml {
                    html: html.clone(),
                    offset: source.file_offset(&block_range),
                });
                out.events.push(Event::Html(html.into()));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let html = guard_html(html.to_string(), &source, &range, options, diagnostics);
                out.raw_html.push(RawHtml {
                    html: html.clone(),
                    offset: source.file_offset(&range),
                });
                out.events.push(Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = guard_url(dest_url, &source, &range, options, diagnostics);
                open_image = Some(out.images.len());
                out.images.push(ImageRef {
                    src: dest_url.to_string(),
                    has_alt: false,
                    offset: source.file_offset(&range),
                });
                out.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest_url.into_static(),
                    title: title.into_static(),
                    id: id.into_static(),
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = guard_url(dest_url, &source, &range, options, diagnostics);
                let style = match link_type {
                    // `[[stroke|]]`: a pipe with nothing after it reads as
                    // no text of its own, so the link shows the page title.
                    LinkType::WikiLink { has_pothole } => Some(LinkStyle::Wiki {
                        has_text: has_pothole
                            && !matches!(events.peek(), Some((Event::End(TagEnd::Link), _)))
                            && !matches!(events.peek(), Some((Event::Text(text), _)) if text.is_empty()),
                    }),
                    _ if dest_url.starts_with("@/") => Some(LinkStyle::ContentPath),
                    _ => None,
                };
                if let Some(style) = style {
                    out.links.push(PendingLink {
                        event_index: out.events.len(),
                        target: dest_url.to_string(),
                        style,
                        position: source.position(&range),
                    });
                }
                out.events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest_url.into_static(),
                    title: title.into_static(),
                    id: id.into_static(),
                }));
            }
            Event::Text(text) => {
                out.events.push(Event::Text(text.into_static()));
            }
            // Wide tables scroll inside a focusable region, so keyboard users
            // can scroll them too (WCAG 2.1.1).
            Event::Start(Tag::Table(alignments)) => {
                out.events.push(Event::Html(TABLE_WRAP_OPEN.into()));
                out.events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                out.events.push(Event::End(TagEnd::Table));
                out.events.push(Event::Html("</div>\n".into()));
            }
            other => out.events.push(other.into_static()),
        }
    }
    name_footnotes(&mut out.events, anchors);
    warn_unbalanced_html(&out.raw_html, &source, diagnostics);
    out.refresh_text();
    out
}

/// Raw HTML that leaves an element open, or closes one it did not open,
/// breaks the page around it: a warning at the tag.
fn warn_unbalanced_html(raw_html: &[RawHtml], source: &MarkdownSource<'_>, diagnostics: &mut Diagnostics) {
    let fragments = raw_html.iter().map(|raw| (raw.html.as_str(), raw.offset));
    for problem in crate::parse::html_balance::unbalanced(fragments) {
        let offset = if source.exact { problem.offset } else { source.offset };
        let position = source.positions.at(offset, problem.tag.len());
        let tag = &problem.tag;
        let diagnostic = if problem.left_open {
            let close = tag.replacen('<', "</", 1);
            Diagnostic::warning(source.path, position, format!("raw HTML opens {tag} here and never closes it"))
                .with_hint(format!(
                    "close it with {close} in the same text; an element left open takes in what follows it on the page, the theme's footer too"
                ))
        } else {
            Diagnostic::warning(source.path, position, format!("raw HTML closes {tag} here, which it did not open"))
                .with_hint("remove it, or open the element first in the same text; a stray end tag closes one of the theme's own elements")
        };
        diagnostics.push(diagnostic.with_rule(Rule::Markdown));
    }
}

/// Footnote labels become ids unique on the page (`[^1]` -> `#fn-1`): the
/// label as written is the id pulldown-cmark gives, which would repeat in
/// another markdown part of the same page (a FAQ answer's own `[^1]`) or
/// take a heading's or the theme's id (`[^main-content]`). The numbers
/// shown follow the order of first use either way.
fn name_footnotes(events: &mut [Event<'static>], anchors: &mut AnchorSet) {
    let mut ids: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for event in events.iter_mut() {
        let (Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label))) = event else {
            continue;
        };
        let id = ids
            .entry(label.to_string())
            .or_insert_with(|| {
                let slug = slugify(label);
                anchors.unique(&format!("fn-{}", if slug.is_empty() { "note" } else { &slug }))
            })
            .clone();
        *label = id.into();
    }
}

impl ParsedMarkdown {
    /// Recomputes the prose text and word count from the events: once after
    /// parsing, and again after the link stage replaced default link texts
    /// (`[[mirror-therapy]]` reads "Mirror therapy"), so the text always says
    /// what the page shows.
    pub(crate) fn refresh_text(&mut self) {
        let mut text = String::with_capacity(self.text.len().max(256));
        self.h2_offsets.clear();
        let mut heading_index = 0;
        let mut block_index = 0;
        for event in &self.events {
            if let Event::Start(tag) = event
                && block_kind(tag).is_some()
            {
                if let Some(block) = self.blocks.get_mut(block_index) {
                    block.text_start = text.len();
                }
                block_index += 1;
            }
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    if *level == HeadingLevel::H2 {
                        self.h2_offsets.push((heading_index, text.len()));
                    }
                    heading_index += 1;
                }
                // Text events split at inline markup, entities and smart
                // quotes, inside words too ("**B**alance", "re<em>hab</em>"):
                // they join as they are, and only breaks part words.
                Event::Text(fragment) => text.push_str(fragment),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                Event::InlineHtml(html) if is_line_break(html) => text.push(' '),
                Event::End(
                    TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_) | TagEnd::Heading(_),
                ) => text.push('\n'),
                _ => {}
            }
        }
        self.word_count = text.split_whitespace().count();
        self.text = text;
    }
}

/// `<br>`, `<br/>` or `<BR />`: raw HTML that parts words as a break does.
fn is_line_break(html: &str) -> bool {
    let tag = html.trim_start_matches('<').trim_start();
    tag.get(..2).is_some_and(|name| name.eq_ignore_ascii_case("br"))
        && !tag[2..].starts_with(|c: char| c.is_ascii_alphanumeric())
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Removes what could run code or reach a third party from raw HTML, with a
/// warning, unless the site opted into unsafe HTML (docs/site-format.md, "Markdown and raw HTML").
fn guard_html(
    html: String,
    source: &MarkdownSource<'_>,
    range: &Range<usize>,
    options: MarkdownOptions,
    diagnostics: &mut Diagnostics,
) -> String {
    if options.unsafe_html {
        return html;
    }
    let (cleaned, removed) = clean_raw_html(&html);
    for removal in removed {
        // The event's HTML is the source text of `range` (for the body), so
        // the offset within it places the warning on its own line.
        let at = (range.start + removal.at).min(range.end.max(range.start));
        let what = removal.what;
        diagnostics.push(
            Diagnostic::warning(source.path, source.position(&(at..at + 1)), format!("removed {what} from raw HTML"))
                .with_hint("raw HTML may not run scripts or load third-party content; set [markdown] unsafe_html = true to allow it")
                .with_rule(Rule::Markdown),
        );
    }
    cleaned
}

/// A link or image address that would run script (`javascript:`...)
/// becomes `#`, with a warning, unless the site opted into unsafe HTML.
fn guard_url<'a>(
    url: CowStr<'a>,
    source: &MarkdownSource<'_>,
    range: &Range<usize>,
    options: MarkdownOptions,
    diagnostics: &mut Diagnostics,
) -> CowStr<'a> {
    if options.unsafe_html || !is_script_url(&url) {
        return url;
    }
    let shown: String = url.chars().take(40).collect();
    diagnostics.push(
        Diagnostic::warning(
            source.path,
            source.position(range),
            format!("removed the script address `{shown}` from a link"),
        )
        .with_hint("a link may not run a script; link to a page or to a web address (https://...)")
        .with_rule(Rule::Markdown),
    );
    CowStr::Borrowed("#")
}

/// A link or image tag with its address through [`guard_url`]; any other
/// tag as it is.
fn guard_tag_url<'a>(
    tag: Tag<'a>,
    source: &MarkdownSource<'_>,
    range: &Range<usize>,
    options: MarkdownOptions,
    diagnostics: &mut Diagnostics,
) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: guard_url(dest_url, source, range, options, diagnostics),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: guard_url(dest_url, source, range, options, diagnostics),
            title,
            id,
        },
        other => other,
    }
}

/// Table-of-contents entry: an h2 with its h3s.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TocEntry {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) children: Vec<TocEntry>,
}

/// The h2/h3 outline of a page.
pub(crate) fn table_of_contents(headings: &[Heading]) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for heading in headings.iter().filter(|h| h.level == 2 || h.level == 3) {
        let entry = TocEntry {
            level: heading.level,
            id: heading.id.clone(),
            title: heading.title.clone(),
            children: Vec::new(),
        };
        match (heading.level, toc.last_mut()) {
            (3, Some(parent)) => parent.children.push(entry),
            _ => toc.push(entry),
        }
    }
    toc
}

/// Hand-built prose for the tests of the text measures (health checks):
/// `text` as one prose block, with no markdown behind it.
#[cfg(test)]
impl ParsedMarkdown {
    pub(crate) fn prose_for_tests(text: &str) -> Self {
        ParsedMarkdown {
            text: text.to_string(),
            blocks: vec![TextBlock {
                kind: BlockKind::Prose,
                text_start: 0,
                offset: 0,
            }],
            ..ParsedMarkdown::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: MarkdownOptions = MarkdownOptions {
        smart_punctuation: true,
        unsafe_html: false,
    };

    fn parse(text: &str) -> (ParsedMarkdown, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let source = MarkdownSource::new("a.md", text, 0, true);
        let parsed = parse_markdown(text, source, OPTIONS, &mut AnchorSet::default(), &mut diagnostics);
        (parsed, diagnostics)
    }

    fn html(parsed: &ParsedMarkdown) -> String {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, parsed.events.iter().cloned());
        out
    }

    #[test]
    fn headings_get_unique_and_custom_ids() {
        let (parsed, _) = parse("## Key Principles\n\n## Key Principles\n\n### Mine {#own}\n");
        let ids: Vec<_> = parsed.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["key-principles", "key-principles-1", "own"]);
        assert!(html(&parsed).contains("<h2 id=\"key-principles-1\">"));
        let toc = table_of_contents(&parsed.headings);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[1].children[0].id, "own");
    }

    #[test]
    fn extensions_are_on() {
        let (parsed, _) = parse("| a |\n|---|\n| b |\n\n~~x~~ - [x] done \"quoted\"[^1]\n\n[^1]: note\n");
        let out = html(&parsed);
        assert!(
            out.contains("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">\n<table>")
        );
        assert!(out.contains("<del>x</del>"));
        assert!(out.contains("\u{201c}quoted\u{201d}"));
        assert!(out.contains("footnote"));
    }

    #[test]
    fn code_is_highlighted_and_kept_out_of_text() {
        let (parsed, _) = parse("Words here.\n\n```toml\nsecret = 1\n```\n");
        assert!(html(&parsed).contains("data-lang=\"toml\""));
        assert!(!parsed.text.contains("secret"));
        assert_eq!(parsed.word_count, 2);
    }

    #[test]
    fn words_split_by_inline_markup_stay_whole() {
        let (parsed, _) = parse(
            "**B**alance and re<em>hab</em>ilitation, caf&eacute;s, don't.\nOne line<br>next<BR/>last <bring>x.\n",
        );
        assert_eq!(
            parsed.text.trim_end(),
            "Balance and rehabilitation, cafés, don\u{2019}t. One line next last <bring>x.".replace("<bring>", "")
        );
        assert!(is_line_break("<br>") && is_line_break("< BR />") && !is_line_break("<bring>"));
    }

    #[test]
    fn cross_links_are_noted_with_positions() {
        let (parsed, _) =
            parse("See [[mirror-therapy]] and\n[[stroke|a stroke]] or [x](@/techniques/a.md#b) or [[gait|]].\n");
        let targets: Vec<_> = parsed
            .links
            .iter()
            .map(|l| (l.target.as_str(), l.style, l.position.line))
            .collect();
        assert_eq!(
            targets,
            [
                ("mirror-therapy", LinkStyle::Wiki { has_text: false }, 1),
                ("stroke", LinkStyle::Wiki { has_text: true }, 2),
                ("@/techniques/a.md#b", LinkStyle::ContentPath, 2),
                // A pipe with nothing after it: the page title is the text.
                ("gait", LinkStyle::Wiki { has_text: false }, 2),
            ]
        );
        assert_eq!(parsed.links[0].position.col, 5);
    }

    #[test]
    fn scripts_are_removed_with_a_warning() {
        let (parsed, diagnostics) = parse("Hi\n\n<script>alert(1)</script>\n\n<p onclick=\"x()\">ok</p>\n");
        let out = html(&parsed);
        assert!(!out.contains("alert"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        let found = diagnostics.sorted();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 3);
    }
}
