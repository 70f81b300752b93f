-- The DSN parameters (RFC 3461). Runs in one transaction under the migration lock (PostgreSqlMigrations).
--
-- * queue_messages: RET (1 FULL, 2 HDRS: DsnReturn), ENVID decoded from xtext, and whether a delay warning went out
--   (set in the transaction that queues the warning, so a message gets at most one).
-- * queue_recipients: NOTIFY (flags: 1 NEVER, 2 SUCCESS, 4 FAILURE, 8 DELAY: DsnNotify) and ORCPT as
--   "addr-type;address" decoded from xtext.
-- All nullable and NULL when the client gave none, which is nearly always: a NULL costs one bit of the row's null
-- bitmap, and adding a nullable column without a default rewrites no row.

ALTER TABLE relaysigner.queue_messages
    ADD COLUMN dsn_ret smallint NULL,
    ADD COLUMN dsn_envid text NULL,
    ADD COLUMN dsn_delay_warned boolean NULL;

ALTER TABLE relaysigner.queue_recipients
    ADD COLUMN dsn_notify smallint NULL,
    ADD COLUMN dsn_orcpt text NULL;
