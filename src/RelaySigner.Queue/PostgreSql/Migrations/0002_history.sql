-- Version 2: the message history. Runs in one transaction under the migration lock (PostgreSqlMigrations).
--
-- * queue_messages.header_message_id: the Message-ID header value, noted at intake (nullable: adding it rewrites no row).
-- * queue_attempts: one row per recipient and attempt, written in the transaction that records the attempt (in its
--   second round trip, no extra one). message_history: one row per message that left the queue, written in the
--   transaction that removes it. Neither references queue_messages: both outlive it until pruned (oldest id first;
--   ids begin with their time, so no index on removed_at is needed, which would be another index entry per removal).
-- * One index per search beside the keys: attempts by recipient (case-insensitive), history by Message-ID (only
--   where there is one). Per-attempt rows rather than attempts folded into the history row: a message delivered at
--   its first attempt costs one row per recipient either way, and only per-attempt rows show a queued message's
--   attempts without rewriting its history at every retry.
-- * The same autovacuum settings as the queue: rows are deleted in bulk once the retention has passed.

ALTER TABLE relaysigner.queue_messages ADD COLUMN header_message_id text NULL;

-- status: 0 pending, 1 delivered, 2 failed (RecipientStatus).
CREATE TABLE relaysigner.queue_attempts (
    queue_id  text        NOT NULL,
    attempt   integer     NOT NULL,
    position  integer     NOT NULL,
    recipient text        NOT NULL,
    at        timestamptz NOT NULL,
    status    smallint    NOT NULL,
    server    text        NULL,
    tls       text        NULL,
    reply     text        NULL,
    PRIMARY KEY (queue_id, attempt, position)
) WITH (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
        autovacuum_analyze_scale_factor = 0.02);

CREATE INDEX queue_attempts_recipient ON relaysigner.queue_attempts (lower(recipient));

CREATE TABLE relaysigner.message_history (
    queue_id          text        NOT NULL PRIMARY KEY,
    header_message_id text        NULL,
    sender            text        NOT NULL,
    received_at       timestamptz NOT NULL,
    removed_at        timestamptz NOT NULL,
    attempts          integer     NOT NULL,
    size              bigint      NOT NULL,
    deleted           boolean     NOT NULL DEFAULT false
) WITH (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
        autovacuum_analyze_scale_factor = 0.02);

CREATE INDEX message_history_message_id ON relaysigner.message_history (header_message_id)
    WHERE header_message_id IS NOT NULL;
