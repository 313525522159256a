-- The entrepreneur's clients. Archived clients stay, for the invoices that name them.

CREATE TABLE clients (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id   INTEGER NOT NULL REFERENCES businesses(id),
    kind          TEXT NOT NULL CHECK (kind IN ('business', 'person')),
    name          TEXT NOT NULL,
    siren         TEXT NOT NULL DEFAULT '',
    vat_number    TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    address_line1 TEXT NOT NULL,
    address_line2 TEXT NOT NULL DEFAULT '',
    postal_code   TEXT NOT NULL,
    city          TEXT NOT NULL,
    archived      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE INDEX clients_by_business ON clients(business_id, archived, name);
