-- Version 1: the queue. Runs in one transaction under the migration lock (PostgreSqlMigrations), in the schema
-- relaysigner, which also holds schema_migrations and will hold the message history beside the queue.
--
-- Laid out for a table with a high turnover (every row is deleted within days):
-- * The lease lives in the message row. A claim changes only unindexed columns, so with free space on the page
--   (fillfactor 80) it is a HOT update: no index entry is written, and pruning on the page reclaims the old version
--   without waiting for VACUUM. Recording an attempt moves next_attempt_at (indexed) or deletes the row.
-- * The content is stored EXTERNAL (out of line in the TOAST table, uncompressed): an UPDATE of the other columns
--   keeps the same TOAST value instead of copying it, and mail is mostly base64 already, so compressing it would
--   cost CPU on every enqueue for little gain.
-- * Autovacuum is told to look at these tables after 2 % of their rows changed instead of the default 20 %:
--   with a backlog of a million messages the default would let 200,000 dead rows pile up first.
-- * No count is kept in a row of its own (as the SQLite queue does): on a shared database every enqueue and every
--   removal of every node would queue up for the lock on that one row.

CREATE SEQUENCE relaysigner.lease_tokens AS bigint;

CREATE TABLE relaysigner.queue_messages (
    id              text        NOT NULL PRIMARY KEY,
    sender          text        NOT NULL,
    received_at     timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    size            bigint      NOT NULL,
    content         bytea       NOT NULL,
    -- Set while a worker holds the message: the fencing token its attempt must present, until when, and which node.
    lease_token     bigint      NULL,
    lease_until     timestamptz NULL,
    lease_node      text        NULL
) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
        autovacuum_analyze_scale_factor = 0.02);

ALTER TABLE relaysigner.queue_messages ALTER COLUMN content SET STORAGE EXTERNAL;

-- The order claims take messages in, and the only index a claim or an attempt needs beside the primary key.
CREATE INDEX queue_messages_schedule ON relaysigner.queue_messages (next_attempt_at, id);

-- status: 0 pending, 1 delivered, 2 failed (RecipientStatus).
CREATE TABLE relaysigner.queue_recipients (
    message_id text     NOT NULL REFERENCES relaysigner.queue_messages (id) ON DELETE CASCADE,
    ordinal    integer  NOT NULL,
    address    text     NOT NULL,
    status     smallint NOT NULL,
    last_reply text     NULL,
    PRIMARY KEY (message_id, ordinal)
) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
        autovacuum_analyze_scale_factor = 0.02);
