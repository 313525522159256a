//! The live streams (`/events`) open on this instance: a few per session at most, closed the
//! moment their session is (log-out here), and each re-checks its session every minute (a
//! log-out on another instance, a password change, an idle timeout).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// Streams one session may hold open at once (a few tabs); more are refused.
pub const PER_SESSION: usize = 4;

#[derive(Default)]
pub struct LiveStreams(Mutex<HashMap<String, Open>>);

struct Open {
    user_id: i64,
    count: usize,
    closed: watch::Sender<bool>,
}

/// One open stream: it ends when `closed` turns true, and gives its place back when dropped.
pub struct StreamTicket {
    streams: Arc<LiveStreams>,
    session: String,
    pub closed: watch::Receiver<bool>,
}

impl LiveStreams {
    /// A place for one more stream of `session` (the hash of its token), if it has one left.
    pub fn open(self: &Arc<Self>, session: &str, user_id: i64) -> Option<StreamTicket> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let entry = open.entry(session.to_owned()).or_insert_with(|| Open {
            user_id,
            count: 0,
            closed: watch::channel(false).0,
        });
        if entry.count >= PER_SESSION {
            return None;
        }
        entry.count += 1;
        Some(StreamTicket {
            streams: self.clone(),
            session: session.to_owned(),
            closed: entry.closed.subscribe(),
        })
    }

    /// Ends the streams of one session (its log-out).
    pub fn close_session(&self, session: &str) {
        let open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(o) = open.get(session) {
            o.closed.send_replace(true);
        }
    }

    /// Ends the streams of every session of a user (log-out everywhere, password change but `keep`).
    pub fn close_user(&self, user_id: i64, keep: Option<&str>) {
        let open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for (session, o) in open.iter() {
            if o.user_id == user_id && Some(session.as_str()) != keep {
                o.closed.send_replace(true);
            }
        }
    }
}

impl Drop for StreamTicket {
    fn drop(&mut self) {
        let mut open = self.streams.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(o) = open.get_mut(&self.session) {
            o.count -= 1;
            if o.count == 0 {
                open.remove(&self.session);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_holds_a_few_streams_and_closing_it_ends_them() {
        let streams = Arc::new(LiveStreams::default());
        let tickets: Vec<_> = (0..PER_SESSION).map(|_| streams.open("s1", 1).expect("a place")).collect();
        assert!(streams.open("s1", 1).is_none(), "no more than {PER_SESSION}");
        let other = streams.open("s2", 1).expect("another session has its own places");
        drop(tickets.into_iter().next());
        let again = streams.open("s1", 1).expect("a place given back");
        streams.close_session("s1");
        assert!(*again.closed.borrow());
        assert!(!*other.closed.borrow());
        streams.close_user(1, Some("s1"));
        assert!(*other.closed.borrow(), "every session of the user but the one kept");
    }
}
