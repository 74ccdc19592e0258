//! The tags of an HTML text with their attributes, for every stage that
//! reads HTML: the checks of raw HTML in content and in templates
//! (third-party requests, `<img>` without `alt`) and render's relocation of
//! links.
//!
//! A small tokenizer, not an HTML parser: it must read templates too, where
//! `{{ ... }}` and `{% ... %}` stand inside tags, and it only needs the
//! literal attribute values. It never fails: broken markup yields fewer tags.

/// One start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    /// Lower-cased: `img`, `link`.
    pub name: String,
    /// Byte offset of the `<`.
    pub offset: usize,
    pub attributes: Vec<Attribute<'a>>,
    /// For `<style>` and `<script>`: the text up to the closing tag, with
    /// its offset (CSS or script, not HTML).
    pub body: Option<(usize, &'a str)>,
}

impl Tag<'_> {
    pub fn attribute(&self, name: &str) -> Option<&Attribute<'_>> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// An attribute: lower-cased name, the value (empty when there is none) and
/// the byte offset where the value starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    pub name: String,
    pub value: &'a str,
    pub offset: usize,
}

/// Every start tag of `html`, in order; comments are skipped.
pub fn tags(html: &str) -> Vec<Tag<'_>> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|at| i + at) {
        if html[lt..].starts_with("<!--") {
            i = html[lt..].find("-->").map_or(html.len(), |end| lt + end + 3);
            continue;
        }
        let name_start = lt + 1;
        let name_len = html[name_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i = lt + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let (attributes, tag_end) = read_attributes(html, name_start + name_len);
        i = tag_end;
        let mut body = None;
        if name == "style" || name == "script" {
            let close = format!("</{name}");
            let body_end = find_ascii_case_insensitive(&html[i..], &close).map_or(html.len(), |at| i + at);
            body = Some((i, &html[i..body_end]));
            i = body_end;
        }
        found.push(Tag {
            name,
            offset: lt,
            attributes,
            body,
        });
    }
    found
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

/// Reads attributes from `start` to the end of the tag; returns them and
/// the offset after the tag's `>`. Every index it stops at is an ASCII
/// byte or the end, so slicing stays on character boundaries.
fn read_attributes(html: &str, start: usize) -> (Vec<Attribute<'_>>, usize) {
    let bytes = html.as_bytes();
    let mut attributes = Vec::new();
    let mut i = start;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return (attributes, bytes.len());
        }
        if bytes[i] == b'>' {
            return (attributes, i + 1);
        }
        // Template tags inside an HTML tag: skipped whole.
        if html[i..].starts_with("{{") || html[i..].starts_with("{%") {
            let close = if html[i..].starts_with("{{") { "}}" } else { "%}" };
            i = html[i + 2..].find(close).map_or(bytes.len(), |at| i + 2 + at + 2);
            continue;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        if name.is_empty() {
            i += 1;
            continue;
        }
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (value_start, value_end, next) = match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = html[i + 1..].find(quote as char).map_or(bytes.len(), |at| i + 1 + at);
                    (i + 1, end, (end + 1).min(bytes.len()))
                }
                _ => {
                    let end = html[i..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(bytes.len(), |at| i + at);
                    (i, end, end)
                }
            };
            attributes.push(Attribute {
                name,
                value: &html[value_start..value_end],
                offset: value_start,
            });
            i = next;
        } else {
            attributes.push(Attribute {
                name,
                value: "",
                offset: i,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_attributes_and_bodies() {
        let html = "<p class=x>Hi <!-- <img src=no> --><IMG SRC='a.png' alt>\n<style>p{}</style><br/>";
        let found = tags(html);
        let names: Vec<&str> = found.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "img", "style", "br"]);
        let img = &found[1];
        assert_eq!(img.attribute("src").map(|a| a.value), Some("a.png"));
        assert_eq!(img.attribute("alt").map(|a| a.value), Some(""));
        assert_eq!(&html[img.offset..img.offset + 4], "<IMG");
        assert_eq!(found[2].body.map(|(_, body)| body), Some("p{}"));
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for html in [
            "<",
            "<img src=",
            "<img src=\"x",
            "<script>",
            "<!--",
            "<a b='",
            "<é>",
            "<a {{ x",
            "<a {% y",
        ] {
            let _ = tags(html);
        }
    }
}
