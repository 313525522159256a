-- E-mail texts the entrepreneur edited; a kind without a row uses the built-in default.
CREATE TABLE email_templates (
    business_id INTEGER NOT NULL REFERENCES businesses(id),
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (business_id, kind)
);

-- Messages waiting to be delivered, delivered, or given up on. Written in the transaction
-- that changes the invoice, delivered by a worker; the attachment is stored with the message
-- so that every attempt sends the same bytes.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id     INTEGER NOT NULL REFERENCES businesses(id),
    invoice_id      INTEGER REFERENCES invoices(id),
    recipients      TEXT NOT NULL,
    reply_to        TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    attachment_name TEXT,
    attachment      BLOB,
    status          TEXT NOT NULL DEFAULT 'queued',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_by_business ON outbox(business_id, id);
