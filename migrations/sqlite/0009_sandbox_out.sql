-- The Stripe sandbox now keeps its objects in a storage of its own (stripe-sandbox.db in the
-- data directory): its table leaves the product's schema.
DROP TABLE IF EXISTS sandbox_objects;
