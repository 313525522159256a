-- Businesses, their users and sessions. Every row that belongs to a business carries its id.

CREATE TABLE businesses (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    name               TEXT NOT NULL DEFAULT '',
    address_line1      TEXT NOT NULL DEFAULT '',
    address_line2      TEXT NOT NULL DEFAULT '',
    postal_code        TEXT NOT NULL DEFAULT '',
    city               TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    siret              TEXT NOT NULL DEFAULT '',
    activity           TEXT NOT NULL,
    vat_status         TEXT NOT NULL,
    vat_number         TEXT NOT NULL DEFAULT '',
    iban               TEXT NOT NULL DEFAULT '',
    bic                TEXT NOT NULL DEFAULT '',
    payment_terms_days INTEGER NOT NULL,
    late_penalty_bp    INTEGER NOT NULL,
    invoice_prefix     TEXT NOT NULL,
    brand_color        TEXT NOT NULL,
    logo_file          TEXT,
    profile_complete   INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id   INTEGER NOT NULL REFERENCES businesses(id),
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    business_id INTEGER NOT NULL REFERENCES businesses(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE INDEX sessions_by_expiry ON sessions(expires_at);
CREATE INDEX businesses_by_logo ON businesses(logo_file);
