-- Delivery reports that arrive before the dispatcher has recorded the
-- gateway's message id (the gateway may report before it answers the send
-- request). They wait here and are applied once the id is known.
CREATE TABLE delivery_early (
    gateway_id     TEXT PRIMARY KEY,
    status         TEXT NOT NULL,               -- 'delivered' or 'failed' for a final report, '' for an intermediate one
    gateway_status TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    received_at    TIMESTAMP NOT NULL
);
