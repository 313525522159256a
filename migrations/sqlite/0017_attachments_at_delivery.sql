-- A message's PDF is rendered from its invoice when it is delivered instead of being stored
-- with every message: one version of a document is one rendering (kept in memory), and the
-- outbox holds no copy of the pay link the PDF prints. `attachment_acquitted` names the version.
ALTER TABLE outbox ADD COLUMN attachment_acquitted INTEGER;
UPDATE outbox SET attachment_acquitted = (attachment_name LIKE 'Facture acquittée%')
    WHERE attachment_name IS NOT NULL;
ALTER TABLE outbox DROP COLUMN attachment;
