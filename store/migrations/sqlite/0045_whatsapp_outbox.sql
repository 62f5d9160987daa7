-- WhatsApp through the outbox (issue 18). A message's channel is decided when it is queued, from the
-- worker's choice (workers.channel, set from the roster or her settings), which takes effect only
-- once she opted in on WhatsApp (she wrote to the number: wa_opt_in_at, wa_opt_in_via) and while
-- WhatsApp has not reported her number unreachable (131026: wa_unreachable_at, cleared when she writes
-- again). Each dispatcher claims only its channel's rows; a WhatsApp message that cannot reach her
-- becomes an SMS by changing its channel, so it is still one row, sent once.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp'));
CREATE INDEX outbox_due_whatsapp ON outbox (priority, not_before) WHERE status = 'queued' AND channel = 'whatsapp';

ALTER TABLE workers ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'whatsapp'));
ALTER TABLE workers ADD COLUMN wa_opt_in_at TIMESTAMP;
ALTER TABLE workers ADD COLUMN wa_opt_in_via TEXT NOT NULL DEFAULT '';
ALTER TABLE workers ADD COLUMN wa_unreachable_at TIMESTAMP;

-- Her 24-hour window opens with her last message: read by number, newest first.
CREATE INDEX whatsapp_messages_phone ON whatsapp_messages (phone, sent_at);
