//! A file the build will write, before it is written.

use std::path::PathBuf;

/// What goes into an output file.
#[derive(Debug, Clone)]
pub enum FileContents {
    /// Rendered text (HTML, XML, CSS).
    Text(String),
    /// A file of the built-in theme.
    Embedded(&'static [u8]),
    /// A file on disk, copied as is.
    Copy(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated: `techniques/x/index.html`.
    pub path: String,
    pub contents: FileContents,
}

impl OutputFile {
    pub fn text(path: impl Into<String>, text: String) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: FileContents::Text(text),
        }
    }

    /// The output file for a URL path: `/a/b/` -> `a/b/index.html`.
    pub fn for_url_path(url_path: &str, text: String) -> OutputFile {
        OutputFile::text(file_path_for_url(url_path), text)
    }
}

/// The file a URL path is written to: `/a/b/` -> `a/b/index.html`.
pub fn file_path_for_url(url_path: &str) -> String {
    let trimmed = url_path.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".to_string()
    } else if trimmed.ends_with(".html") || trimmed.ends_with(".xml") || trimmed.ends_with(".txt") {
        trimmed.to_string()
    } else {
        format!("{}/index.html", trimmed.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_become_index_files() {
        assert_eq!(OutputFile::for_url_path("/", String::new()).path, "index.html");
        assert_eq!(OutputFile::for_url_path("/a/b/", String::new()).path, "a/b/index.html");
        assert_eq!(OutputFile::for_url_path("/old.html", String::new()).path, "old.html");
    }
}
