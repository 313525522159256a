-- Treasury and the livre des recettes. Each receipt keeps its share of revenue excluding VAT
-- and its invoice's nature of operation, so the dashboard sums one table by date without
-- joining invoices (revenue is declared HT, by category, on cash received).

ALTER TABLE payments ADD COLUMN revenue_ht_cents INTEGER;
ALTER TABLE payments ADD COLUMN operation TEXT NOT NULL DEFAULT 'services';
UPDATE payments SET
    revenue_ht_cents = (SELECT CASE WHEN i.total_ttc <= 0 OR i.total_ht = i.total_ttc THEN payments.amount_cents
                                    ELSE (2 * payments.amount_cents * i.total_ht + i.total_ttc) / (2 * i.total_ttc) END
                        FROM invoices i WHERE i.id = payments.invoice_id),
    operation = (SELECT COALESCE(json_extract(i.content, '$.operation'), 'services')
                 FROM invoices i WHERE i.id = payments.invoice_id);
UPDATE payments SET revenue_ht_cents = amount_cents WHERE revenue_ht_cents IS NULL;
DROP INDEX payments_by_date;
CREATE INDEX payments_by_date ON payments(business_id, received_on, amount_cents, fee_cents, revenue_ht_cents, operation);

-- Money given back to a client after a credit note on an invoice already paid. It lowers the
-- invoice's amount_paid and appears as a negative line in the livre des recettes.
CREATE TABLE refunds (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id      INTEGER NOT NULL REFERENCES businesses(id),
    invoice_id       INTEGER NOT NULL REFERENCES invoices(id),
    credit_note_id   INTEGER REFERENCES invoices(id),
    amount_cents     INTEGER NOT NULL CHECK (amount_cents > 0),
    revenue_ht_cents INTEGER NOT NULL,
    operation        TEXT NOT NULL,
    method           TEXT NOT NULL,
    refunded_on      TEXT NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX refunds_by_date ON refunds(business_id, refunded_on);
CREATE INDEX refunds_by_invoice ON refunds(business_id, invoice_id);

-- monthly | quarterly: how often the business declares its revenue to the URSSAF.
ALTER TABLE businesses ADD COLUMN declaration_frequency TEXT NOT NULL DEFAULT 'quarterly';

-- Invoices by status and due date, with the amounts the dashboard sums (what is due, the next
-- due dates, the count per status), so those read the index alone.
CREATE INDEX invoices_by_due ON invoices(business_id, kind, status, due_date, total_ttc, amount_credited, amount_paid);
