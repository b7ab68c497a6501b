//! How long to wait before reconnecting: doubling from half a second up to half a minute,
//! with jitter so that every phone of a makerspace does not reconnect at the same instant
//! after the router restarts.

use std::time::Duration;

const FIRST: Duration = Duration::from_millis(500);
const LONGEST: Duration = Duration::from_secs(30);

/// Counts failed attempts since the connection last held.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    /// Failed attempts in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Records a failure and says how long to wait; `random` is uniform in `[0, 1)`.
    pub fn next_delay(&mut self, random: f64) -> Duration {
        let ceiling = FIRST
            .saturating_mul(1 << self.failures.min(16))
            .min(LONGEST);
        self.failures = self.failures.saturating_add(1);
        // Between half the ceiling and all of it: spread out, but never a tight loop.
        ceiling.mul_f64(0.5 + random.clamp(0.0, 1.0) / 2.0)
    }

    /// The connection held: the next failure starts from the shortest wait again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_each_failure() {
        let mut backoff = Backoff::default();

        let waits: Vec<Duration> = (0..4).map(|_| backoff.next_delay(1.0)).collect();

        assert_eq!(
            waits,
            [500, 1000, 2000, 4000].map(Duration::from_millis).to_vec()
        );
    }

    #[test]
    fn waits_never_exceed_half_a_minute() {
        let mut backoff = Backoff::default();

        let longest = (0..100).map(|_| backoff.next_delay(1.0)).max();

        assert_eq!(longest, Some(LONGEST));
    }

    #[test]
    fn jitter_keeps_at_least_half_the_wait() {
        let mut backoff = Backoff::default();

        assert_eq!(backoff.next_delay(0.0), Duration::from_millis(250));
    }

    #[test]
    fn a_reset_starts_from_the_shortest_wait() {
        let mut backoff = Backoff::default();
        backoff.next_delay(1.0);
        backoff.next_delay(1.0);

        backoff.reset();

        assert_eq!(backoff.next_delay(1.0), FIRST);
        assert_eq!(backoff.failures(), 1);
    }
}
