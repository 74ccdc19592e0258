//! The module graph has no back-edge: `src/lib.rs` declares the top-level
//! modules in pipeline order (shared leaves, then the stages, then the
//! drivers), and a module may name only modules declared above it. Every
//! `crate::NAME` in a module's code counts (imports and paths alike);
//! comments, string literals and `#[cfg(test)]` modules do not.

use std::path::Path;

/// The top-level modules as `src/lib.rs` declares them, in order.
fn declared_modules(src: &Path) -> Vec<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("read src/lib.rs");
    lib.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_prefix("pub mod ").or_else(|| line.strip_prefix("mod "))?;
            rest.strip_suffix(';').map(str::to_string)
        })
        .collect()
}

/// The code of a Rust source: comments and string and char literals blanked
/// out, `#[cfg(test)]` items cut.
fn code_of(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut code = String::with_capacity(source.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &source[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |end| end + 2);
        } else if rest.starts_with("#[cfg(test)]") {
            i += skip_item(&source[i + "#[cfg(test)]".len()..]) + "#[cfg(test)]".len();
        } else if let Some(len) = raw_string_len(rest) {
            i += len;
            code.push_str("\"\"");
        } else if bytes[i] == b'"' {
            i += quoted_len(rest, '"');
            code.push_str("\"\"");
        } else if bytes[i] == b'\'' && is_char_literal(rest) {
            i += quoted_len(rest, '\'');
            code.push_str("' '");
        } else {
            let c = rest.chars().next().expect("not at the end");
            code.push(c);
            i += c.len_utf8();
        }
    }
    code
}

/// The length of `"..."` or `'...'` at the start of `text`, escapes included.
fn quoted_len(text: &str, quote: char) -> usize {
    let mut escaped = false;
    for (at, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == quote => return at + 1,
            _ => {}
        }
    }
    text.len()
}

/// `r"..."`, `r#"..."#` (and `br` forms) at the start of `text`.
fn raw_string_len(text: &str) -> Option<usize> {
    let after_b = text.strip_prefix('b').unwrap_or(text);
    let after_r = after_b.strip_prefix('r')?;
    let hashes = after_r.len() - after_r.trim_start_matches('#').len();
    let body = after_r[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let end = body.find(&close)?;
    Some(text.len() - body.len() + end + close.len())
}

/// `'x'` or `'\n'`, not a lifetime such as `'a`.
fn is_char_literal(text: &str) -> bool {
    let mut chars = text.chars().skip(1);
    matches!((chars.next(), chars.next()), (Some('\\'), _) | (Some(_), Some('\'')))
}

/// The length of the item after an attribute: up to its `;` or through its
/// balanced `{...}`.
fn skip_item(text: &str) -> usize {
    let mut depth = 0usize;
    let code = code_of_braces(text);
    for (at, c) in code.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return at + 1;
                }
            }
            ';' if depth == 0 => return at + 1,
            _ => {}
        }
    }
    text.len()
}

/// `text` with the braces inside literals and comments replaced, byte for
/// byte, so brace counting sees only the code's.
fn code_of_braces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let skip = if rest.starts_with("//") {
            rest.find('\n').unwrap_or(rest.len())
        } else if rest.starts_with("/*") {
            rest.find("*/").map_or(rest.len(), |end| end + 2)
        } else if let Some(len) = raw_string_len(rest) {
            len
        } else if rest.starts_with('"') {
            quoted_len(rest, '"')
        } else if rest.starts_with('\'') && is_char_literal(rest) {
            quoted_len(rest, '\'')
        } else {
            0
        };
        if skip > 0 {
            // One space a byte, so offsets into `out` are offsets into `text`.
            out.extend(
                rest.as_bytes()[..skip]
                    .iter()
                    .map(|&b| if b == b'\n' { '\n' } else { ' ' }),
            );
            i += skip;
        } else {
            let c = rest.chars().next().expect("not at the end");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Every `crate::NAME` in `code`, with its line.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `mycrate::`, not `crate::`
            }
            let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                group[..end]
                    .split(',')
                    .map(|name| name.trim().split("::").next().unwrap_or("").to_string())
                    .collect()
            } else {
                vec![
                    rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or("")
                        .to_string(),
                ]
            };
            found.extend(
                names
                    .into_iter()
                    .filter(|name| !name.is_empty())
                    .map(|name| (number + 1, name)),
            );
        }
    }
    found
}

#[test]
fn no_module_names_a_module_declared_after_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let order = declared_modules(&src);
    assert!(order.len() > 10, "read the modules of src/lib.rs: {order:?}");
    let mut back_edges = Vec::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).expect("under src/");
        let top = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .map(|name| name.trim_end_matches(".rs").to_string())
            .expect("a file name");
        let Some(position) = order.iter().position(|name| *name == top) else {
            assert!(
                top == "lib" || top == "main",
                "{} is not declared in src/lib.rs",
                rel.display()
            );
            continue;
        };
        let source = std::fs::read_to_string(path).expect("read a source file");
        for (line, name) in crate_paths(&code_of(&source)) {
            match order.iter().position(|declared| *declared == name) {
                Some(target) if target < position || name == top => {}
                Some(_) => back_edges.push(format!("src/{}:{line}: {top} names crate::{name}", rel.display())),
                None => back_edges.push(format!("src/{}:{line}: crate::{name} is no module", rel.display())),
            }
        }
    }
    assert!(
        back_edges.is_empty(),
        "modules that name a module declared after them in src/lib.rs:\n{}",
        back_edges.join("\n")
    );
}

#[test]
fn the_scanner_sees_code_only() {
    let source = r##"
use crate::config::Config; // crate::serve in a comment
/// [`crate::cli`] in a doc comment
fn f() { let s = "crate::cli"; let r = r#"crate::cli"#; let c = '{'; crate::link::f(); }
use crate::{load::X, parse};
#[cfg(test)]
mod tests { fn g() { let c = '}'; crate::serve::x(); } }
fn after() { crate::write::w(); }
"##;
    let names: Vec<String> = crate_paths(&code_of(source))
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    assert_eq!(names, ["config", "link", "load", "parse", "write"]);
}
