-- Version 6: the message rate per destination over every node. Runs in one transaction under the migration lock
-- (PostgreSqlMigrations).
--
-- One row per destination that has a rate: the earliest time its next message may start. A node reserves a start by
-- moving it on by the interval in one UPDATE ... RETURNING (PostgreSqlDestinationRate), so two nodes never get the
-- same start. next_start is not indexed: the update is HOT and the page prunes its old versions itself, so a
-- destination taking hundreds of messages a second leaves no dead rows for VACUUM to chase (fillfactor 50 leaves
-- room on the page for the new versions). A row is a few dozen bytes and stays for as long as the database: no
-- removal sweep is worth its writes.

CREATE TABLE relaysigner.destination_pace (
    destination text        NOT NULL PRIMARY KEY,
    next_start  timestamptz NOT NULL
) WITH (fillfactor = 50);
