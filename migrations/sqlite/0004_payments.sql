-- Payments received on invoices. amount_paid on the invoice is their sum, kept in the same
-- transaction as each payment so that overpayment can be refused atomically.

ALTER TABLE invoices ADD COLUMN amount_paid INTEGER NOT NULL DEFAULT 0;

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id  INTEGER NOT NULL REFERENCES businesses(id),
    invoice_id   INTEGER NOT NULL REFERENCES invoices(id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    method       TEXT NOT NULL,
    received_on  TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);

CREATE INDEX payments_by_invoice ON payments(business_id, invoice_id);
CREATE INDEX payments_by_date ON payments(business_id, received_on);
