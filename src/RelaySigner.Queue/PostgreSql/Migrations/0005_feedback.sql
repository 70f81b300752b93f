-- Version 3: the way back. Runs in one transaction under the migration lock (PostgreSqlMigrations).
--
-- * queue_messages.from_domain / from_org_domain: the header From domain (the From domain of the message's events)
--   and its organisational domain (whose suppression list and counts its outcomes go to), noted at intake and read
--   with the lease check of each attempt (same row, no extra statement). Nullable: adding them rewrites no row.
-- * suppressions: keyed by organisational domain then recipient, the recipient with its domain part in lower case
--   and its local part exact (RFC 5321 section 2.4): the lookup at DATA is one statement, an index seek per recipient.
-- * events: the outbox. Ids from an identity (never reused); a claim locks due rows with SKIP LOCKED and moves their
--   due time to the end of the lease, so one index serves due events and expired leases, and nodes claiming at once
--   pass over each other's rows.
-- * feedback_counts: per organisational domain and hour (Unix hours: a 24-hour rate is off by at most an hour), in
--   slots: each attempt adds to the row of its session's slot (PostgreSqlFeedbackSql), so the workers of every node
--   recording attempts for one busy domain do not queue up for the lock on one row until their commits; a read sums
--   the slots.

ALTER TABLE relaysigner.queue_messages ADD COLUMN from_domain text NULL, ADD COLUMN from_org_domain text NULL;

-- reason: 0 hard bounce, 1 complaint, 2 unsubscribe, 3 manual (SuppressionReason).
CREATE TABLE relaysigner.suppressions (
    domain    text        NOT NULL,
    recipient text        NOT NULL,
    reason    smallint    NOT NULL,
    since     timestamptz NOT NULL,
    status    text        NULL,
    queue_id  text        NULL,
    PRIMARY KEY (domain, recipient)
);

-- type: RelayEventType (0 delivered, 1 deferred, 2 bounced, 3 complained, 4 suppressed, 5 unsubscribed).
CREATE TABLE relaysigner.events (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    attempts        integer     NOT NULL DEFAULT 0,
    type            smallint    NOT NULL,
    at              timestamptz NOT NULL,
    recipient       text        NOT NULL,
    queue_id        text        NULL,
    message_id      text        NULL,
    from_domain     text        NULL,
    kind            text        NULL,
    status          text        NULL,
    next_attempt_at timestamptz NOT NULL
) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
        autovacuum_analyze_scale_factor = 0.02);

CREATE INDEX events_due ON relaysigner.events (next_attempt_at, id);

CREATE TABLE relaysigner.feedback_counts (
    domain       text     NOT NULL,
    hour         bigint   NOT NULL,
    slot         smallint NOT NULL,
    delivered    bigint   NOT NULL DEFAULT 0,
    hard_bounces bigint   NOT NULL DEFAULT 0,
    complaints   bigint   NOT NULL DEFAULT 0,
    PRIMARY KEY (domain, hour, slot)
);
