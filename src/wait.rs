//! Waiting for long-running jobs: fetch, check, back off, give up at a deadline.
//!
//! ```no_run
//! # async fn run(client: meibel::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use meibel::wait::{PollPolicy, wait_until};
//! use std::time::Duration;
//!
//! let poll = PollPolicy::new().timeout(Duration::from_secs(600));
//! let status = wait_until(
//!     &poll,
//!     || async { client.get_ingest_status().datasource_id("ds_1").send().await },
//!     |s| matches!(s.status.as_str(), "completed" | "failed" | "canceled"),
//! )
//! .await?;
//! println!("ingest finished: {}", status.status);
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::time::Duration;

/// How to poll: delays grow from `initial` by `factor` up to `max`; the whole wait ends
/// after `timeout`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollPolicy {
    initial: Duration,
    max: Duration,
    factor: f64,
    timeout: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy::new()
    }
}

impl PollPolicy {
    /// 1 s first delay, doubling up to 30 s, for at most 15 minutes.
    pub fn new() -> Self {
        PollPolicy {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(30),
            factor: 2.0,
            timeout: Duration::from_secs(900),
        }
    }

    /// The delay after the first check.
    pub fn initial_delay(mut self, d: Duration) -> Self {
        self.initial = d;
        self
    }

    /// The longest delay between two checks.
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max = d;
        self
    }

    /// How much each delay grows over the previous one (at least 1).
    pub fn factor(mut self, f: f64) -> Self {
        self.factor = if f.is_finite() && f >= 1.0 { f } else { 1.0 };
        self
    }

    /// How long to wait in all before giving up.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// The delay before check number `attempt + 1` (0-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let grown = self.initial.as_secs_f64() * self.factor.powi(attempt.min(1000) as i32);
        let capped = grown.min(self.max.as_secs_f64());
        Duration::from_secs_f64(if capped.is_finite() { capped.max(0.0) } else { self.max.as_secs_f64() })
    }
}

/// Why [`wait_until`] gave up.
#[derive(Debug)]
pub enum WaitError<E> {
    /// A fetch failed; waiting stopped there.
    Fetch(E),
    /// The job was not done before the deadline.
    TimedOut {
        /// How many times the state was fetched.
        attempts: u32,
        /// How long the wait lasted.
        waited: Duration,
    },
}

impl<E: fmt::Display> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Fetch(e) => write!(f, "while waiting: {e}"),
            WaitError::TimedOut { attempts, waited } => {
                write!(f, "not done after {attempts} checks over {:.1} s", waited.as_secs_f64())
            }
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for WaitError<E> {}

/// Fetch a state with `fetch` until `done` says it is final, sleeping between checks as
/// `poll` says. Returns the final state, the first fetch error, or a timeout.
///
/// `fetch` may return the response wrapper of a generated method: anything that derefs
/// to the state works with `done`.
pub async fn wait_until<T, E, F, Fut, P>(
    poll: &PollPolicy,
    mut fetch: F,
    mut done: P,
) -> Result<T, WaitError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    P: FnMut(&T) -> bool,
{
    let start = tokio::time::Instant::now();
    let mut attempt = 0u32;
    loop {
        let state = fetch().await.map_err(WaitError::Fetch)?;
        attempt += 1;
        if done(&state) {
            return Ok(state);
        }
        let waited = start.elapsed();
        let delay = poll.delay(attempt - 1);
        if waited + delay > poll.timeout {
            return Err(WaitError::TimedOut { attempts: attempt, waited });
        }
        tokio::time::sleep(delay).await;
    }
}
