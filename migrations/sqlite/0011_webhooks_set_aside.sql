-- A webhook event that kept failing is set aside (no longer retried) for the operator to look
-- at (`reglo webhooks failed`); applied events are purged after 90 days.
ALTER TABLE stripe_events ADD COLUMN set_aside_at INTEGER;
CREATE INDEX stripe_events_set_aside ON stripe_events(set_aside_at) WHERE set_aside_at IS NOT NULL;
CREATE INDEX stripe_events_applied ON stripe_events(applied_at) WHERE applied_at IS NOT NULL;
