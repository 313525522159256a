-- Invoices. A draft keeps the editor's content as typed (JSON) and has no number. Issuing
-- freezes it: number, validated content, totals and snapshots of seller and client, all in the
-- transaction that takes the next number from document_sequences.

CREATE TABLE invoices (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id     INTEGER NOT NULL REFERENCES businesses(id),
    status          TEXT NOT NULL DEFAULT 'draft',
    number          TEXT,
    client_id       INTEGER REFERENCES clients(id),
    client_name     TEXT NOT NULL DEFAULT '',
    content         TEXT NOT NULL,
    issue_date      TEXT NOT NULL DEFAULT '',
    due_date        TEXT NOT NULL DEFAULT '',
    total_ht        INTEGER NOT NULL DEFAULT 0,
    total_tax       INTEGER NOT NULL DEFAULT 0,
    total_ttc       INTEGER NOT NULL DEFAULT 0,
    seller_snapshot TEXT,
    client_snapshot TEXT,
    issued_at       INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (business_id, number)
);

CREATE INDEX invoices_by_business ON invoices(business_id, status, issue_date);

-- The last number given, per business, kind of document and year: never reused.
CREATE TABLE document_sequences (
    business_id INTEGER NOT NULL REFERENCES businesses(id),
    kind        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last        INTEGER NOT NULL,
    PRIMARY KEY (business_id, kind, year)
);
