-- A payment taken through the Stripe sandbox (or Stripe's test mode) moved no real money: it is
-- kept, marked, wherever it shows (PDFs, receipts, the livre des recettes and its exports).
ALTER TABLE payments ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
