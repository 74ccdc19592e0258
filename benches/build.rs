//! Build benchmark ("Performance from the start").
//!
//! ```text
//! cargo bench --bench build                     # sizes 1000 and 10000
//! cargo bench --bench build -- 1000 5000 20000  # chosen sizes
//! cargo bench --bench build -- --seed 7 1000    # another synthetic site
//! cargo bench --bench build -- --no-child 1000  # skip the per-size memory run
//! cargo bench --bench build -- --tmpdir /dev/shm # sites on tmpfs: no disk noise
//! cargo bench --bench build -- --generate DIR N # only write a site of N pages
//! ```
//!
//! For each size N a synthetic site (benches/synthetic) is generated into a
//! temporary folder and built twice with `praxis::build::build`: the first
//! (cold) run and the second (warm: OS file cache filled, output folder
//! already present, so the write stage also swaps the old output away and
//! deletes it). `sync` runs before every timed build so the write-back of
//! earlier files does not land in its timings.
//! Peak memory (VmHWM) is process-wide and never goes down, so each size is
//! also built once more in a fresh child process (this executable re-run
//! with `PRAXIS_BENCH_CHILD=<site folder>`), whose VmHWM is the honest peak
//! of one build of that size.

mod synthetic;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use praxis::build::{BuildOptions, build};

const CHILD_ENV: &str = "PRAXIS_BENCH_CHILD";
const DEFAULT_SIZES: &[usize] = &[1000, 10_000];
const DEFAULT_SEED: u64 = 42;

struct Args {
    sizes: Vec<usize>,
    seed: u64,
    child: bool,
    generate: Option<(PathBuf, usize)>,
    /// Where the temporary sites go (default: the system temp folder).
    tmpdir: Option<PathBuf>,
}

fn parse_size(text: &str) -> Option<usize> {
    let cleaned: String = text.chars().filter(|c| *c != '_' && *c != ',').collect();
    let (digits, factor) = match cleaned.strip_suffix(['k', 'K']) {
        Some(digits) => (digits, 1000),
        None => (cleaned.as_str(), 1),
    };
    digits.parse::<usize>().ok().map(|n| n * factor).filter(|n| *n > 0)
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        sizes: Vec::new(),
        seed: DEFAULT_SEED,
        child: true,
        generate: None,
        tmpdir: None,
    };
    let mut rest = std::env::args().skip(1);
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--generate" => {
                let dir = rest.next().ok_or("--generate needs DIR and N")?;
                let n = rest
                    .next()
                    .as_deref()
                    .and_then(parse_size)
                    .ok_or("--generate needs DIR and N (a page count)")?;
                args.generate = Some((PathBuf::from(dir), n));
            }
            "--seed" => {
                args.seed = rest
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seed needs a number")?;
            }
            "--no-child" => args.child = false,
            "--tmpdir" => args.tmpdir = Some(PathBuf::from(rest.next().ok_or("--tmpdir needs a folder")?)),
            // libtest flags cargo passes (`--bench`) or a user may add.
            flag if flag.starts_with('-') => {}
            size => match parse_size(size) {
                Some(n) => args.sizes.push(n),
                None => eprintln!("ignoring argument `{size}` (not a page count)"),
            },
        }
    }
    if args.sizes.is_empty() {
        args.sizes = DEFAULT_SIZES.to_vec();
    }
    Ok(args)
}

/// A field of /proc/self/status in kB (`VmHWM`, `VmRSS`); `None` off Linux.
fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let value = line.strip_prefix(field)?.strip_prefix(':')?;
        value.split_whitespace().next()?.parse().ok()
    })
}

fn mb_from_kb(kb: Option<u64>) -> String {
    kb.map_or_else(|| "n/a".to_string(), |kb| format!("{:.0}", kb as f64 / 1024.0))
}

/// What one build took.
struct Run {
    pages: usize,
    files: usize,
    bytes: u64,
    wall: Duration,
    /// User + system CPU time of the whole process (every thread) during
    /// the build; far below `wall` x threads means waiting (disk, locks).
    cpu: Option<Duration>,
    stages: Vec<(&'static str, Duration)>,
    warnings: usize,
}

/// User + system CPU time of this process so far (every thread), from
/// /proc/self/stat; assumes the usual 100 clock ticks per second.
fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are
    // fields 14 and 15 of the whole line, so 12 and 13 after it.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Flushes dirty pages (the generated sources, a previous build's output)
/// so the next timed build is not throttled by their write-back. Best
/// effort: `sync` may be missing on some systems.
fn flush_disk() {
    let start = Instant::now();
    let _ = Command::new("sync").status();
    let took = start.elapsed();
    if took > Duration::from_millis(500) {
        println!("(sync before the build took {:.1} s)", took.as_secs_f64());
    }
}

/// A build without the search stage (render, then write into a folder of
/// its own): what the core generator costs by itself.
fn run_build_without_search(root: &Path) -> Result<Duration, String> {
    flush_disk();
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: Some(root.join("public-no-search")),
        ..Default::default()
    };
    let start = Instant::now();
    let rendered = praxis::build::render(&options).map_err(|report| report.render())?;
    praxis::write::write_output(root, &rendered.output_dir, &rendered.files, Default::default())
        .map_err(|e| e.to_string())?;
    Ok(start.elapsed())
}

fn run_build(root: &Path) -> Result<Run, String> {
    flush_disk();
    let options = BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    let cpu_before = process_cpu_time();
    let start = Instant::now();
    let result = build(&options);
    let wall = start.elapsed();
    let cpu = cpu_before
        .zip(process_cpu_time())
        .map(|(before, after)| after.saturating_sub(before));
    match result {
        Ok((rendered, written)) => {
            let warnings = rendered.report.diagnostics.len();
            if warnings > 0 {
                let text = rendered.report.render();
                let shown: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
                eprintln!("{warnings} warning(s), the first ones:\n{shown}");
            }
            Ok(Run {
                pages: rendered.page_count(),
                files: written.files,
                bytes: written.bytes,
                wall,
                cpu,
                stages: rendered.timings.clone(),
                warnings,
            })
        }
        Err(praxis::build::BuildError::Content(report)) => {
            let text = report.render();
            let shown: String = text.lines().take(60).collect::<Vec<_>>().join("\n");
            Err(format!("the synthetic site has errors:\n{shown}"))
        }
        Err(err) => Err(format!("build failed: {err}")),
    }
}

/// Child mode: one build of an already generated site, then its peak memory.
fn child(site: &str) -> ExitCode {
    let before = proc_status_kb("VmHWM");
    match run_build(Path::new(site)) {
        Ok(run) => {
            println!(
                "child pages={} wall_ms={:.1} vmhwm_before_kb={} vmhwm_kb={}",
                run.pages,
                run.wall.as_secs_f64() * 1000.0,
                before.unwrap_or(0),
                proc_status_kb("VmHWM").unwrap_or(0)
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Peak memory of one build of `site` in a fresh process, in kB.
fn child_peak_kb(site: &Path) -> Result<(u64, f64), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the bench executable: {e}"))?;
    let output = Command::new(exe)
        .env(CHILD_ENV, site)
        .output()
        .map_err(|e| format!("cannot run the child build: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "child build failed: {}{}",
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let line = stdout
        .lines()
        .find(|l| l.starts_with("child "))
        .ok_or("the child printed no result")?;
    let field = |name: &str| -> Option<f64> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
    };
    let hwm = field("vmhwm_kb").ok_or("the child printed no vmhwm_kb")? as u64;
    let wall_ms = field("wall_ms").unwrap_or(f64::NAN);
    Ok((hwm, wall_ms))
}

/// Everything measured for one size.
struct SizeResult {
    requested: usize,
    cold: Run,
    warm: Run,
    /// Warm build without the search stage.
    no_search: Duration,
    gen_secs: f64,
    source_mb: f64,
    process_hwm_kb: Option<u64>,
    child: Option<(u64, f64)>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pages_per_sec(run: &Run) -> f64 {
    run.pages as f64 / run.wall.as_secs_f64()
}

fn cpu_secs(run: &Run) -> String {
    run.cpu
        .map_or_else(|| "n/a".to_string(), |cpu| format!("{:.2}", cpu.as_secs_f64()))
}

fn stage_line(run: &Run) -> String {
    run.stages
        .iter()
        .map(|(name, took)| format!("{name} {:.1}", ms(*took)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn bench_size(n: usize, args: &Args) -> Result<SizeResult, String> {
    let (seed, measure_child) = (args.seed, args.child);
    let mut builder = tempfile::Builder::new();
    builder.prefix("praxis-bench-");
    let dir = match &args.tmpdir {
        Some(parent) => builder.tempdir_in(parent),
        None => builder.tempdir(),
    }
    .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let root = dir.path();
    println!("== {n} pages (seed {seed}) in {} ==", root.display());

    let start = Instant::now();
    let summary = synthetic::generate(root, n, seed).map_err(|e| format!("cannot write the synthetic site: {e}"))?;
    let gen_secs = start.elapsed().as_secs_f64();
    let source_mb = summary.bytes as f64 / 1_000_000.0;
    println!(
        "generated  {} pages ({} techniques, {} applications, {} articles, {} faq), {} words, {:.1} MB of sources in {:.2} s",
        summary.pages,
        summary.techniques,
        summary.applications,
        summary.articles,
        summary.faqs,
        summary.words,
        source_mb,
        gen_secs
    );

    let cold = run_build(root)?;
    println!(
        "cold build {:.3} s ({} s cpu), {:.0} pages/s; stages ms: {}",
        cold.wall.as_secs_f64(),
        cpu_secs(&cold),
        pages_per_sec(&cold),
        stage_line(&cold)
    );
    let warm = run_build(root)?;
    println!(
        "warm build {:.3} s ({} s cpu), {:.0} pages/s; stages ms: {}",
        warm.wall.as_secs_f64(),
        cpu_secs(&warm),
        pages_per_sec(&warm),
        stage_line(&warm)
    );
    run_build_without_search(root)?;
    let no_search = run_build_without_search(root)?;
    println!(
        "no search  {:.3} s (warm build without the search stage), {:.0} pages/s",
        no_search.as_secs_f64(),
        warm.pages as f64 / no_search.as_secs_f64()
    );
    println!(
        "output     {} pages, {} files, {:.1} MB, {} warning(s)",
        warm.pages,
        warm.files,
        warm.bytes as f64 / 1_000_000.0,
        warm.warnings
    );
    let process_hwm_kb = proc_status_kb("VmHWM");
    println!(
        "memory     process peak so far (all sizes up to here): {} MB",
        mb_from_kb(process_hwm_kb)
    );

    let child = if measure_child {
        let (hwm, wall_ms) = child_peak_kb(root)?;
        println!(
            "memory     peak of one build in a fresh process: {} MB (that build: {:.3} s)",
            mb_from_kb(Some(hwm)),
            wall_ms / 1000.0
        );
        Some((hwm, wall_ms))
    } else {
        None
    };
    println!();
    Ok(SizeResult {
        requested: n,
        cold,
        warm,
        no_search,
        gen_secs,
        source_mb,
        process_hwm_kb,
        child,
    })
}

fn print_table(results: &[SizeResult]) {
    // Stage names in order of first appearance, so new stages show up.
    let mut stages: Vec<&'static str> = Vec::new();
    for result in results {
        for (name, _) in &result.warm.stages {
            if !stages.contains(name) {
                stages.push(name);
            }
        }
    }
    let mut header = vec![
        "pages".to_string(),
        "files".into(),
        "out MB".into(),
        "src MB".into(),
        "gen s".into(),
        "cold s".into(),
        "warm s".into(),
        "no search s".into(),
        "cpu s".into(),
        "pages/s".into(),
    ];
    header.extend(stages.iter().map(|s| format!("{s} ms")));
    header.push("peak MB".into());
    header.push("proc MB".into());

    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            let mut row = vec![
                r.warm.pages.to_string(),
                r.warm.files.to_string(),
                format!("{:.1}", r.warm.bytes as f64 / 1_000_000.0),
                format!("{:.1}", r.source_mb),
                format!("{:.2}", r.gen_secs),
                format!("{:.3}", r.cold.wall.as_secs_f64()),
                format!("{:.3}", r.warm.wall.as_secs_f64()),
                format!("{:.3}", r.no_search.as_secs_f64()),
                cpu_secs(&r.warm),
                format!("{:.0}", pages_per_sec(&r.warm)),
            ];
            for stage in &stages {
                let took = r.warm.stages.iter().find(|(name, _)| name == stage).map(|(_, d)| *d);
                row.push(took.map_or_else(|| "-".to_string(), |d| format!("{:.1}", ms(d))));
            }
            row.push(r.child.map_or_else(|| "-".to_string(), |(kb, _)| mb_from_kb(Some(kb))));
            row.push(mb_from_kb(r.process_hwm_kb));
            row
        })
        .collect();

    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|row| row[i].len())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:>w$}"))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    println!("{}", line(&header));
    println!(
        "{}",
        widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("-|-")
    );
    for row in &rows {
        println!("{}", line(row));
    }
    println!();
    println!("warm = second build of the same site (its stages are shown); cold = first build.");
    println!("no search s = a warm build without the search stage (render and write only).");
    println!("cpu s = user + system CPU time of the warm build, all threads together.");
    println!("peak MB = VmHWM of one build in a fresh child process; proc MB = VmHWM of this process after that size.");
    for r in results {
        if r.warm.pages != r.requested {
            println!("note: {} pages requested, {} built", r.requested, r.warm.pages);
        }
    }
}

fn main() -> ExitCode {
    if let Ok(site) = std::env::var(CHILD_ENV) {
        return child(&site);
    }
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    if let Some((dir, n)) = &args.generate {
        return match synthetic::generate(dir, *n, args.seed) {
            Ok(summary) => {
                println!(
                    "wrote a site of {} pages ({} words, {:.1} MB) into {}",
                    summary.pages,
                    summary.words,
                    summary.bytes as f64 / 1_000_000.0,
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("error: cannot write the site into {}: {err}", dir.display());
                ExitCode::FAILURE
            }
        };
    }

    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    println!(
        "praxis build benchmark: sizes {:?}, seed {}, {threads} hardware threads\n",
        args.sizes, args.seed
    );
    let mut results = Vec::new();
    for &n in &args.sizes {
        match bench_size(n, &args) {
            Ok(result) => results.push(result),
            Err(message) => {
                eprintln!("error at {n} pages: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    print_table(&results);
    ExitCode::SUCCESS
}
