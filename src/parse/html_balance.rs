//! Whether the raw HTML of a markdown text opens and closes its elements in
//! step. Raw HTML passes into the page as it is, so a `<div>` left open
//! swallows the theme's footer into it, and a stray `</div>` closes one of
//! the theme's own: the page no longer parses as the theme wrote it.
//!
//! The fragments are read in order as one stream, because HTML around
//! markdown is normal (`<details>`, then markdown, then `</details>`).
//! Elements that need no end tag are left out: void ones (`<br>`, `<img>`)
//! and those whose end tag HTML lets the next element imply (`<p>`, `<li>`,
//! `<td>`...).

/// Elements that never have an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose end tag may be left out.
const END_TAG_OPTIONAL: &[&str] = &[
    "body", "caption", "colgroup", "dd", "dt", "head", "html", "li", "optgroup", "option", "p", "rb", "rp", "rt",
    "rtc", "tbody", "td", "tfoot", "th", "thead", "tr",
];

/// One element out of step, at a byte offset of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unbalanced {
    pub(crate) offset: usize,
    /// The tag as it would be written: `<div>` or `</span>`.
    pub(crate) tag: String,
    /// Left open (else: closed without being open).
    pub(crate) left_open: bool,
}

/// The elements of `fragments` (HTML with its byte offset in the file, in
/// document order) that are left open or closed without being open, by
/// offset.
pub(crate) fn unbalanced<'a>(fragments: impl IntoIterator<Item = (&'a str, usize)>) -> Vec<Unbalanced> {
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut found = Vec::new();
    for (html, base) in fragments {
        for tag in tags(html) {
            let offset = base + tag.offset;
            if VOID.contains(&tag.name.as_str()) || (tag.self_closing && !tag.closing) {
                continue;
            }
            if !tag.closing {
                open.push((tag.name, offset));
                continue;
            }
            match open.iter().rposition(|(name, _)| *name == tag.name) {
                Some(at) => {
                    for (name, offset) in open.drain(at..).skip(1) {
                        if !END_TAG_OPTIONAL.contains(&name.as_str()) {
                            found.push(Unbalanced {
                                offset,
                                tag: format!("<{name}>"),
                                left_open: true,
                            });
                        }
                    }
                }
                None => found.push(Unbalanced {
                    offset,
                    tag: format!("</{}>", tag.name),
                    left_open: false,
                }),
            }
        }
    }
    found.extend(
        open.into_iter()
            .filter(|(name, _)| !END_TAG_OPTIONAL.contains(&name.as_str()))
            .map(|(name, offset)| Unbalanced {
                offset,
                tag: format!("<{name}>"),
                left_open: true,
            }),
    );
    found.sort_by_key(|problem| problem.offset);
    found
}

/// A start or end tag.
struct ScannedTag {
    name: String,
    offset: usize,
    closing: bool,
    self_closing: bool,
}

/// The start and end tags of `html`, skipping comments, and the bodies of
/// `<script>` and `<style>` (raw text, not HTML).
fn tags(html: &str) -> Vec<ScannedTag> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(lt) = html[at..].find('<').map(|i| at + i) {
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(html.len(), |end| lt + end + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = lt + if closing { 2 } else { 1 };
        let name: String = html[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            at = lt + 1;
            continue;
        }
        let Some(gt) = html[name_start..].find('>').map(|i| name_start + i) else {
            break;
        };
        let name = name.to_ascii_lowercase();
        let self_closing = html[..gt].ends_with('/');
        at = gt + 1;
        if !closing && (name == "script" || name == "style") {
            let close = format!("</{name}");
            let lower = html[at..].to_ascii_lowercase();
            at = lower.find(&close).map_or(html.len(), |i| at + i);
        }
        found.push(ScannedTag {
            name,
            offset: lt,
            closing,
            self_closing,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(fragments: &[&str]) -> Vec<(usize, String, bool)> {
        let mut offset = 0;
        let with_offsets: Vec<(&str, usize)> = fragments
            .iter()
            .map(|html| {
                let at = offset;
                offset += html.len() + 10;
                (*html, at)
            })
            .collect();
        unbalanced(with_offsets)
            .into_iter()
            .map(|p| (p.offset, p.tag, p.left_open))
            .collect()
    }

    #[test]
    fn balanced_html_around_markdown_is_fine() {
        assert!(problems(&["<details><summary>Why?</summary>", "</details>"]).is_empty());
        assert!(problems(&["<p>a<p>b", "<ul><li>one<li>two</ul>", "<br><img src=x><hr/>"]).is_empty());
        assert!(
            problems(&[
                "<div><!-- </div> --></div>",
                "<script>if (a < b) { x('</div>') }</script>"
            ])
            .is_empty()
        );
        assert!(problems(&["<my-widget></my-widget>", "<svg><path d='M0'/></svg>"]).is_empty());
    }

    #[test]
    fn open_and_stray_elements_are_found_where_they_stand() {
        assert_eq!(problems(&["<div>text"]), [(0, "<div>".to_string(), true)]);
        assert_eq!(problems(&["text</span>"]), [(4, "</span>".to_string(), false)]);
        assert_eq!(
            problems(&["<div><b>bold</div>"]),
            [(5, "<b>".to_string(), true)],
            "closing the div leaves the b open"
        );
        assert_eq!(problems(&["<DIV>", "</div>"]), [], "names are case-insensitive");
    }
}
