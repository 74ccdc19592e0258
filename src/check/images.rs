//! Images that are not there: a markdown image or an `<img>` whose local
//! address is no file of the built site (a typo, a file never copied into
//! `static/`, a picture moved). The build publishes the page anyway; the
//! visitor sees a broken image, or only its alt text.

use std::collections::HashSet;

use super::SourceFile;
use crate::diagnostics::Diagnostics;
use crate::diagnostics::Rule;
use crate::html;
use crate::parse::markdown::ParsedMarkdown;
use crate::render::images::resolve;

/// Warns about each image of `markdown` whose address is local and names
/// no output file. The browser reads a relative address from the page's
/// own address (`page_path`, `/techniques/x/`), not from the folder of its
/// markdown file (`source_folder`, `techniques/`): when the file is there,
/// the hint gives the address that finds it.
pub(super) fn check_markdown(
    markdown: &ParsedMarkdown,
    page_path: &str,
    source_folder: &str,
    outputs: &HashSet<&str>,
    file: &SourceFile<'_>,
    found: &mut Diagnostics,
) {
    let mut report = |src: &str, offset: usize| {
        let Some(target) = resolve(src.trim(), page_path) else {
            return;
        };
        if outputs.contains(target.as_str()) {
            return;
        }
        let beside_source =
            resolve(src.trim(), &format!("/{source_folder}")).filter(|path| outputs.contains(path.as_str()));
        let hint = match beside_source {
            Some(path) if !src.starts_with('/') => format!(
                "a relative address is read from the page's address ({page_path}), not from its markdown file's folder: write `/{path}`"
            ),
            _ => "put the file in static/ (`/images/x.png` is static/images/x.png), or in content/ and write its address from the site root, and check the spelling".to_string(),
        };
        found.push(
            file.warning(
                offset,
                src.len().max(1),
                format!("image `{src}` is not a file of the site"),
            )
            .with_rule(Rule::MissingImage)
            .with_hint(hint),
        );
    };
    for image in &markdown.images {
        let offset = file.find_raw(image.offset, image.offset + 4_000, &image.src);
        report(&image.src, offset);
    }
    for fragment in &markdown.raw_html {
        for tag in html::tags(&fragment.html) {
            if tag.name != "img" {
                continue;
            }
            if let Some(src) = tag.attribute("src") {
                let end = fragment.offset + fragment.html.len() + 1;
                report(src.value, file.find_raw(fragment.offset, end, src.value));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceTexts;
    use crate::parse::markdown::{MarkdownOptions, MarkdownSource, parse_markdown};

    #[test]
    fn missing_local_images_are_found_and_a_relative_slip_gets_its_fix() {
        let text = "![a](/images/a.png) ![b](/images/gone.png) ![c](c.png)\n\n<img src=\"/nope.svg\" alt=\"n\"> ![r](https://example.org/r.png)\n";
        let mut sources = SourceTexts::new();
        sources.insert("content/techniques/x.md".into(), text.into());
        let file = SourceFile::of(&sources, "content/techniques/x.md").unwrap();
        let source = MarkdownSource::new("content/techniques/x.md", text, 0, true);
        let options = MarkdownOptions {
            smart_punctuation: false,
            unsafe_html: false,
        };
        let mut anchors = crate::parse::slug::AnchorSet::default();
        let markdown = parse_markdown(text, source, options, &mut anchors, &mut Diagnostics::new());
        let outputs: HashSet<&str> = ["images/a.png", "techniques/c.png"].into_iter().collect();
        let mut found = Diagnostics::new();
        check_markdown(&markdown, "/techniques/x/", "techniques/", &outputs, &file, &mut found);
        let shown: Vec<String> = found
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} | {}",
                    d.line,
                    d.col,
                    d.message,
                    d.hint.clone().unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(shown.len(), 3, "{shown:#?}");
        assert!(
            shown[0].starts_with("1:26 image `/images/gone.png` is not a file"),
            "{shown:#?}"
        );
        assert!(
            shown[1].starts_with("1:49 image `c.png`") && shown[1].contains("write `/techniques/c.png`"),
            "{shown:#?}"
        );
        assert!(shown[2].starts_with("3:11 image `/nope.svg`"), "{shown:#?}");
    }
}
