-- What quotes bring to invoices and e-mails: a deposit or final invoice names the quote it
-- bills (also in its content), and a message about a quote names it, so that its PDF and its
-- acceptance link are put back when it is delivered, as for invoices.
ALTER TABLE invoices ADD COLUMN quote_id BIGINT REFERENCES quotes(id);
CREATE INDEX invoices_by_quote ON invoices(business_id, quote_id) WHERE quote_id IS NOT NULL;
ALTER TABLE outbox ADD COLUMN quote_id BIGINT REFERENCES quotes(id);
