-- The anomaly store of batanomaly-jdbc: the same script for PostgreSQL and SQLite.
-- Instants are epoch milliseconds (BIGINT); the full records are JSON (TEXT) that keep every
-- instant to the nanosecond. Statements end with ';' at the end of a line.

-- One row per anomaly. key_hash is the SHA-256 of (tenant, type, subject); the partial unique
-- index allows one active (OPEN or VERIFYING) anomaly per key. version grows with every change
-- (occurrences + history entries) and is compared on every update.
CREATE TABLE batanomaly_anomaly (
  tenant        TEXT        NOT NULL,
  id            VARCHAR(64) NOT NULL,
  type          TEXT        NOT NULL,
  subject       TEXT        NOT NULL,
  key_hash      VARCHAR(64) NOT NULL,
  status        VARCHAR(16) NOT NULL,
  severity      VARCHAR(16) NOT NULL,
  detected_at   BIGINT      NOT NULL,
  last_activity BIGINT      NOT NULL,
  version       BIGINT      NOT NULL,
  body          TEXT        NOT NULL,
  PRIMARY KEY (tenant, id)
);
CREATE UNIQUE INDEX batanomaly_anomaly_one_active ON batanomaly_anomaly (key_hash)
  WHERE status IN ('OPEN', 'VERIFYING');
CREATE INDEX batanomaly_anomaly_recent ON batanomaly_anomaly (tenant, detected_at);
CREATE INDEX batanomaly_anomaly_closed ON batanomaly_anomaly (status, last_activity);

-- Idempotency-Key claims and outcomes. A claim (done = 0) holds the key until lease_until; a
-- completed key (done = 1) replays its outcome until expires_at.
CREATE TABLE batanomaly_idempotency (
  tenant      TEXT         NOT NULL,
  idem_key    VARCHAR(255) NOT NULL,
  fingerprint VARCHAR(64)  NOT NULL,
  owner       VARCHAR(64)  NOT NULL,
  done        SMALLINT     NOT NULL,
  lease_until BIGINT       NOT NULL,
  expires_at  BIGINT,
  outcome     TEXT,
  PRIMARY KEY (tenant, idem_key)
);
CREATE INDEX batanomaly_idempotency_expiry ON batanomaly_idempotency (expires_at);

-- Cooldowns (ceiling NULL) and dismissals (ceiling = the dismissed severity) of closed
-- anomalies, one per key.
CREATE TABLE batanomaly_suppression (
  key_hash VARCHAR(64) NOT NULL PRIMARY KEY,
  tenant   TEXT        NOT NULL,
  type     TEXT        NOT NULL,
  subject  TEXT        NOT NULL,
  until_at BIGINT      NOT NULL,
  ceiling  VARCHAR(16)
);
CREATE INDEX batanomaly_suppression_until ON batanomaly_suppression (until_at);

-- Leases that let one instance at a time run a periodic job (expiry).
CREATE TABLE batanomaly_lease (
  name        VARCHAR(64)  NOT NULL PRIMARY KEY,
  owner       VARCHAR(128) NOT NULL,
  lease_until BIGINT       NOT NULL
);
