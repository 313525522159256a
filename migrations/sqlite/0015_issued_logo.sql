-- An issued document never changes, its logo included: the logo file at issue is kept with it
-- (and its file kept while a document names it). Documents issued before: the current logo.
ALTER TABLE invoices ADD COLUMN logo_file TEXT;
UPDATE invoices SET logo_file = (SELECT b.logo_file FROM businesses b WHERE b.id = invoices.business_id)
 WHERE number IS NOT NULL;
CREATE INDEX invoices_by_logo ON invoices(logo_file) WHERE logo_file IS NOT NULL;
