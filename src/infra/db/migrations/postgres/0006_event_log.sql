-- Every change that produces an event writes its row here in the change's own transaction,
-- so an acknowledged write's event outlives a crash and a Redis outage. The id is the SSE
-- `id:`. A sequence alone hands out ids in the order transactions ask, not the order they
-- commit; writers take a transaction lock before inserting (events/log.cpp), so rows
-- become visible in id order and a reader never passes one that commits later below it.
CREATE TABLE events (
  id         BIGSERIAL   PRIMARY KEY,
  stream     TEXT        NOT NULL,
  type       TEXT        NOT NULL,
  data       TEXT        NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX events_stream_idx ON events (stream, id);
CREATE INDEX events_created_idx ON events (created_at);
