-- Version 6: the message rate per destination over every node, and autovacuum of the content's TOAST table. Runs in
-- one transaction under the migration lock (PostgreSqlMigrations).
--
-- The content of a message lives in queue_messages' TOAST table (six chunks of about 2 kB for a 10 kB message), which
-- autovacuum visits as a table of its own, by its own settings: 0001 lowered the scale factors of queue_messages
-- only, so the bulk of the bytes waited for 20 % of the chunks to be dead (with a backlog of a million messages,
-- some 2 GB of dead content before the first visit).
ALTER TABLE relaysigner.queue_messages SET (toast.autovacuum_vacuum_scale_factor = 0.02,
    toast.autovacuum_vacuum_insert_scale_factor = 0.02);

-- The pace: one row per destination that has a rate, the earliest time its next message may start. A node reserves
-- a start by moving it on by the interval in one UPDATE ... RETURNING (PostgreSqlDestinationRate), so two nodes never
-- get the same start. next_start is not indexed: the update is HOT and the page prunes its old versions itself, so a
-- destination taking hundreds of messages a second leaves no dead rows for VACUUM to chase (fillfactor 50 leaves
-- room on the page for the new versions). A row is a few dozen bytes and stays for as long as the database: no
-- removal sweep is worth its writes.

CREATE TABLE relaysigner.destination_pace (
    destination text        NOT NULL PRIMARY KEY,
    next_start  timestamptz NOT NULL
) WITH (fillfactor = 50);
