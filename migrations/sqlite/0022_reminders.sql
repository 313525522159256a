-- Automatic reminders (« relances »): each business's policy, on for the businesses created from
-- now on and off for those that existed before (nothing goes out that their owner did not see);
-- « Ne pas relancer cette facture »; and one row per invoice and step sent, which makes every
-- step go out once.
ALTER TABLE businesses ADD COLUMN reminders_enabled INTEGER NOT NULL DEFAULT 1;
UPDATE businesses SET reminders_enabled = 0;
ALTER TABLE businesses ADD COLUMN reminder_steps TEXT NOT NULL DEFAULT '-3, 1, 8, 15';
ALTER TABLE invoices ADD COLUMN reminders_stopped INTEGER NOT NULL DEFAULT 0;

CREATE TABLE invoice_reminders (
    business_id INTEGER NOT NULL REFERENCES businesses(id),
    invoice_id  INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    -- The step: days from the due date.
    days        INTEGER NOT NULL,
    sent_at     INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, days)
);
CREATE INDEX invoices_awaiting_reminders ON invoices(due_date, id)
    WHERE kind = 'invoice' AND status IN ('issued', 'sent', 'partially_paid') AND NOT reminders_stopped;
