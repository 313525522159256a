-- A new account confirms its e-mail address (a link sent to it) before it may e-mail anyone but
-- itself. Accounts made before are taken as confirmed: they were already sending.
ALTER TABLE users ADD COLUMN email_confirmed_at BIGINT;
UPDATE users SET email_confirmed_at = created_at;
