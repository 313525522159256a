-- Every « Payer la facture » that asks Stripe for a Checkout Session is numbered here first: the
-- number is the request's idempotency key, so a retry of that request creates one session, and
-- a new click (after a failure, say) is a new request rather than Stripe's replay of the error.
CREATE TABLE checkout_requests (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id INTEGER NOT NULL REFERENCES businesses(id),
    invoice_id  INTEGER NOT NULL REFERENCES invoices(id),
    created_at  INTEGER NOT NULL
);
