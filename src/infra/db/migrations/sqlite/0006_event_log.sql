-- Every change that produces an event writes its row here in the change's own transaction,
-- so an acknowledged write's event outlives a crash and a Redis outage. The id is the SSE
-- `id:`; AUTOINCREMENT never hands out an id twice, even after the newest rows are pruned.
CREATE TABLE events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  stream     TEXT    NOT NULL,
  type       TEXT    NOT NULL,
  data       TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
-- Replay of one stream after a Last-Event-ID.
CREATE INDEX events_stream_idx ON events (stream, id);
-- Pruning past EVENT_RETENTION.
CREATE INDEX events_created_idx ON events (created_at);
