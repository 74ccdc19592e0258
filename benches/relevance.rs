//! Relevance on the demo site: Praxis search (synonyms, prefixes, typos)
//! against plain BM25 on the same tantivy index without them.
//!
//! `cargo bench --bench relevance` prints, for each query, where the page a
//! reader wants lands in the top 5 of each, and the queries that still fail.

use std::path::Path;

use praxis::build::{BuildOptions, render};
use praxis::search::{OpenSearch, PlanOptions, SynonymSet, build_search, site_synonyms};

/// (query, the page a reader is after).
const CASES: &[(&str, &str)] = &[
    ("cva", "/applications/stroke/"),
    ("brain attack", "/applications/stroke/"),
    ("tka", "/applications/total-knee-replacement/"),
    ("tkr", "/applications/total-knee-replacement/"),
    ("knee arthroplasty", "/applications/total-knee-replacement/"),
    ("e-stim", "/techniques/neuromuscular-electrical-stimulation/"),
    ("estim", "/techniques/neuromuscular-electrical-stimulation/"),
    ("pnf", "/techniques/proprioceptive-neuromuscular-facilitation/"),
    ("lbp", "/applications/chronic-low-back-pain/"),
    ("bppv", "/applications/vestibular-disorders/"),
    ("ms", "/applications/multiple-sclerosis/"),
    ("sci", "/applications/spinal-cord-injury/"),
    ("cimt", "/techniques/constraint-induced-movement-therapy/"),
    ("crps", "/applications/complex-regional-pain-syndrome/"),
    (
        "neuromuscluar stimulation",
        "/techniques/neuromuscular-electrical-stimulation/",
    ),
    ("mirorr therapy", "/techniques/mirror-therapy/"),
    ("perturbation trainng", "/techniques/perturbation-training/"),
    ("biofedback", "/techniques/biofeedback/"),
    ("parkinsons", "/applications/parkinsons-disease/"),
    ("physiotherapy for vertigo", "/applications/vestibular-disorders/"),
    ("graded motor imagery", "/techniques/motor-imagery/"),
    ("constraint induced", "/techniques/constraint-induced-movement-therapy/"),
    // From a review of 40 queries as patients and therapists type them.
    ("dizzy when I roll over in bed", "/applications/vestibular-disorders/"),
    ("sciatica", "/applications/chronic-low-back-pain/"),
    ("paraplegic", "/applications/spinal-cord-injury/"),
    ("epley maneuver", "/applications/vestibular-disorders/"),
    ("stroke rehab", "/applications/stroke/"),
    ("vestibular rehab", "/techniques/balance-and-vestibular-training/"),
    ("pins and needles", "/applications/neurological-disorders/"),
    ("freezing of gait", "/applications/parkinsons-disease/"),
    (
        "neuromuscular reeducation",
        "/articles/neuromuscular-re-education-guide/",
    ),
    ("knee oedema", "/applications/total-knee-replacement/"),
    ("TENS", "/techniques/neuromuscular-electrical-stimulation/"),
    ("how long is PT", "/faq/general/"),
    ("can my husband come to my appointment", "/faq/general/"),
    ("fisiotherapy", "/faq/general/"),
];

fn copy_demo(target: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["site.toml", "synonyms.toml"] {
        std::fs::copy(repo.join(file), target.join(file)).expect("copy demo config");
    }
    for entry in walkdir::WalkDir::new(repo.join("content")).into_iter().flatten() {
        let rel = entry.path().strip_prefix(repo).expect("inside the repo");
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(target.join(rel)).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), target.join(rel)).expect("copy page");
        }
    }
}

/// Builds the index of the demo copy at `root` with or without synonyms.
fn indexed(root: &Path, with_synonyms: bool) -> OpenSearch {
    copy_demo(root);
    let options = BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    };
    let rendered = render(&options).unwrap_or_else(|report| panic!("demo site has errors:\n{}", report.render()));
    let synonyms = if with_synonyms {
        let synonyms = site_synonyms(root, &rendered.site);
        assert!(
            synonyms.diagnostics().is_empty(),
            "demo synonyms: {:?}",
            synonyms.diagnostics()
        );
        synonyms.set
    } else {
        SynonymSet::empty()
    };
    build_search(root, &rendered.site, &synonyms).expect("index builds");
    OpenSearch::open(root).expect("index opens")
}

fn rank_of(search: &OpenSearch, query: &str, wanted: &str, options: PlanOptions) -> Option<usize> {
    let results = search.search_with(query, None, 5, options).expect("search runs");
    results
        .hits
        .iter()
        .position(|hit| hit.url.split('#').next() == Some(wanted))
        .map(|i| i + 1)
}

fn main() {
    let praxis_dir = tempfile::tempdir().expect("temp dir");
    let plain_dir = tempfile::tempdir().expect("temp dir");
    let praxis = indexed(praxis_dir.path(), true);
    let plain = indexed(plain_dir.path(), false);
    let plain_options = PlanOptions {
        prefixes: false,
        typos: false,
    };

    println!("{:<28} {:>8} {:>8}", "query", "praxis", "bm25");
    let (mut praxis_found, mut plain_found, mut failures) = (0, 0, Vec::new());
    for (query, wanted) in CASES {
        let ours = rank_of(&praxis, query, wanted, PlanOptions::default());
        let theirs = rank_of(&plain, query, wanted, plain_options);
        let show = |rank: Option<usize>| rank.map_or_else(|| "-".to_string(), |r| format!("#{r}"));
        println!("{query:<28} {:>8} {:>8}", show(ours), show(theirs));
        praxis_found += usize::from(ours.is_some());
        plain_found += usize::from(theirs.is_some());
        if ours != Some(1) {
            failures.push(format!("{query} -> {wanted} ({})", show(ours)));
        }
    }
    println!(
        "\nwanted page in top 5: praxis {praxis_found}/{n}, plain BM25 {plain_found}/{n}",
        n = CASES.len()
    );
    println!(
        "not first with praxis: {}",
        if failures.is_empty() {
            "none".to_string()
        } else {
            failures.join("; ")
        }
    );
}
