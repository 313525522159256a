-- Online payment through Stripe Connect: each business's connected account and its state,
-- the accepted methods proposed on new invoices, Checkout attempts, the webhook events received,
-- and the embedded Stripe sandbox's objects.

ALTER TABLE businesses ADD COLUMN default_payment_methods TEXT NOT NULL DEFAULT '["transfer"]';
ALTER TABLE businesses ADD COLUMN stripe_account_id TEXT;
-- not_configured | incomplete | pending_verification | active
ALTER TABLE businesses ADD COLUMN online_status TEXT NOT NULL DEFAULT 'not_configured';
-- JSON array of what Stripe still requires.
ALTER TABLE businesses ADD COLUMN online_requirements TEXT NOT NULL DEFAULT '[]';
CREATE UNIQUE INDEX businesses_by_stripe_account ON businesses(stripe_account_id)
    WHERE stripe_account_id IS NOT NULL;

-- An online payment keeps the platform fee and the Stripe ids; a Checkout Session pays once.
ALTER TABLE payments ADD COLUMN fee_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN provider_session_id TEXT;
ALTER TABLE payments ADD COLUMN provider_payment_id TEXT;
CREATE UNIQUE INDEX payments_by_session ON payments(provider_session_id)
    WHERE provider_session_id IS NOT NULL;

-- Every Checkout Session started from a pay page.
CREATE TABLE checkout_attempts (
    session_id   TEXT PRIMARY KEY,
    business_id  INTEGER NOT NULL REFERENCES businesses(id),
    invoice_id   INTEGER NOT NULL REFERENCES invoices(id),
    account_id   TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    fee_cents    INTEGER NOT NULL,
    url          TEXT NOT NULL,
    -- open | complete | expired | failed
    status       TEXT NOT NULL,
    failure      TEXT,
    expires_at   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX checkout_attempts_by_invoice ON checkout_attempts(business_id, invoice_id, status);
CREATE INDEX checkout_attempts_open ON checkout_attempts(status, created_at);

-- Webhook events, stored before they are acknowledged and applied by a worker.
CREATE TABLE stripe_events (
    id              TEXT PRIMARY KEY,
    endpoint        TEXT NOT NULL,
    type            TEXT NOT NULL,
    account         TEXT,
    object_id       TEXT NOT NULL,
    received_at     INTEGER NOT NULL,
    applied_at      INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT
);
CREATE INDEX stripe_events_pending ON stripe_events(applied_at, next_attempt_at);

-- The sandbox's Stripe objects (accounts, checkout sessions, payment intents, events), as JSON.
CREATE TABLE sandbox_objects (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    account    TEXT,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX sandbox_objects_by_kind ON sandbox_objects(kind, created_at);
