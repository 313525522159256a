-- Limits shared by every instance (with SQLite, one instance keeps them in memory). Unlogged:
-- losing them in a crash only resets the counts, and writing them costs no WAL flush.

-- Requests per key (a client address) in the current fixed window.
CREATE UNLOGGED TABLE rate_counters (
    key          TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL
);

-- Failed log-ins per key (an e-mail, a client address) and the lock they led to.
CREATE UNLOGGED TABLE login_failures (
    key          TEXT PRIMARY KEY,
    failures     BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT
);
CREATE INDEX login_failures_by_window ON login_failures (window_start);
