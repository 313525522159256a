-- Quotes (« devis »): drafts as typed (content is the editor's JSON), then frozen when sent
-- under their own D-YYYY-NNNN number (document_sequences, kind 'quote') with the seller's and
-- the client's snapshots and the acceptance link's salt and token hash, as invoices are.
-- A new version points to the quote it replaces; once it is sent, the old one is marked
-- replaced and can no longer be answered. `answer` is the client's answer and its proof (JSON).
CREATE TABLE quotes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id     INTEGER NOT NULL REFERENCES businesses(id),
    status          TEXT NOT NULL DEFAULT 'draft',
    number          TEXT,
    client_id       INTEGER REFERENCES clients(id),
    client_name     TEXT NOT NULL DEFAULT '',
    content         TEXT NOT NULL,
    quote_date      TEXT NOT NULL DEFAULT '',
    valid_until     TEXT NOT NULL DEFAULT '',
    total_ht        INTEGER NOT NULL DEFAULT 0,
    total_tax       INTEGER NOT NULL DEFAULT 0,
    total_ttc       INTEGER NOT NULL DEFAULT 0,
    deposit         INTEGER NOT NULL DEFAULT 0,
    seller_snapshot TEXT,
    client_snapshot TEXT,
    logo_file       TEXT,
    token_salt      TEXT,
    token_hash      TEXT,
    replaces_id     INTEGER REFERENCES quotes(id),
    replaced_by_id  INTEGER REFERENCES quotes(id),
    answer          TEXT,
    sent_at         INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (business_id, number)
);
CREATE INDEX quotes_by_business ON quotes(business_id, id);
CREATE UNIQUE INDEX quotes_by_token ON quotes(token_hash) WHERE token_hash IS NOT NULL;
