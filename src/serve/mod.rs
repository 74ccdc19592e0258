//! `praxis serve`: build once, serve from memory, rebuild on every save.
//!
//! Three parts run side by side: the HTTP server (tokio + axum, `http`),
//! one builder thread that owns the [`Session`] and rebuilds on each change
//! the watcher reports, and one search thread that rebuilds the tantivy
//! index after a good rebuild (the slowest part, so pages reload without
//! waiting for it). The user's output folder is never touched.

pub(crate) mod affected;
pub(crate) mod connections;
pub(crate) mod files;
pub(crate) mod http;
pub mod session;
pub(crate) mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use crate::build::BuildOptions;
use crate::search::{OpenSearch, SearchDoc, index_documents_in, index_order};
use http::{LiveEvent, Shared};
use session::{Change, FileMap, SearchInput, ServedFile, Session};

/// What the command line asks of `serve`.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub(crate) root: PathBuf,
    pub(crate) bind: IpAddr,
    pub(crate) port: u16,
    pub(crate) drafts: bool,
    /// Print the time each step of a rebuild took.
    pub(crate) timings: bool,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ServeError {
    #[error("cannot listen on {bind} ports {first}-{last}: all are in use")]
    PortsBusy { bind: IpAddr, first: u16, last: u16 },
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("no site.toml in {0}")]
    NoSite(PathBuf),
    #[error("cannot watch the site folder: {0}")]
    Watch(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The search index is rebuilt once saves pause for this long.
const SEARCH_QUIET: std::time::Duration = std::time::Duration::from_millis(500);

/// How many ports after the asked one are tried when it is busy.
const PORT_TRIES: u16 = 10;

/// Runs the server until Ctrl-C.
pub(crate) fn run(options: ServeOptions) -> Result<(), ServeError> {
    if !options.root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(ServeError::NoSite(options.root.clone()));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(serve(options))
}

async fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let limits = connections::Limits::for_descriptors(connections::raise_open_files_limit());
    let listener = bind(options.bind, options.port).await?;
    let address = listener.local_addr()?;
    if options.port != 0 && address.port() != options.port {
        println!(
            "Port {} is in use; serving on {} instead.",
            options.port,
            address.port()
        );
    }
    let host = if address.ip().is_unspecified() {
        format!("localhost:{}", address.port())
    } else {
        address.to_string()
    };
    let base_url = format!("http://{host}");
    let shared = Shared::new(&options.root, limits.event_streams);

    let (changes_tx, changes_rx) = channel();
    let mut watcher =
        watch::SiteWatcher::start(&options.root, changes_tx).map_err(|err| ServeError::Watch(err.to_string()))?;
    let session = Session::new(BuildOptions {
        root: options.root.clone(),
        output: None,
        base_url: Some(base_url.clone()),
        drafts: options.drafts,
        portable: false,
        delete_foreign: false,
        strict: false,
    });
    let search = SearchWorker::start(options.root.clone(), shared.clone());
    let builder_shared = shared.clone();
    // The first build runs before the address is printed, so the first
    // page a writer opens is ready.
    let (first_tx, first_rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("praxis-builder".into())
        .spawn(move || {
            let mut builder = Builder {
                timings: options.timings,
                session,
                shared: builder_shared,
                search,
            };
            builder.rebuild(&Change::Everything);
            let _ = first_tx.send(());
            builder.run(changes_rx, &mut watcher);
        })?;
    let stop = stop_signal()?;
    let _ = first_rx.await;
    if address.ip().is_unspecified() {
        println!(
            "Serving {} at {base_url}/ and, from other machines, {} (Ctrl-C to stop)",
            options.root.display(),
            network_address(address)
        );
        println!(
            "Warning: --bind {} makes the preview reachable from the network: anyone who can reach this machine can read the site, drafts included.",
            address.ip()
        );
    } else {
        println!("Serving {} at {base_url}/ (Ctrl-C to stop)", options.root.display());
    }

    let app = http::router(shared.clone());
    let server = connections::serve(listener, app, limits, shared.stopping());
    tokio::select! {
        () = server => {}
        () = stop => {
            println!("\nStopping.");
            shared.stop();
        }
    }
    // Open requests get a moment to finish; a client that never finishes
    // sending its request must not keep the server up.
    tokio::time::sleep(SHUTDOWN_GRACE).await;
    Ok(())
}

/// Where other machines reach a server bound to every address: the
/// address this machine's own traffic would leave from (found without
/// sending anything), else every address of it.
fn network_address(bound: SocketAddr) -> String {
    let probe = std::net::UdpSocket::bind(("0.0.0.0", 0)).and_then(|socket| {
        socket.connect(("192.0.2.1", 9))?;
        socket.local_addr()
    });
    match probe {
        Ok(local) if !local.ip().is_unspecified() && !local.ip().is_loopback() => {
            format!("http://{}:{}/", local.ip(), bound.port())
        }
        _ => format!("any address of this machine on port {}", bound.port()),
    }
}

/// How long requests still open at Ctrl-C may take to finish.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// Resolves on Ctrl-C (or SIGTERM). The handlers are installed when this
/// is called, not when first awaited, so no early signal is lost.
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// Binds `port`, or the next free one of [`PORT_TRIES`].
async fn bind(ip: IpAddr, port: u16) -> Result<tokio::net::TcpListener, ServeError> {
    let last = port.saturating_add(PORT_TRIES - 1);
    for candidate in port..=last {
        let address = SocketAddr::new(ip, candidate);
        match tokio::net::TcpListener::bind(address).await {
            Ok(listener) => return Ok(listener),
            Err(err) if err.kind() == std::io::ErrorKind::AddrInUse && port != 0 => continue,
            Err(err) => return Err(ServeError::Bind(address, err)),
        }
    }
    Err(ServeError::PortsBusy {
        bind: ip,
        first: port,
        last,
    })
}

/// The builder thread: one rebuild at a time, changes that arrive meanwhile
/// are merged into the next one.
struct Builder {
    timings: bool,
    session: Session,
    shared: Arc<Shared>,
    search: Arc<SearchWorker>,
}

impl Builder {
    fn run(&mut self, changes: Receiver<Change>, watcher: &mut watch::SiteWatcher) {
        watcher.watch_files(&self.session.extra_sources());
        while let Ok(first) = changes.recv() {
            let mut change = first;
            while let Ok(more) = changes.try_recv() {
                change = merge(change, more);
            }
            if change == Change::Everything {
                watcher.watch_new_folders();
            }
            self.rebuild(&change);
            // site.toml may name another synonyms file now.
            watcher.watch_files(&self.session.extra_sources());
        }
    }

    fn rebuild(&mut self, change: &Change) {
        let start = Instant::now();
        match self.session.rebuild(change) {
            Ok(rebuilt) => {
                set(&self.shared.site, rebuilt.files.clone());
                set(&self.shared.errors, None);
                self.shared.send(LiveEvent::Reload);
                let warnings = rebuilt.report.diagnostics.len();
                if matches!(change, Change::Everything) {
                    eprint!("{}", rebuilt.report.render());
                }
                println!(
                    "Built {} pages: {} files rendered{} in {} ms{}",
                    rebuilt.pages,
                    rebuilt.rendered,
                    if rebuilt.everything { "" } else { " (only what changed)" },
                    start.elapsed().as_millis(),
                    if warnings > 0 {
                        format!(", {warnings} warning{}", if warnings == 1 { "" } else { "s" })
                    } else {
                        String::new()
                    }
                );
                if self.timings {
                    for (step, took) in &rebuilt.timings {
                        println!("  {step:<10} {:>8.1} ms", took.as_secs_f64() * 1000.0);
                    }
                }
                self.search.submit(rebuilt.search);
                release_freed_memory();
            }
            Err(report) => {
                let text = report.render();
                eprint!("{text}");
                let built = !self.shared.site.read().map(|site| site.is_empty()).unwrap_or(true);
                if built {
                    eprintln!("Still serving the last good build; fix the errors and save.");
                } else {
                    eprintln!("Nothing built yet: the pages show these errors until they are fixed and saved.");
                }
                set(&self.shared.errors, Some(text.clone()));
                self.shared.send(LiveEvent::Errors(text));
            }
        }
    }
}

fn merge(a: Change, b: Change) -> Change {
    match (a, b) {
        (Change::Content(mut x), Change::Content(y)) => {
            x.extend(y);
            Change::Content(x)
        }
        _ => Change::Everything,
    }
}

fn set<T>(lock: &std::sync::RwLock<T>, value: T) {
    match lock.write() {
        Ok(mut guard) => *guard = value,
        Err(poisoned) => *poisoned.into_inner() = value,
    }
}

/// Rebuilds the search index of the newest good site, one at a time; a
/// site submitted while an index builds replaces any older waiting one.
struct SearchWorker {
    root: PathBuf,
    shared: Arc<Shared>,
    next: Mutex<Option<SearchInput>>,
    wake: Condvar,
    generation: std::sync::atomic::AtomicU64,
}

impl SearchWorker {
    fn start(root: PathBuf, shared: Arc<Shared>) -> Arc<SearchWorker> {
        let worker = Arc::new(SearchWorker {
            root,
            shared,
            next: Mutex::new(None),
            wake: Condvar::new(),
            generation: Default::default(),
        });
        let thread_worker = worker.clone();
        let _ = std::thread::Builder::new()
            .name("praxis-search".into())
            .spawn(move || thread_worker.run());
        worker
    }

    fn submit(&self, input: SearchInput) {
        if let Ok(mut next) = self.next.lock() {
            *next = Some(input);
            self.wake.notify_one();
        }
    }

    fn run(&self) {
        // Its own single thread: on the shared pool, a page rebuild after
        // the next save would queue behind seconds of indexing.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "praxis-search-pool".into())
            .build();
        loop {
            let input = {
                let Ok(mut next) = self.next.lock() else { return };
                loop {
                    if let Some(input) = next.take() {
                        break input;
                    }
                    next = match self.wake.wait(next) {
                        Ok(guard) => guard,
                        Err(_) => return,
                    };
                }
            };
            // Saves often come in runs: index once they pause.
            std::thread::sleep(SEARCH_QUIET);
            if let Ok(mut next) = self.next.lock()
                && next.is_some()
            {
                *next = Some(next.take().unwrap_or(input));
                continue;
            }
            match &pool {
                Ok(pool) => pool.install(|| self.index(&input, &self.root)),
                Err(_) => self.index(&input, &self.root),
            }
        }
    }

    fn index(&self, input: &SearchInput, root: &Path) {
        let start = Instant::now();
        let generation = self.generation.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let docs: Vec<SearchDoc> = index_order(input.docs.iter().map(|page| page.iter().cloned()));
        // Whether it holds drafts only matters to `praxis search`, which
        // never reads the preview's index.
        match index_documents_in(&serve_index_dir(root), root, &docs, &input.config, false) {
            Ok(build) => {
                let files: FileMap = build
                    .files
                    .into_iter()
                    .map(|file| {
                        let etag = format!("\"{:x}-s{generation:x}\"", session::server_instance());
                        (
                            file.path,
                            Arc::new(ServedFile {
                                contents: file.contents,
                                etag,
                                disk: None,
                            }),
                        )
                    })
                    .collect();
                set(&self.shared.search_files, Arc::new(files));
                set(
                    &self.shared.search,
                    OpenSearch::open_in(&serve_index_dir(root)).map(Arc::new),
                );
                println!(
                    "Search index: {} documents in {} ms",
                    build.documents,
                    start.elapsed().as_millis()
                );
            }
            Err(err) => eprintln!("search index: {err}"),
        }
        release_freed_memory();
    }
}

/// Hands memory freed by the last rebuild back to the system. Each rebuild
/// briefly holds an old and a new site; glibc keeps what they freed in its
/// arenas, so without this a server's size only ever grows with edits.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's own heaps.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// serve's own index, apart from the one `build` and `search` share
/// (`.praxis/index/`): a preview may hold drafts, and an index being
/// rebuilt here must not lock out a `praxis search` run beside it.
fn serve_index_dir(root: &Path) -> PathBuf {
    root.join(".praxis/serve/index")
}
