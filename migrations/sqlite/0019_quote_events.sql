-- A quote's timeline: created (or made as a new version), sent, viewed, answered, replaced,
-- invoiced; each line written in the transaction of what it tells.
CREATE TABLE quote_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id INTEGER NOT NULL REFERENCES businesses(id),
    quote_id    INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX quote_events_by_quote ON quote_events(business_id, quote_id, id);
