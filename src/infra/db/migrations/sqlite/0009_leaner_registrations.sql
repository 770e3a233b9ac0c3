-- Fewer pages for each registration to write.
--
-- A spent captcha is kept only to refuse its challenge a second time, and removed once
-- expired. Keyed by (expires_at, challenge), one B-tree does both, and new rows land near
-- its end instead of on a random page of an index of hashes. The pair is as unique as the
-- challenge alone: the challenge is the SHA-256 of the salt, which carries the expiry.
CREATE TABLE used_captchas_by_expiry (
  expires_at INTEGER NOT NULL,
  challenge  TEXT    NOT NULL,
  PRIMARY KEY (expires_at, challenge)
) WITHOUT ROWID;
INSERT INTO used_captchas_by_expiry (expires_at, challenge)
  SELECT expires_at, challenge FROM used_captchas;
DROP TABLE used_captchas;
ALTER TABLE used_captchas_by_expiry RENAME TO used_captchas;

-- Events are pruned oldest first by id (events/log.cpp): ids grow with time.
DROP INDEX events_created_idx;
