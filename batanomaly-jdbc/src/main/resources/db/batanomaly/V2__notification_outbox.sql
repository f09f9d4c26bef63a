-- The notifications of batanomaly-notify: the same script for PostgreSQL and SQLite. Instants
-- are epoch milliseconds (BIGINT). Statements end with ';' at the end of a line.

-- The outbox of each notifier (channel 'webhook' or 'webpush'). A delivery is a row from before
-- its first attempt: state 'P' while pending, 'D' once given up (a dead letter, with failed_at
-- and reason). The row of an acknowledged delivery is deleted.
CREATE TABLE batanomaly_outbox (
  channel         VARCHAR(16) NOT NULL,
  delivery_id     VARCHAR(64) NOT NULL,
  target_id       TEXT        NOT NULL,
  tenant          TEXT        NOT NULL,
  event           VARCHAR(64) NOT NULL,
  anomaly_id      VARCHAR(64),
  body            TEXT        NOT NULL,
  created_at      BIGINT      NOT NULL,
  attempts        INTEGER     NOT NULL,
  next_attempt_at BIGINT      NOT NULL,
  last_status     INTEGER     NOT NULL,
  last_reason     TEXT        NOT NULL,
  state           CHAR(1)     NOT NULL,
  failed_at       BIGINT,
  reason          TEXT,
  PRIMARY KEY (channel, delivery_id, target_id)
);
CREATE INDEX batanomaly_outbox_state ON batanomaly_outbox (channel, state, failed_at);

-- Webhook receivers registered per tenant (tenant NULL: every tenant), each with its own
-- Standard Webhooks secret (whsec_...), which signing needs as it is.
CREATE TABLE batanomaly_webhook_target (
  id     VARCHAR(64) NOT NULL PRIMARY KEY,
  tenant TEXT,
  url    TEXT        NOT NULL,
  secret TEXT        NOT NULL
);
CREATE INDEX batanomaly_webhook_target_tenant ON batanomaly_webhook_target (tenant);

-- Browsers' push subscriptions, per tenant (tenant NULL: every tenant).
CREATE TABLE batanomaly_push_subscription (
  endpoint TEXT NOT NULL PRIMARY KEY,
  tenant   TEXT,
  p256dh   TEXT NOT NULL,
  auth     TEXT NOT NULL
);
CREATE INDEX batanomaly_push_subscription_tenant ON batanomaly_push_subscription (tenant);
