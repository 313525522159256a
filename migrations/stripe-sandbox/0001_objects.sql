-- The Stripe sandbox's own storage (a file of its own, never the product's database): the Stripe
-- objects it emulates (accounts, account links, checkout sessions, payment intents, events), as
-- JSON, in the order they were made.
CREATE TABLE sandbox_objects (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    account    TEXT,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX sandbox_objects_by_kind ON sandbox_objects(kind, created_at);
