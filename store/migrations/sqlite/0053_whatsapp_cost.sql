-- What a WhatsApp message cost (issue 18): since 2025-07-01 Meta prices each
-- delivered template by its category, and free-form messages (inside her
-- 24-hour window) and utility templates inside the window are free
-- (whatsapp-api.md §4.4). The WhatsApp dispatcher sets these when it settles
-- a row; the estimate is from WA_PRICE_* in the SMS cost's currency (0: unknown).
ALTER TABLE outbox ADD COLUMN wa_form TEXT NOT NULL DEFAULT '' CHECK (wa_form IN ('', 'free', 'template'));
ALTER TABLE outbox ADD COLUMN wa_category TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN wa_cost REAL NOT NULL DEFAULT 0;

-- The dashboard reads the month's WhatsApp rows along this index: a small
-- share of the outbox, where the SMS month comes from the counters.
CREATE INDEX outbox_whatsapp_created ON outbox (created_at) WHERE channel = 'whatsapp';
