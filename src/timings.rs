//! Wall time of the steps of a run, for `--timings`, `serve --timings` and
//! the benchmarks: shared by every stage that times its own steps.

use std::time::{Duration, Instant};

/// Wall time of each step of a run, for `--timings` and the benchmarks.
pub(crate) struct Laps {
    pub(crate) timings: Vec<(&'static str, Duration)>,
    clock: Instant,
}

impl Laps {
    pub(crate) fn new() -> Laps {
        Laps {
            timings: Vec::new(),
            clock: Instant::now(),
        }
    }

    /// Records the time since the last lap under `name`.
    pub(crate) fn lap(&mut self, name: &'static str) {
        self.timings.push((name, self.clock.elapsed()));
        self.clock = Instant::now();
    }
}

impl Default for Laps {
    fn default() -> Self {
        Laps::new()
    }
}
