//! The time as the server sees it for access-token expiry: the system clock, which tests move
//! forward instead of waiting days.

use chrono::{NaiveDateTime, TimeDelta, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// The system clock plus an offset that only tests change. Clones share the offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> NaiveDateTime {
        Utc::now().naive_utc() + TimeDelta::seconds(self.offset_secs.load(Ordering::Relaxed))
    }

    /// Moves this clock (and its clones) forward by `by`.
    pub fn advance(&self, by: TimeDelta) {
        self.offset_secs.fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_advanced_clock_moves_its_clones_too() {
        let clock = Clock::default();
        let copy = clock.clone();
        clock.advance(TimeDelta::days(8));
        assert!(copy.now() - Utc::now().naive_utc() > TimeDelta::days(8) - TimeDelta::seconds(5));
    }
}
