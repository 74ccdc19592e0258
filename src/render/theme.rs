//! The theme: templates (tera) and static files.
//!
//! The default theme is compiled into the binary, so a site needs no
//! `themes/` folder; a `themes/NAME/` folder in the site wins over it, and the
//! site's own `templates/` and `static/` win over the theme's, file by file.

use std::collections::BTreeMap;

use include_dir::{Dir, include_dir};
use tera::Tera;

use crate::config::{Config, theme_not_found, theme_setting};
use crate::diagnostics::{Diagnostic, Diagnostics, Position, Rule};
use crate::load::LoadedSite;
use crate::output::{FileContents, OutputFile};
use crate::render::images::ImageSizes;

static BUILT_IN_DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Templates ready to render and the static files to copy.
pub(crate) struct Theme {
    pub(crate) tera: Tera,
    /// Theme static files, then site static files (later wins on a clash).
    pub(crate) static_files: Vec<OutputFile>,
    /// The text of every template in use (after overrides), for the
    /// third-party check of `praxis check`.
    pub(crate) templates: Vec<TemplateSource>,
    /// Sizes of the images the site publishes (static files and images
    /// beside the content), for `<img width height>`.
    pub(crate) image_sizes: ImageSizes,
    /// Output paths of the site's own `static/` files (not the theme's), to
    /// name them when a generated page would take their place.
    pub(crate) site_static: Vec<String>,
}

/// A template's text and where it came from (a site-relative path, or
/// `(built-in theme) themes/default/templates/NAME`), for messages.
#[derive(Debug, Clone)]
pub(crate) struct TemplateSource {
    pub(crate) text: String,
    pub(crate) origin: String,
}

/// Loads the theme named in `site.toml` and the site's overrides.
pub(crate) fn load_theme(config: &Config, config_text: &str, site: &LoadedSite) -> Result<Theme, Diagnostics> {
    let mut templates: BTreeMap<String, TemplateSource> = BTreeMap::new();
    let mut statics: BTreeMap<String, FileContents> = BTreeMap::new();

    if let Some(on_disk) = &site.theme {
        add_templates(&mut templates, &on_disk.templates);
        for file in &on_disk.static_files {
            let contents = built_in_script_copy(&file.output_path, &file.source)
                .unwrap_or_else(|| FileContents::Copy(file.source.clone()));
            statics.insert(file.output_path.clone(), contents);
        }
    } else if config.theme == "default" {
        collect_embedded(&BUILT_IN_DEFAULT, &mut templates, &mut statics);
    } else {
        // Config::load reports this with site.toml's other problems; here
        // only when the folder went away since.
        let at = theme_setting(config_text).map_or(Position::START, |(_, at)| at);
        let diagnostic = theme_not_found(&config.theme, at);
        return Err(std::iter::once(diagnostic).collect());
    }
    add_templates(&mut templates, &site.templates);
    for file in &site.static_files {
        statics.insert(file.output_path.clone(), FileContents::Copy(file.source.clone()));
    }

    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    if let Err(err) = tera.add_raw_templates(
        templates
            .iter()
            .map(|(name, source)| (name.as_str(), source.text.as_str())),
    ) {
        let message = err.to_string();
        let origin = templates
            .iter()
            .find(|(name, _)| message.contains(name.as_str()))
            .map_or_else(|| "templates".to_string(), |(_, source)| source.origin.clone());
        let diagnostic = Diagnostic::error(
            origin,
            Position::START,
            format!("template error: {}", one_line(&message)),
        )
        .with_hint("templates use tera 2 syntax; see docs/templates.md for the variables")
        .with_rule(Rule::Template);
        return Err(std::iter::once(diagnostic).collect());
    }
    let static_files: Vec<OutputFile> = statics
        .into_iter()
        .map(|(path, contents)| OutputFile { path, contents })
        .collect();
    let content_assets: Vec<OutputFile> = site
        .content_assets
        .iter()
        .map(|asset| OutputFile {
            path: asset.output_path.clone(),
            contents: FileContents::Copy(asset.source.clone()),
        })
        .collect();
    let image_sizes = ImageSizes::measure(static_files.iter().chain(&content_assets));
    Ok(Theme {
        tera,
        static_files,
        templates: templates.into_values().collect(),
        image_sizes,
        site_static: site.static_files.iter().map(|file| file.output_path.clone()).collect(),
    })
}

/// Adds templates read from disk; a later one replaces an earlier of the same name.
fn add_templates(templates: &mut BTreeMap<String, TemplateSource>, files: &[crate::load::TemplateFile]) {
    for file in files {
        let source = TemplateSource {
            text: file.text.clone(),
            origin: file.rel_path.clone(),
        };
        templates.insert(file.name.clone(), source);
    }
}

fn collect_embedded(
    dir: &'static Dir<'static>,
    templates: &mut BTreeMap<String, TemplateSource>,
    statics: &mut BTreeMap<String, FileContents>,
) {
    for entry in dir.entries() {
        if let Some(sub) = entry.as_dir() {
            collect_embedded(sub, templates, statics);
        } else if let Some(file) = entry.as_file() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                let text = file.contents_utf8().unwrap_or_default().to_string();
                templates.insert(
                    name.to_string(),
                    TemplateSource {
                        text,
                        origin: format!("(built-in theme) themes/default/{path}"),
                    },
                );
            } else if let Some(name) = path.strip_prefix("static/") {
                statics.insert(name.to_string(), built_in_static(name, file.contents()));
            }
        }
    }
}

/// A theme folder's copy of a built-in script or stylesheet, unchanged (the
/// repository's own `themes/default/`, or one written by `praxis init`), is
/// compacted like the built-in one; a file the site changed is copied as
/// written.
fn built_in_script_copy(output_path: &str, source: &std::path::Path) -> Option<FileContents> {
    if !output_path.ends_with(".js") && !output_path.ends_with(".css") {
        return None;
    }
    let built_in = BUILT_IN_DEFAULT.get_file(format!("static/{output_path}"))?;
    let on_disk = std::fs::read(source).ok()?;
    (on_disk == built_in.contents()).then(|| built_in_static(output_path, built_in.contents()))
}

/// A static file of the built-in theme as served: scripts and stylesheets
/// compacted, the rest as embedded.
fn built_in_static(name: &str, bytes: &'static [u8]) -> FileContents {
    match std::str::from_utf8(bytes) {
        Ok(script) if name.ends_with(".js") => FileContents::Text(compact_script(script)),
        Ok(sheet) if name.ends_with(".css") => FileContents::Text(compact_stylesheet(sheet)),
        _ => FileContents::Embedded(bytes),
    }
}

/// The built-in theme's script without its comment lines, blank lines and
/// indentation: a quarter of the search scripts' gzipped bytes, which every cold
/// search downloads, go to comments written for its readers. Only lines that
/// are wholly comment go, so every statement keeps its line and automatic
/// semicolons fall as before. Sound for scripts with no multi-line template
/// literal, which is why it runs on the theme's own scripts only.
fn compact_script(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut in_block_comment = false;
    for line in source.lines() {
        let mut code = line.trim();
        if in_block_comment {
            match code.find("*/") {
                Some(end) => {
                    in_block_comment = false;
                    code = code[end + 2..].trim_start();
                }
                None => continue,
            }
        }
        if let Some(comment) = code.strip_prefix("/*") {
            match comment.find("*/") {
                Some(end) => code = comment[end + 2..].trim_start(),
                None => {
                    in_block_comment = true;
                    continue;
                }
            }
        }
        if code.is_empty() || code.starts_with("//") {
            continue;
        }
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The built-in theme's stylesheet without comments, blank lines and
/// indentation. The theme promises under 30 KB of CSS per page view, and a
/// tenth of style.css is comments written for its readers. Quoted strings
/// are copied whole, so a `/*` inside one stays.
fn compact_stylesheet(source: &str) -> String {
    let mut uncommented = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find(['/', '"', '\'']) {
        let (before, from) = rest.split_at(at);
        uncommented.push_str(before);
        if let Some(comment) = from.strip_prefix("/*") {
            // An unclosed comment runs to the end, as the browser reads it.
            rest = comment.find("*/").map_or("", |end| &comment[end + 2..]);
        } else if let Some(after) = from.strip_prefix('/') {
            uncommented.push('/');
            rest = after;
        } else {
            let quote = from.as_bytes()[0] as char;
            let end = quoted_len(from, quote);
            uncommented.push_str(&from[..end]);
            rest = &from[end..];
        }
    }
    uncommented.push_str(rest);
    let mut out = String::with_capacity(uncommented.len());
    for line in uncommented.lines().map(str::trim).filter(|line| !line.is_empty()) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The length of the CSS string starting at `text`'s first character (a
/// quote), closing quote included; a backslash escapes the next character.
fn quoted_len(text: &str, quote: char) -> usize {
    let mut chars = text.char_indices().skip(1);
    while let Some((at, c)) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c == quote {
            return at + 1;
        }
    }
    text.len()
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_script_drops_comment_lines_and_keeps_code_lines() {
        let source = "/* Header\n * more\n */\n(() => {\n  // why\n  const a = 1; // kept\n\n  /* one line */ f(a);\n  return \"// not a comment\";\n})();\n";
        assert_eq!(
            compact_script(source),
            "(() => {\nconst a = 1; // kept\nf(a);\nreturn \"// not a comment\";\n})();\n"
        );
    }

    #[test]
    fn compact_stylesheet_drops_comments_but_not_strings() {
        let source = "/* Header\n   more */\n.a {\n  color: red; /* why */\n\n  content: \"/* kept */\";\n}\n.b::after { content: '\\'/*'; }\n/* open";
        assert_eq!(
            compact_stylesheet(source),
            ".a {\ncolor: red;\ncontent: \"/* kept */\";\n}\n.b::after { content: '\\'/*'; }\n"
        );
    }

    #[test]
    fn built_in_stylesheet_loses_only_comments_and_spacing() {
        let source = BUILT_IN_DEFAULT
            .get_file("static/style.css")
            .and_then(|file| file.contents_utf8())
            .expect("the built-in theme has style.css");
        let compact = compact_stylesheet(source);
        assert!(!compact.contains("/*"), "no comment is left");
        let squeezed = |text: &str| text.split_whitespace().collect::<String>();
        let mut without_comments = String::new();
        let mut rest = source;
        while let Some(at) = rest.find("/*") {
            without_comments.push_str(&rest[..at]);
            rest = &rest[at + rest[at..].find("*/").expect("closed") + 2..];
        }
        without_comments.push_str(rest);
        assert_eq!(squeezed(&compact), squeezed(&without_comments));
    }

    #[test]
    fn built_in_search_scripts_keep_every_code_line() {
        for name in ["static/search-engine.js", "static/search-ui.js"] {
            let source = BUILT_IN_DEFAULT
                .get_file(name)
                .and_then(|file| file.contents_utf8())
                .unwrap_or_else(|| panic!("the built-in theme has {name}"));
            let code_lines = |text: &str| {
                text.lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty() && !line.starts_with("//") && !line.starts_with('*'))
                    .filter(|line| !line.starts_with("/*"))
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            };
            let compact = compact_script(source);
            // No template literal (so none spans lines): the compaction is sound.
            assert!(!compact.contains('`'), "{name}");
            assert_eq!(code_lines(&compact), code_lines(source), "{name}");
            assert!(
                compact.len() * 10 < source.len() * 8,
                "{name}: comments are a fifth of the script or more"
            );
        }
    }
}
