-- Sessions end after a week without use (besides their absolute lifetime), and a user can close
-- all of theirs at once (log-out everywhere, password change).
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;
CREATE INDEX sessions_by_user ON sessions(user_id);
