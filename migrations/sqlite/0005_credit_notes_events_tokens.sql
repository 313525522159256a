-- Credit notes live beside invoices (same columns, own number sequence) and point at the
-- invoice they correct; the invoice keeps the sum credited so that what is due is
-- total_ttc - amount_credited - amount_paid, checked in the same transaction as each change.
ALTER TABLE invoices ADD COLUMN kind TEXT NOT NULL DEFAULT 'invoice';
ALTER TABLE invoices ADD COLUMN credited_invoice_id INTEGER REFERENCES invoices(id);
ALTER TABLE invoices ADD COLUMN amount_credited INTEGER NOT NULL DEFAULT 0;

-- The payment link's token is HMAC(secret key, salt): the salt is random, and only the token's
-- hash is stored, so neither a database dump nor the key alone gives a working link.
ALTER TABLE invoices ADD COLUMN pay_token_salt TEXT;
ALTER TABLE invoices ADD COLUMN pay_token_hash TEXT;
CREATE UNIQUE INDEX invoices_by_pay_token ON invoices(pay_token_hash) WHERE pay_token_hash IS NOT NULL;
CREATE INDEX invoices_by_credited ON invoices(business_id, credited_invoice_id);

-- What happened to each invoice, for its timeline. `detail` is the event as JSON.
CREATE TABLE invoice_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id INTEGER NOT NULL REFERENCES businesses(id),
    invoice_id  INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX invoice_events_by_invoice ON invoice_events(business_id, invoice_id, id);

INSERT INTO invoice_events (business_id, invoice_id, at, detail)
    SELECT business_id, id, created_at, '{"kind":"created"}' FROM invoices;
INSERT INTO invoice_events (business_id, invoice_id, at, detail)
    SELECT business_id, id, issued_at, json_object('kind', 'issued', 'number', number)
    FROM invoices WHERE issued_at IS NOT NULL;
INSERT INTO invoice_events (business_id, invoice_id, at, detail)
    SELECT business_id, invoice_id, created_at,
           json_object('kind', 'payment', 'amount_cents', amount_cents, 'method', method, 'date', received_on)
    FROM payments;

-- Keys for the REST API. Only the key's SHA-256 is stored; `prefix` lets the owner recognise it.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id  INTEGER NOT NULL REFERENCES businesses(id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_keys_by_business ON api_keys(business_id);
