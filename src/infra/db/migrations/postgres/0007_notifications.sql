-- Webhook endpoints registered by admins. The secret signs every delivery (Standard
-- Webhooks) and is shown once, when the endpoint is created.
CREATE TABLE webhook_endpoints (
  id          BIGSERIAL   PRIMARY KEY,
  url         TEXT    NOT NULL,
  events      TEXT    NOT NULL,  -- JSON array of event types, or ["*"]
  description TEXT,
  secret      TEXT    NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL
);

-- The outbox: one row per message to send, queued in the transaction of the event it tells
-- of and sent afterwards by a sender (notify/sender.cpp). `message_id` is the message's one
-- id on every attempt (the webhook-id; the e-mail's Message-ID). A row is claimed by setting
-- `claimed_until`; a sender that dies mid-way leaves it to be claimed again after that.
CREATE TABLE notifications (
  id              BIGSERIAL   PRIMARY KEY,
  message_id      TEXT    NOT NULL UNIQUE,
  event_id        BIGINT,
  event_type      TEXT    NOT NULL,
  channel         TEXT    NOT NULL CHECK (channel IN ('whatsapp', 'email', 'webhook', 'wa_link')),
  recipient       TEXT    NOT NULL,
  endpoint_id     BIGINT,
  payload         TEXT    NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  wa_link         TEXT,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  claimed_until   TIMESTAMPTZ,
  created_at      TIMESTAMPTZ NOT NULL,
  sent_at         TIMESTAMPTZ
);
-- What the sender claims next: only queued rows, so a row that is sent or failed leaves it.
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'queued';
