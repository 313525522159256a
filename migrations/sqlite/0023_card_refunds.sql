-- Card refunds asked of Stripe from Reglo: pending until Stripe's webhook says how they ended;
-- a succeeded one becomes the livre des recettes' negative line, once (the unique index on the
-- provider's refund id).
CREATE TABLE card_refunds (
    id             TEXT PRIMARY KEY,
    business_id    INTEGER NOT NULL REFERENCES businesses(id),
    invoice_id     INTEGER NOT NULL REFERENCES invoices(id),
    payment_intent TEXT NOT NULL,
    amount_cents   INTEGER NOT NULL CHECK (amount_cents > 0),
    -- The platform fee given back with it, in proportion.
    fee_cents      INTEGER NOT NULL,
    -- pending | succeeded | failed
    status         TEXT NOT NULL,
    failure_reason TEXT,
    requested_at   INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX card_refunds_by_invoice ON card_refunds(business_id, invoice_id);
ALTER TABLE refunds ADD COLUMN provider_refund_id TEXT;
CREATE UNIQUE INDEX refunds_once_per_provider_refund ON refunds(provider_refund_id)
    WHERE provider_refund_id IS NOT NULL;
