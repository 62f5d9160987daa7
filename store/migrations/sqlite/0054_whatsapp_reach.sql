-- A nurse's page shows the last WhatsApp status of a message sent to her
-- (issue 18): found by her number, newest first.
CREATE INDEX whatsapp_statuses_recipient ON whatsapp_statuses (recipient, status_at);
