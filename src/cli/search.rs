//! `praxis search QUERY`: ranks with the same planner as the browser, from
//! the tantivy index in `.praxis/`, rebuilding it first when the content
//! changed since the last build.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::build::{BuildOptions, render_and_index, site_root};
use crate::cli::Format;
use crate::parse::kind::Kind;
use crate::search::{IndexLock, OpenSearch, SearchResults, index_dir};

pub(crate) fn run(query: &str, root: Option<PathBuf>, kind: Option<Kind>, limit: usize, format: Format) -> ExitCode {
    let options = BuildOptions {
        root: site_root(root.as_deref()),
        ..BuildOptions::default()
    };
    let dir = index_dir(&options.root);
    // Read under a shared lock: a build rewriting the index meanwhile waits,
    // and this waits for one already under way.
    let mut lock = IndexLock::shared(&dir);
    let search = match OpenSearch::open(&options.root).filter(|open| !open.is_stale(&options.root)) {
        Some(open) => open,
        None => {
            // Rebuild the index only (the output folder is left alone), which
            // takes the lock alone.
            drop(lock);
            if let Err(report) = render_and_index(&options) {
                eprint!("{}", report.render());
                return ExitCode::from(1);
            }
            lock = IndexLock::shared(&dir);
            match OpenSearch::open(&options.root) {
                Some(open) => open,
                None => {
                    eprintln!("error: the search index in .praxis/ could not be opened after rebuilding it");
                    return ExitCode::from(1);
                }
            }
        }
    };
    let answer = search.search(query, kind, limit);
    drop(lock);
    match answer {
        Ok(results) => {
            print_results(&results, format);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}

fn print_results(results: &SearchResults, format: Format) {
    match format {
        Format::Json => println!("{}", serde_json::to_string(results).unwrap_or_default()),
        Format::Text => {
            if results.hits.is_empty() {
                println!("No results for \"{}\".", printable(&results.query));
                return;
            }
            println!(
                "{} result{} for \"{}\":",
                results.total,
                if results.total == 1 { "" } else { "s" },
                printable(&results.query)
            );
            for (rank, hit) in results.hits.iter().enumerate() {
                let snippet = plain_snippet(&hit.snippet);
                println!(
                    "\n{:>2}. {} ({}, score {})\n    {}\n    {}",
                    rank + 1,
                    hit.title,
                    hit.kind,
                    hit.score,
                    hit.url,
                    snippet
                );
            }
        }
    }
}

/// A snippet's HTML as terminal text: marked words in brackets, the
/// characters `snippet` escapes back as they were.
fn plain_snippet(html: &str) -> String {
    html.replace("<mark>", "[")
        .replace("</mark>", "]")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The query as typed, with control characters shown as escapes: printed
/// raw, an escape sequence in a query would drive the terminal.
fn printable(query: &str) -> String {
    query
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(super::printable("knee\u{1b}[2Jpain\n"), "knee\\u{1b}[2Jpain\\n");
        assert_eq!(super::printable("épaule"), "épaule");
    }

    #[test]
    fn snippets_print_as_plain_text() {
        let html = crate::search::query::snippet::snippet("Parkinson's & <b> \"x\" &amp;", &["parkinson".into()]);
        assert_eq!(super::plain_snippet(&html), "[Parkinson]'s & <b> \"x\" &amp;");
    }
}
