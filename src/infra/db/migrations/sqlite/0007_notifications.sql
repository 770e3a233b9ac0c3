-- Webhook endpoints registered by admins. The secret signs every delivery (Standard
-- Webhooks) and is shown once, when the endpoint is created.
CREATE TABLE webhook_endpoints (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  url         TEXT    NOT NULL,
  events      TEXT    NOT NULL,  -- JSON array of event types, or ["*"]
  description TEXT,
  secret      TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);

-- The outbox: one row per message to send, queued in the transaction of the event it tells
-- of and sent afterwards by a sender (notify/sender.cpp). `message_id` is the message's one
-- id on every attempt (the webhook-id; the e-mail's Message-ID). A row is claimed by setting
-- `claimed_until`; a sender that dies mid-way leaves it to be claimed again after that.
CREATE TABLE notifications (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id      TEXT    NOT NULL UNIQUE,
  event_id        INTEGER,
  event_type      TEXT    NOT NULL,
  -- Spelled as ORs: SQLite builds a temporary table for an IN list on every insert.
  channel         TEXT    NOT NULL CHECK (channel = 'whatsapp' OR channel = 'email' OR
                                          channel = 'webhook' OR channel = 'wa_link'),
  recipient       TEXT    NOT NULL,
  endpoint_id     INTEGER,
  payload         TEXT    NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'queued'
                          CHECK (status = 'queued' OR status = 'sent' OR status = 'failed'),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  wa_link         TEXT,
  next_attempt_at INTEGER NOT NULL,
  claimed_until   INTEGER,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
-- What the sender claims next: only queued rows, so a row that is sent or failed leaves it.
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'queued';
