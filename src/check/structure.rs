//! The shape of a page: headings that go down one level at a time, no
//! empty sections, alt text on images, and no authoring leftovers such as
//! "TODO", "(H2)", "H3:" or "lorem ipsum" in what visitors read.

use std::sync::LazyLock;

use regex::Regex;

use super::SourceFile;
use crate::diagnostics::Diagnostics;
use crate::diagnostics::Rule;
use crate::html;
use crate::parse::Page;
use crate::parse::markdown::ParsedMarkdown;

/// Notes writers leave for themselves. Case matters for the markers
/// (`TODO`, `H2:`), so "todo list" and "h2 receptors" in prose pass.
static LEFTOVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:lorem ipsum)|\(H[1-6]\)|\bH[1-6]:|\bTODO\b|\bFIXME\b|\bTBD\b|\bXXX\b")
        .expect("the leftover pattern is valid")
});

/// Checks one markdown text. `exact` is false for FAQ answers, whose
/// offsets all point at the answer's start; their headings are not checked.
pub(super) fn check_markdown(markdown: &ParsedMarkdown, exact: bool, file: &SourceFile<'_>, found: &mut Diagnostics) {
    if exact {
        check_headings(markdown, file, found);
    }
    // Markdown images without alt text are a build warning (the parse
    // stage reports them, so `build` and `serve` show them too).
    for fragment in &markdown.raw_html {
        for tag in html::tags(&fragment.html) {
            if tag.name == "img" && tag.attribute("alt").is_none() {
                let src = tag.attribute("src").map_or("", |a| a.value);
                let offset = file.find_raw(fragment.offset, fragment.offset + fragment.html.len() + 1, "<img");
                found.push(
                    file.warning(offset, 4, format!("image `{src}` has no alt text"))
                        .with_rule(Rule::ImageAlt)
                        .with_hint("add alt=\"what the image shows\", or alt=\"\" for a purely decorative image"),
                );
            }
        }
    }
    for (i, block) in markdown.blocks.iter().enumerate() {
        let end = markdown
            .blocks
            .get(i + 1)
            .map_or(markdown.text.len(), |next| next.text_start);
        let Some(text) = markdown.text.get(block.text_start..end.max(block.text_start)) else {
            continue;
        };
        let until = markdown
            .blocks
            .get(i + 1)
            .map(|next| next.offset)
            .filter(|next| *next > block.offset)
            .unwrap_or(block.offset + 8_000);
        for leftover in LEFTOVER.find_iter(text) {
            let offset = file.find_raw(block.offset, until, leftover.as_str());
            found.push(leftover_warning(file, offset, leftover.as_str()));
        }
    }
}

fn leftover_warning(file: &SourceFile<'_>, offset: usize, leftover: &str) -> crate::diagnostics::Diagnostic {
    // A note to self (TODO, lorem ipsum) and a heading level written out
    // ("(H2)") are different slips with different fixes.
    let level_label = leftover.to_ascii_uppercase().contains('H') && leftover.chars().any(|c| c.is_ascii_digit());
    let hint = if level_label {
        "remove the label: a heading's level is set by the number of # before it (## for a section, ### below it)"
    } else {
        "finish the text or remove the note before publishing"
    };
    file.warning(
        offset,
        leftover.len(),
        format!("authoring leftover `{leftover}` in the text"),
    )
    .with_rule(Rule::Leftover)
    .with_hint(hint)
}

/// Leftovers in the title, description and FAQ questions.
pub(super) fn check_front_matter(page: &Page, file: &SourceFile<'_>, found: &mut Diagnostics) {
    let mut values = vec![(page.title.as_str(), page.places.title)];
    if let (Some(description), Some(offset)) = (&page.description, page.places.description) {
        values.push((description, offset));
    }
    for entry in &page.faq {
        values.push((&entry.question, entry.question_offset));
    }
    for (value, offset) in values {
        for leftover in LEFTOVER.find_iter(value) {
            let at = file.find_raw(offset, offset + value.len() + 64, leftover.as_str());
            found.push(leftover_warning(file, at, leftover.as_str()));
        }
    }
}

fn check_headings(markdown: &ParsedMarkdown, file: &SourceFile<'_>, found: &mut Diagnostics) {
    // The page title is the h1, so the body starts at h2 at most.
    let mut previous = 1;
    for (i, heading) in markdown.headings.iter().enumerate() {
        let line_len = file
            .text
            .get(heading.offset..)
            .and_then(|rest| rest.split('\n').next())
            .map_or(1, str::len);
        if heading.level > previous + 1 {
            found.push(
                file.warning(
                    heading.offset,
                    line_len,
                    format!(
                        "heading `{}` skips from h{previous} to h{}",
                        heading.title, heading.level
                    ),
                )
                .with_rule(Rule::HeadingLevel)
                .with_hint(format!(
                    "use {} for this heading: screen readers and search engines read the outline level by level",
                    "#".repeat(usize::from(previous) + 1)
                )),
            );
        }
        previous = heading.level;
        let next_level = markdown.headings.get(i + 1).map(|next| next.level);
        let has_subsections = next_level.is_some_and(|level| level > heading.level);
        if !heading.has_content && !has_subsections {
            found.push(
                file.warning(
                    heading.offset,
                    line_len,
                    format!("section `{}` is empty", heading.title),
                )
                .with_rule(Rule::EmptySection)
                .with_hint("write the section or remove its heading"),
            );
        }
    }
}
