//! The browser client and `praxis search` rank alike: for a fixed list of
//! queries on the demo site, the JavaScript planner (run under Node on the
//! exported static index) returns the same top 5 in the same order as the
//! Rust planner reading tantivy.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Copies the demo site (site.toml, synonyms.toml, content/) into a temp dir.
fn demo_copy() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    for file in ["site.toml", "synonyms.toml"] {
        std::fs::copy(repo.join(file), dir.path().join(file)).expect("copy demo config");
    }
    for entry in walkdir::WalkDir::new(repo.join("content")).into_iter().flatten() {
        let rel = entry.path().strip_prefix(repo).expect("under the repo");
        let target = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy content");
        }
    }
    dir
}

#[test]
fn javascript_client_ranks_like_praxis_search() {
    assert_parity(None);
}

/// With 3-posting heads nearly every query word has a tail: the client must
/// settle the top results from heads where it safely can and fetch tails
/// otherwise, and still rank exactly like the full evaluation in Rust.
#[test]
fn javascript_client_with_tiny_heads_still_ranks_alike() {
    assert_parity(Some(3));
}

fn assert_parity(postings_head: Option<usize>) {
    let Some(node) = crate::common::node_or_skip("search parity (JavaScript client against praxis search)") else {
        return;
    };
    let site = demo_copy();
    if let Some(head) = postings_head {
        let config = std::fs::read_to_string(site.path().join("site.toml")).expect("demo site.toml");
        assert!(config.contains("[search]\n"), "the demo site.toml has a [search] table");
        let config = config.replacen("[search]\n", &format!("[search]\npostings_head = {head}\n"), 1);
        std::fs::write(site.path().join("site.toml"), config).expect("write site.toml");
    }
    let root = site.path().to_str().unwrap();
    let output = site.path().join("public");
    crate::common::run_praxis(&["build", "--root", root], site.path()).assert_success();
    let queries_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/queries.txt");
    let queries: Vec<String> = std::fs::read_to_string(&queries_file)
        .expect("query list")
        .lines()
        .map(str::to_string)
        .filter(|q| !q.trim().is_empty())
        .collect();

    let node = Command::new(node)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/parity.mjs"))
        .arg(&output)
        .arg(&queries_file)
        .arg("--detail")
        .output()
        .expect("node must be installed to run the parity test (.ci/run installs it)");
    assert!(
        node.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&node.stderr)
    );
    let js_lines: Vec<Value> = String::from_utf8_lossy(&node.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(js_lines.len(), queries.len());

    let mut mismatches = Vec::new();
    for (query, js) in queries.iter().zip(&js_lines) {
        let run = crate::common::run_praxis(
            &["search", query, "--root", root, "--limit", "5", "--format", "json"],
            site.path(),
        );
        run.assert_success();
        let rust: Value = serde_json::from_str(&run.stdout).expect("search JSON");
        let rust_urls: Vec<&str> = rust["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["url"].as_str().unwrap())
            .collect();
        let js_urls: Vec<&str> = js["urls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap())
            .collect();
        assert_eq!(js["query"].as_str(), Some(query.as_str()));
        if rust_urls != js_urls {
            mismatches.push(format!("{query:?}\n  rust: {rust_urls:?}\n  js:   {js_urls:?}"));
        }
        assert!(!rust_urls.is_empty(), "every parity query finds something: {query:?}");
        // Same scores and snippets too: the browser's snippet text is the
        // excerpt the build exported, Rust's is cut from the stored text.
        let details = |hits: &Value| -> Vec<(f64, String)> {
            hits.as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    let score = h["score"].as_f64().unwrap_or(f64::NAN);
                    (score, h["snippet"].as_str().unwrap_or("").to_string())
                })
                .collect()
        };
        if rust_urls == js_urls && details(&rust["hits"]) != details(&js["hits"]) {
            mismatches.push(format!(
                "{query:?} (scores or snippets)\n  rust: {:?}\n  js:   {:?}",
                details(&rust["hits"]),
                details(&js["hits"])
            ));
        }
    }
    assert!(mismatches.is_empty(), "rankings differ:\n{}", mismatches.join("\n"));
}
