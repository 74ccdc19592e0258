//! Accepting connections without running out of them.
//!
//! Every open connection holds a file descriptor, and a process may hold
//! only so many (often 1,024). A preview that lets any number of idle or
//! slow clients in stops answering anyone once they fill the table: about
//! 1,010 idle live-reload streams did it. So here the open-files limit is
//! raised as far as the system allows, connections are counted against a
//! cap well below it (a new one waits for a place), a client that has not
//! sent its request headers within a few seconds is dropped, and the
//! live-reload streams have a cap of their own (`http`), so they never
//! take every place.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

/// How long a client may take to send a request's headers (and how long a
/// kept-alive connection may sit idle between requests).
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Descriptors kept free for what the server itself opens: the site's
/// files, the index, the watcher.
const RESERVED_DESCRIPTORS: u64 = 256;

/// The most connections served at once, whatever the limit allows.
const MAX_CONNECTIONS: u64 = 4096;

/// How many connections the server takes at once, and how many of those
/// may be live-reload streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) connections: usize,
    pub(crate) event_streams: usize,
}

impl Limits {
    /// The limits for a process that may hold `descriptors` open files.
    pub(crate) fn for_descriptors(descriptors: u64) -> Limits {
        let connections = descriptors
            .saturating_sub(RESERVED_DESCRIPTORS)
            .saturating_mul(3)
            .checked_div(4)
            .unwrap_or(0)
            .clamp(32, MAX_CONNECTIONS) as usize;
        Limits {
            connections,
            event_streams: (connections / 4).max(8),
        }
    }
}

/// Raises the soft limit on open files to the hard one (as far as
/// [`MAX_CONNECTIONS`] needs), and returns the limit now in force.
// `rlim_t` is u64 on Linux but not on every Unix: the casts are not idle.
#[allow(clippy::unnecessary_cast)]
pub(crate) fn raise_open_files_limit() -> u64 {
    #[cfg(unix)]
    {
        let wanted = MAX_CONNECTIONS * 2 + RESERVED_DESCRIPTORS;
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the one struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
            return 1024;
        }
        let target = limit.rlim_max.min(wanted as libc::rlim_t);
        if limit.rlim_cur < target {
            let raised = libc::rlimit {
                rlim_cur: target,
                rlim_max: limit.rlim_max,
            };
            // SAFETY: setrlimit reads the one struct it is given; a soft
            // limit at or below the hard one is always allowed.
            if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
                return target as u64;
            }
        }
        limit.rlim_cur as u64
    }
    #[cfg(not(unix))]
    {
        1024
    }
}

/// Serves `app` on `listener` until `stopping` turns true, at most
/// `limits.connections` connections at once.
pub(crate) async fn serve(listener: TcpListener, app: Router, limits: Limits, mut stopping: watch::Receiver<bool>) {
    let places = Arc::new(Semaphore::new(limits.connections));
    loop {
        // Wait for a place first: past the cap, clients wait in the
        // system's queue instead of taking a descriptor each.
        let place = tokio::select! {
            place = places.clone().acquire_owned() => place,
            _ = stopping.wait_for(|stop| *stop) => return,
        };
        let Ok(place) = place else { return };
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of descriptors for a moment, or a client that reset
                // before it was accepted: try again shortly.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopping.wait_for(|stop| *stop) => return,
        };
        let service = TowerToHyperService::new(app.clone());
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            // (The watch's guard must not live across the await below.)
            let stop = async move {
                let _ = stopping.wait_for(|stop| *stop).await;
            };
            tokio::select! {
                _ = connection.as_mut() => {}
                () = stop => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(place);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_stay_below_the_descriptors() {
        let common = Limits::for_descriptors(1024);
        assert_eq!(common.connections, 576);
        assert_eq!(common.event_streams, 144);
        assert!(common.connections < 1024 - RESERVED_DESCRIPTORS as usize);
        assert_eq!(Limits::for_descriptors(1_048_576).connections, 4096);
        assert_eq!(
            Limits::for_descriptors(100).connections,
            32,
            "some place even when the limit is tiny"
        );
    }
}
