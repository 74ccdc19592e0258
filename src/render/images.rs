//! Images in rendered markdown: `width` and `height` from the files
//! themselves, `loading="lazy"` and `decoding="async"`; raw `<img>` tags
//! written in the markdown get the size too.
//!
//! The size attributes let the browser keep the image's room while it
//! loads, so text does not jump under a reader's finger on a phone; lazy
//! loading saves the data of images below the fold. Sizes come from the
//! first bytes of each published image (the `imagesize` crate reads PNG,
//! JPEG, GIF, WebP and more headers without decoding); SVG, which it does
//! not read, from the root element's `width`/`height` or `viewBox`.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use rayon::prelude::*;

use crate::output::{FileContents, OutputFile};

/// Extensions of files worth measuring.
const IMAGE_EXTENSIONS: [&str; 9] = ["png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp", "ico"];

/// Width and height in CSS pixels of each published image, by its path in
/// the output folder (`images/knee.jpg`).
#[derive(Debug, Clone, Default)]
pub(crate) struct ImageSizes {
    sizes: HashMap<String, (u32, u32)>,
}

impl ImageSizes {
    /// Measures every image among `files`; an unreadable one has no size.
    pub(crate) fn measure<'a>(files: impl IntoIterator<Item = &'a OutputFile>) -> ImageSizes {
        let images: Vec<&OutputFile> = files.into_iter().filter(|file| is_image(&file.path)).collect();
        let sizes = images
            .par_iter()
            .filter_map(|file| {
                let (width, height) = if file.path.to_ascii_lowercase().ends_with(".svg") {
                    let text = match &file.contents {
                        FileContents::Copy(path) => std::fs::read_to_string(path).ok()?,
                        FileContents::Embedded(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                        FileContents::Text(text) => text.clone(),
                    };
                    svg_size(&text)?
                } else {
                    let size = match &file.contents {
                        FileContents::Copy(path) => imagesize::size(path).ok(),
                        FileContents::Embedded(bytes) => imagesize::blob_size(bytes).ok(),
                        FileContents::Text(text) => imagesize::blob_size(text.as_bytes()).ok(),
                    }?;
                    (u32::try_from(size.width).ok()?, u32::try_from(size.height).ok()?)
                };
                (width > 0 && height > 0).then(|| (file.path.clone(), (width, height)))
            })
            .collect();
        ImageSizes { sizes }
    }

    /// The size of the image at URL `src` as written in a page at URL path
    /// `base` (`/techniques/x/`): resolved the way the browser will.
    pub(crate) fn of_src(&self, src: &str, base: &str) -> Option<(u32, u32)> {
        let path = resolve(src, base)?;
        self.sizes.get(&path).copied()
    }

    #[cfg(test)]
    fn insert(&mut self, path: &str, size: (u32, u32)) {
        self.sizes.insert(path.to_string(), size);
    }
}

/// The size an SVG asks for: its `width` and `height` in pixels (`px` or
/// no unit), else its `viewBox`; `None` for relative sizes (`100%`, `em`).
fn svg_size(text: &str) -> Option<(u32, u32)> {
    let tags = crate::html::tags(text);
    let svg = tags.iter().find(|tag| tag.name == "svg")?;
    let pixels = |name: &str| -> Option<f64> {
        let value = svg.attribute(name)?.value.trim();
        value.strip_suffix("px").unwrap_or(value).trim().parse().ok()
    };
    if let (Some(width), Some(height)) = (pixels("width"), pixels("height")) {
        return Some((width.round() as u32, height.round() as u32));
    }
    let view_box: Vec<f64> = svg
        .attribute("viewbox")?
        .value
        .split([' ', ','])
        .filter(|part| !part.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match view_box[..] {
        [_, _, width, height] => Some((width.round() as u32, height.round() as u32)),
        _ => None,
    }
}

fn is_image(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| IMAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// `src` against the page URL path `base`, as a path in the output folder
/// (no leading `/`, no query or fragment, percent-decoded); `None` for
/// another host, a `data:` URL, or a path climbing above the root.
pub(crate) fn resolve(src: &str, base: &str) -> Option<String> {
    let src = src.split(['?', '#']).next().unwrap_or("");
    if src.is_empty() || src.starts_with("//") || src.contains(':') {
        return None;
    }
    let joined = if src.starts_with('/') {
        src.to_string()
    } else {
        let folder = &base[..base.rfind('/').map_or(0, |at| at + 1)];
        format!("{folder}{src}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    let path = parts.join("/");
    Some(
        percent_encoding::percent_decode_str(&path)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// `events` with every image turned into an `<img>` carrying its size
/// (when known), lazy loading and async decoding. The alt text is the
/// image's inner text, as pulldown-cmark writes it.
pub(crate) fn with_image_attributes<'a>(events: &[Event<'a>], base: &str, sizes: &ImageSizes) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.iter();
    while let Some(event) = iter.next() {
        let Event::Start(Tag::Image { dest_url, title, .. }) = event else {
            let sized = match event {
                Event::Html(html) => size_raw_images(html, base, sizes).map(|html| Event::Html(html.into())),
                Event::InlineHtml(html) => {
                    size_raw_images(html, base, sizes).map(|html| Event::InlineHtml(html.into()))
                }
                _ => None,
            };
            out.push(sized.unwrap_or_else(|| event.clone()));
            continue;
        };
        let mut alt = String::new();
        let mut depth = 0;
        for inner in iter.by_ref() {
            match inner {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(text) | Event::Code(text) => alt.push_str(text),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        out.push(Event::Html(
            img_tag(dest_url, &alt, title, sizes.of_src(dest_url, base)).into(),
        ));
    }
    out
}

/// Whether raw HTML among `events` may hold an `<img>` (sized like a
/// markdown image by [`with_image_attributes`]).
pub(crate) fn has_raw_img(events: &[Event<'_>]) -> bool {
    events.iter().any(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => may_hold_img(html),
        _ => false,
    })
}

/// Whether `html` has `<img` in any case: a cheap test before parsing tags.
fn may_hold_img(html: &str) -> bool {
    html.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"<img"))
}

/// Raw HTML written in the markdown: an `<img>` with neither `width` nor
/// `height` gets its file's size, as markdown images do (its other
/// attributes, `loading` included, are the writer's). `None` when nothing
/// changes.
fn size_raw_images(html: &str, base: &str, sizes: &ImageSizes) -> Option<String> {
    if !may_hold_img(html) {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 32);
    let mut copied = 0;
    for tag in crate::html::tags(html) {
        if tag.name != "img" || tag.attribute("width").is_some() || tag.attribute("height").is_some() {
            continue;
        }
        let Some((width, height)) = tag.attribute("src").and_then(|src| sizes.of_src(src.value, base)) else {
            continue;
        };
        let after_name = tag.offset + "<img".len();
        out.push_str(&html[copied..after_name]);
        out.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
        copied = after_name;
    }
    (copied > 0).then(|| {
        out.push_str(&html[copied..]);
        out
    })
}

fn img_tag(src: &str, alt: &str, title: &str, size: Option<(u32, u32)>) -> String {
    let mut html = String::from("<img src=\"");
    // Writing into a String cannot fail.
    let _ = escape_href(&mut html, src);
    html.push_str("\" alt=\"");
    let _ = escape_html(&mut html, alt);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        let _ = escape_html(&mut html, title);
        html.push('"');
    }
    if let Some((width, height)) = size {
        html.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
    }
    html.push_str(" loading=\"lazy\" decoding=\"async\">");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str, sizes: &ImageSizes) -> String {
        let events: Vec<Event<'_>> = pulldown_cmark::Parser::new(markdown).collect();
        let mut out = String::new();
        pulldown_cmark::html::push_html(
            &mut out,
            with_image_attributes(&events, "/techniques/mirror-therapy/", sizes).into_iter(),
        );
        out
    }

    #[test]
    fn images_get_their_size_and_load_lazily() {
        let mut sizes = ImageSizes::default();
        sizes.insert("images/mirror box.svg", (640, 360));
        sizes.insert("techniques/setup.png", (800, 600));
        assert_eq!(
            html("![A *mirror* box](/images/mirror%20box.svg \"The set-up\")", &sizes),
            "<p><img src=\"/images/mirror%20box.svg\" alt=\"A mirror box\" title=\"The set-up\" width=\"640\" height=\"360\" loading=\"lazy\" decoding=\"async\"></p>\n"
        );
        assert!(html("![Set-up](../setup.png?v=2)", &sizes).contains("width=\"800\" height=\"600\""));
        // Unknown or remote images still load lazily, without a size.
        let remote = html("![X](https://cdn.example.com/x.png)", &sizes);
        assert!(remote.contains("alt=\"X\" loading=\"lazy\""), "{remote}");
    }

    #[test]
    fn raw_img_tags_get_their_size_unless_they_have_one() {
        let mut sizes = ImageSizes::default();
        sizes.insert("images/knee.png", (400, 300));
        let out = html(
            "<figure><IMG src=\"/images/knee.png\" alt=\"Knee\"><img src='/images/knee.png' width=\"50%\" alt=''></figure>\n\nText <img src=\"/images/knee.png\" alt=\"k\"/> and <img src=\"/missing.png\" alt=\"m\">.",
            &sizes,
        );
        assert!(
            out.contains("<IMG width=\"400\" height=\"300\" src=\"/images/knee.png\" alt=\"Knee\">"),
            "{out}"
        );
        assert!(
            out.contains("<img src='/images/knee.png' width=\"50%\" alt=''>"),
            "the writer's size stays: {out}"
        );
        assert!(
            out.contains("Text <img width=\"400\" height=\"300\" src=\"/images/knee.png\" alt=\"k\"/>"),
            "{out}"
        );
        assert!(out.contains("<img src=\"/missing.png\" alt=\"m\">"), "{out}");
    }

    #[test]
    fn sources_resolve_like_the_browser() {
        let base = "/techniques/mirror-therapy/";
        assert_eq!(
            resolve("a.png", base).as_deref(),
            Some("techniques/mirror-therapy/a.png")
        );
        assert_eq!(resolve("../../b.png", base).as_deref(), Some("b.png"));
        assert_eq!(resolve("/static/./c.png#x", base).as_deref(), Some("static/c.png"));
        assert_eq!(resolve("../../../d.png", base), None);
        assert_eq!(resolve("data:image/png;base64,xx", base), None);
        assert_eq!(resolve("//cdn.example.com/e.png", base), None);
    }

    #[test]
    fn measures_embedded_and_text_images() {
        let svg =
            "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"32px\" height=\"16\"></svg>";
        let files = [
            OutputFile {
                path: "logo.svg".into(),
                contents: FileContents::Text(svg.into()),
            },
            OutputFile {
                path: "notes.txt".into(),
                contents: FileContents::Text(svg.into()),
            },
        ];
        let sizes = ImageSizes::measure(&files);
        assert_eq!(sizes.of_src("/logo.svg", "/"), Some((32, 16)));
        assert_eq!(sizes.of_src("/notes.txt", "/"), None);
        assert_eq!(svg_size("<svg viewBox=\"0 0 640 360.4\">"), Some((640, 360)));
        assert_eq!(svg_size("<svg width=\"100%\" height=\"4em\">"), None);
    }
}
