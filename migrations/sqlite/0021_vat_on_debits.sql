-- A VAT-registered business may opt to pay VAT on its invoices' issue (« d'après les débits »):
-- its invoices then say so, as the 2026 e-invoicing reform asks.
ALTER TABLE businesses ADD COLUMN vat_on_debits INTEGER NOT NULL DEFAULT 0;
