//! The pace of the SSO portal's listing calls, learned from the portal's answers.
//!
//! IAM Identity Center throttles the portal's ListAccounts and ListAccountRoles per user (AWS
//! documents quotas, not a number for these calls; tools cite about 20 a second). A fixed rate
//! would slow every portal that allows more, so nothing is paced until the portal first answers
//! `TooManyRequestsException`. Then the rate becomes what it was accepting (the requests it
//! answered in the last second, less a tenth) and from there follows additive increase,
//! multiplicative decrease: each success adds a little (about one request a second per second),
//! and throttling takes a tenth off — but only for a request sent a second or more after the
//! last cut: the portal counts a second back, so what was sent sooner is still paying for the
//! pace before the cut, and says nothing about the new one. Requests are spaced evenly at that rate across all
//! workers, so the portal sees a steady stream just under its limit instead of bursts and pauses.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Below this the pace never goes (a portal that throttles everything still gets asked).
const MIN_RATE: f64 = 1.0;
/// Above this the pace never goes once it is paced.
const MAX_RATE: f64 = 500.0;
/// What a throttled answer keeps of the rate.
const DECREASE: f64 = 0.9;

pub struct Pacer {
    state: Mutex<State>,
}

struct State {
    /// Requests a second; `None` until the portal first throttles.
    rate: Option<f64>,
    /// When the next request may start.
    next: Instant,
    /// When the portal answered in the last second, until it first throttles (the first rate).
    accepted: VecDeque<Instant>,
    /// Throttled answers so far.
    throttled: usize,
    /// When the rate was last cut (see `throttled`).
    last_cut: Option<Instant>,
}

impl Default for Pacer {
    fn default() -> Self {
        let state = State { rate: None, next: Instant::now(), accepted: VecDeque::new(), throttled: 0, last_cut: None };
        Pacer { state: Mutex::new(state) }
    }
}

impl Pacer {
    /// Wait for this request's turn; when it is sent.
    pub fn wait(&self) -> Instant {
        let slot = {
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            match state.rate {
                None => now,
                Some(rate) => {
                    let slot = state.next.max(now);
                    state.next = slot + Duration::from_secs_f64(1.0 / rate);
                    slot
                }
            }
        };
        std::thread::sleep(slot.saturating_duration_since(Instant::now()));
        slot
    }

    /// The portal answered: a little faster (about one request a second more per second).
    pub fn succeeded(&self) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        match state.rate.as_mut() {
            Some(rate) => *rate = (*rate + 1.0 / *rate).min(MAX_RATE),
            None => {
                let now = Instant::now();
                while state.accepted.front().is_some_and(|t| now.duration_since(*t) > Duration::from_secs(1)) {
                    state.accepted.pop_front();
                }
                state.accepted.push_back(now);
            }
        }
    }

    /// The portal throttled the request sent at `sent`: slower from now on, unless it was sent
    /// within a second of the last cut; either way the next request waits for a whole slot.
    pub fn throttled(&self, sent: Instant) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.throttled += 1;
        let now = Instant::now();
        if let (Some(rate), Some(cut)) = (state.rate, state.last_cut)
            && sent < cut + Duration::from_secs(1)
        {
            state.next = state.next.max(now + Duration::from_secs_f64(1.0 / rate));
            return;
        }
        state.last_cut = Some(now);
        let rate = match state.rate {
            // What it was accepting: its answers of the last second, less a tenth.
            None => state.accepted.len() as f64 * DECREASE,
            Some(rate) => rate * DECREASE,
        }
        .clamp(MIN_RATE, MAX_RATE);
        state.rate = Some(rate);
        state.next = state.next.max(Instant::now() + Duration::from_secs_f64(1.0 / rate));
    }

    /// Throttled answers so far.
    pub fn throttled_count(&self) -> usize {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).throttled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpaced_until_throttled_then_spaced_at_the_learned_rate() {
        let pacer = Pacer::default();
        for _ in 0..50 {
            pacer.wait();
            pacer.succeeded();
        }
        assert_eq!(pacer.state.lock().unwrap().rate, None, "no pacing before a throttle");
        // 50 answered in the last second: 45 a second from now on; requests sent within a second
        // of the cut cut it no further.
        for _ in 0..11 {
            pacer.throttled(Instant::now());
        }
        assert_eq!(pacer.state.lock().unwrap().rate, Some(45.0));
        let start = Instant::now();
        for _ in 0..10 {
            pacer.wait();
        }
        // Sleeps never end early, so this holds however busy the machine is.
        let took = start.elapsed().as_secs_f64();
        assert!(took >= 0.19, "10 requests at 45/s took {took} s");
        // A request sent a second after the cut cuts it again, and it never goes below the floor.
        for _ in 0..100 {
            let cut = pacer.state.lock().unwrap().last_cut.unwrap();
            pacer.throttled(cut + Duration::from_secs(1));
        }
        assert_eq!(pacer.state.lock().unwrap().rate, Some(MIN_RATE), "never below the floor");
        assert_eq!(pacer.throttled_count(), 111);
    }
}
