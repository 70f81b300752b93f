using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue;

/// <summary>
/// The tables of <c>queue.db</c> and their version, kept in <c>PRAGMA user_version</c>.
/// Times are Unix milliseconds (UTC); <c>recipients.status</c> and <c>attempts.status</c> hold <see cref="Core.Queue.RecipientStatus"/>;
/// <c>header_message_id</c> is the Message-ID header value (<see cref="Core.Envelope.MessageId"/>), unlike
/// <c>recipients.message_id</c>, which names the queue id.
/// </summary>
/// <remarks>
/// <para>
/// Laid out so that a message costs few pages to claim and to remove, since with a large backlog each of its pages is
/// a read from disk or the OS cache and a page written to the WAL and again at the checkpoint (<c>queue-scale</c>
/// benchmark, claim and removal of old messages with a million queued against a thousand: 2.4× in wall time and 1.9×
/// in CPU time with version 3, 1.8–2.1× and 1.5–1.7× with this layout):
/// </para>
/// <list type="bullet">
/// <item><c>messages</c> is clustered by id (WITHOUT ROWID): a lookup, update or delete by id touches one B-tree, not
/// an id index and then the table.</item>
/// <item>The content lives in <c>message_contents</c> under an integer key that the message row names
/// (<c>content_id</c>): SQLite rewrites a whole row on UPDATE, so with the content in the message row every attempt
/// would load a message of tens of megabytes twice only to change a time; and an integer key needs no second index.
/// The delete trigger removes the content with its message, whoever deletes it. The message row keeps the content's
/// size, so listing the queue reads no content page.</item>
/// <item>Leases live in <c>leases</c>, a handful of rows on hot pages: claiming a message writes no page of the
/// backlog, only recording its attempt does.</item>
/// </list>
/// <para>
/// Every query of the relay's hot paths and of every metrics scrape is an index seek, never a scan, so the cost per
/// message does not grow with the backlog. No index more than these: each one is another page written when an old
/// message is delivered and deleted.
/// </para>
/// <list type="bullet">
/// <item><c>ix_messages_schedule</c>: messages by due time then id, the order claims take them in
/// (<see cref="ClaimDueSql"/>, <see cref="NextDueAtSql"/>).</item>
/// <item><c>ix_leases_until</c>: leases by expiry (expired leases are claimed first).</item>
/// <item><c>queue_depth</c>: the message count, kept by triggers in the same transaction as each insert and delete
/// (a COUNT(*) would read every row at each scrape). <c>lease_counter</c>: the last lease token handed out, so a
/// token never repeats, not even after its lease row is gone.</item>
/// </list>
/// </remarks>
internal static class QueueSchema
{
    public const int Version = DmarcReportsVersion;

    private const int HistoryVersion = 5;

    private const int DsnVersion = 6;

    private const int FeedbackVersion = 7;

    private const int BulkPausesVersion = 8;

    private const int DmarcReportsVersion = 9;

    private const string Messages = """
        CREATE TABLE {0} (
            id              TEXT    NOT NULL PRIMARY KEY,
            sender          TEXT    NOT NULL,
            received_at     INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            size            INTEGER NOT NULL,
            content_id      INTEGER NOT NULL,
            header_message_id TEXT  NULL
        ) WITHOUT ROWID;
        """;

    private const string Contents = """
        CREATE TABLE {0} (
            id      INTEGER PRIMARY KEY,
            content BLOB NOT NULL
        );
        """;

    private const string RecipientsLeasesAndCounters = """
        CREATE TABLE IF NOT EXISTS recipients (
            message_id TEXT    NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
            ordinal    INTEGER NOT NULL,
            address    TEXT    NOT NULL,
            status     INTEGER NOT NULL,
            last_reply TEXT    NULL,
            PRIMARY KEY (message_id, ordinal)
        ) WITHOUT ROWID;
        CREATE TABLE leases (
            message_id  TEXT    NOT NULL PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
            lease_until INTEGER NOT NULL,
            token       INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS queue_depth (messages INTEGER NOT NULL);
        CREATE TABLE lease_counter (last INTEGER NOT NULL);
        """;

    private const string IndexesAndTriggers = """
        CREATE INDEX ix_messages_schedule ON messages (next_attempt_at, id);
        CREATE INDEX ix_leases_until ON leases (lease_until);
        CREATE TRIGGER messages_insert AFTER INSERT ON messages
            BEGIN UPDATE queue_depth SET messages = messages + 1; END;
        CREATE TRIGGER messages_delete AFTER DELETE ON messages
            BEGIN
                UPDATE queue_depth SET messages = messages - 1;
                DELETE FROM message_contents WHERE id = old.content_id;
            END;
        """;

    /// <summary>
    /// The message history (version 5): one row per recipient and attempt in <c>attempts</c>, written in the
    /// transaction that records the attempt, and one row per message that left the queue in <c>history</c>, written
    /// in the transaction that removes it. Neither references <c>messages</c>: they outlive it, until pruned
    /// (<see cref="HistorySql"/>). Keyed by queue id first, so an attempt or a removal appends near the end of each
    /// B-tree (ids start with their time) and pruning deletes from the front.
    /// </summary>
    /// <remarks>
    /// Per-attempt rows rather than the attempts folded into one history row written at removal: a message delivered
    /// at its first attempt (the common case) costs the same either way (one row per recipient, which is also what a
    /// search by recipient needs an index over), while only per-attempt rows show the attempts of a message still
    /// queued and keep a retried message's rows from being rewritten at every attempt. Indexes: one per search (by
    /// recipient, by Message-ID), no more; a Message-ID is only indexed where there is one. Measured with
    /// <c>queue-scale --queued 1000 --messages 4000 --rounds 3</c>, five runs each, interleaved, on a shared 2-core
    /// machine: enqueue unchanged within the noise (median 88 → 83 µs per message); claim and completion of a delivered
    /// message 170 → 204 µs wall and 142 → 180 µs CPU (medians), the price of four B-tree inserts (two of them random:
    /// the recipient and Message-ID indexes). A retention of zero writes none of it.
    /// </remarks>
    private const string History = """
        CREATE TABLE attempts (
            queue_id   TEXT    NOT NULL,
            attempt    INTEGER NOT NULL,
            position   INTEGER NOT NULL,
            recipient  TEXT    NOT NULL,
            at         INTEGER NOT NULL,
            status     INTEGER NOT NULL,
            server     TEXT    NULL,
            tls        TEXT    NULL,
            reply      TEXT    NULL,
            PRIMARY KEY (queue_id, attempt, position)
        ) WITHOUT ROWID;
        CREATE INDEX ix_attempts_recipient ON attempts (recipient COLLATE NOCASE);
        CREATE TABLE history (
            queue_id    TEXT    NOT NULL PRIMARY KEY,
            header_message_id TEXT NULL,
            sender      TEXT    NOT NULL,
            received_at INTEGER NOT NULL,
            removed_at  INTEGER NOT NULL,
            attempts    INTEGER NOT NULL,
            size        INTEGER NOT NULL,
            deleted     INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX ix_history_message_id ON history (header_message_id) WHERE header_message_id IS NOT NULL;
        """;

    /// <summary>
    /// The DSN parameters (version 6, RFC 3461): RET and ENVID in the message row, NOTIFY and ORCPT in the recipient's,
    /// and whether a delay warning went out (set in the transaction that queues it). All NULL when the client gave
    /// none, which is nearly always: a NULL column at the end of a row costs no byte in SQLite's record format, and
    /// ALTER TABLE ADD COLUMN rewrites no existing row.
    /// </summary>
    private const string DsnColumns = """
        ALTER TABLE messages ADD COLUMN dsn_ret INTEGER NULL;
        ALTER TABLE messages ADD COLUMN dsn_envid TEXT NULL;
        ALTER TABLE messages ADD COLUMN dsn_delay_warned INTEGER NULL;
        ALTER TABLE recipients ADD COLUMN dsn_notify INTEGER NULL;
        ALTER TABLE recipients ADD COLUMN dsn_orcpt TEXT NULL;
        """;

    /// <summary>
    /// The way back (version 7), a step of its own that only adds: the From domains of each message (its events' From
    /// domain, and the organisational domain whose suppression list and counts its outcomes go to), the suppression
    /// list, the events outbox and the feedback counts (<see cref="Feedback.SqliteFeedbackSql"/>).
    /// </summary>
    /// <remarks>
    /// <c>suppressions</c> is keyed by organisational domain then recipient, the recipient in
    /// <see cref="Core.Feedback.SuppressionKey.Recipient"/> form (domain part lower case, local part exact): the lookup
    /// at DATA is one seek per recipient in this key, no other index. <c>events</c>: AUTOINCREMENT so an id is never
    /// handed out twice, not even once the outbox was emptied (a receiver may tell events apart by it); a claim moves
    /// <c>next_attempt_at</c> to the end of its lease, so one index serves due events and expired leases.
    /// <c>feedback_counts</c>: one row per domain and hour (Unix hours), so a 24-hour rate is read from 24 rows and is
    /// off by at most an hour, where daily rows would count up to 48 hours.
    /// </remarks>
    private const string Feedback = """
        ALTER TABLE messages ADD COLUMN from_domain TEXT NULL;
        ALTER TABLE messages ADD COLUMN from_org_domain TEXT NULL;
        CREATE TABLE suppressions (
            domain    TEXT    NOT NULL,
            recipient TEXT    NOT NULL,
            reason    INTEGER NOT NULL,
            since     INTEGER NOT NULL,
            status    TEXT    NULL,
            queue_id  TEXT    NULL,
            PRIMARY KEY (domain, recipient)
        ) WITHOUT ROWID;
        CREATE TABLE events (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            type            INTEGER NOT NULL,
            at              INTEGER NOT NULL,
            recipient       TEXT    NOT NULL,
            queue_id        TEXT    NULL,
            message_id      TEXT    NULL,
            from_domain     TEXT    NULL,
            kind            TEXT    NULL,
            status          TEXT    NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL
        );
        CREATE INDEX ix_events_due ON events (next_attempt_at, id);
        CREATE TABLE feedback_counts (
            domain       TEXT    NOT NULL,
            hour         INTEGER NOT NULL,
            delivered    INTEGER NOT NULL DEFAULT 0,
            hard_bounces INTEGER NOT NULL DEFAULT 0,
            complaints   INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (domain, hour)
        ) WITHOUT ROWID;
        """;

    /// <summary>
    /// The complaint-rate guard's paused bulk domains (version 8): a handful of rows, read whole once a minute, written
    /// when a domain is paused or resumed (<see cref="SqliteBulkPauseStore"/>). Apart from the queue's tables, and
    /// from the suppression list: it pauses a sender, not a recipient. <c>resumed_at</c> NULL: paused.
    /// </summary>
    private const string BulkPauses = """
        CREATE TABLE bulk_pauses (
            domain         TEXT    NOT NULL PRIMARY KEY,
            paused_at      INTEGER NOT NULL,
            complaint_rate REAL    NOT NULL,
            resumed_at     INTEGER NULL
        ) WITHOUT ROWID;
        """;

    /// <summary>
    /// The DMARC aggregate reports (version 9), a self-contained step: no queue table refers to them or they to it.
    /// <c>dmarc_reports</c> holds a report's metadata and the policy the reporter saw, unique by reporter (its
    /// org name in lower case) and report id; <c>dmarc_records</c> its rows, clustered by report so a report's rows are
    /// appended together and read back in order. The raw DKIM and SPF results are JSON arrays of
    /// <c>[domain, selector, result]</c> (null when none): only shown, never searched.
    /// </summary>
    /// <remarks>
    /// The dashboard's sums are kept at import, in the import's transaction, summed per report first so a report
    /// costs one upsert per source (not per record): per policy domain, UTC day of the report's begin and source IP
    /// (<c>dmarc_source_days</c>, the daily charts), and the same per reporter (<c>dmarc_reporter_source_days</c>, the
    /// sources table). A window is then a range of one primary key, whatever the number of records. Days are counted
    /// from 1970-01-01, times are Unix milliseconds as elsewhere in the file.
    /// </remarks>
    private const string DmarcReportTables = """
        CREATE TABLE dmarc_reports (
            id          INTEGER PRIMARY KEY,
            org_key     TEXT    NOT NULL,
            org_name    TEXT    NOT NULL,
            report_id   TEXT    NOT NULL,
            begin_at    INTEGER NOT NULL,
            end_at      INTEGER NOT NULL,
            domain      TEXT    NOT NULL,
            p           TEXT    NOT NULL,
            sp          TEXT    NULL,
            pct         INTEGER NOT NULL,
            adkim       TEXT    NOT NULL,
            aspf        TEXT    NOT NULL,
            imported_at INTEGER NOT NULL,
            UNIQUE (org_key, report_id)
        );
        CREATE INDEX ix_dmarc_reports_domain_end ON dmarc_reports (domain, end_at);
        CREATE TABLE dmarc_records (
            report        INTEGER NOT NULL REFERENCES dmarc_reports (id) ON DELETE CASCADE,
            ordinal       INTEGER NOT NULL,
            source_ip     TEXT    NOT NULL,
            count         INTEGER NOT NULL,
            disposition   TEXT    NOT NULL,
            dkim_aligned  INTEGER NOT NULL,
            spf_aligned   INTEGER NOT NULL,
            header_from   TEXT    NOT NULL,
            envelope_from TEXT    NULL,
            dkim          TEXT    NULL,
            spf           TEXT    NULL,
            PRIMARY KEY (report, ordinal)
        ) WITHOUT ROWID;
        CREATE TABLE dmarc_source_days (
            domain       TEXT    NOT NULL,
            day          INTEGER NOT NULL,
            source_ip    TEXT    NOT NULL,
            messages     INTEGER NOT NULL,
            dkim_aligned INTEGER NOT NULL,
            spf_aligned  INTEGER NOT NULL,
            dmarc_pass   INTEGER NOT NULL,
            quarantined  INTEGER NOT NULL,
            rejected     INTEGER NOT NULL,
            PRIMARY KEY (domain, day, source_ip)
        ) WITHOUT ROWID;
        CREATE TABLE dmarc_reporter_source_days (
            domain       TEXT    NOT NULL,
            day          INTEGER NOT NULL,
            reporter     TEXT    NOT NULL,
            source_ip    TEXT    NOT NULL,
            messages     INTEGER NOT NULL,
            dkim_aligned INTEGER NOT NULL,
            spf_aligned  INTEGER NOT NULL,
            dmarc_pass   INTEGER NOT NULL,
            quarantined  INTEGER NOT NULL,
            rejected     INTEGER NOT NULL,
            PRIMARY KEY (domain, day, reporter, source_ip)
        ) WITHOUT ROWID;
        """;

    /// <summary>
    /// Brings the file to <see cref="Version"/> in one transaction: creates the tables in a new file; to a version 4
    /// file adds the history tables and the message's <c>header_message_id</c>; in an older one,
    /// adds what version 1 lacks (<c>lease_token</c>), rebuilds messages and content in this layout (version 2 kept the
    /// content in the message row, version 3 keyed it by message id), moves live leases into <c>leases</c> and counts
    /// the messages into <c>queue_depth</c>; then, below version 6, adds the DSN columns, below version 7 the way back's tables, below version 8 the paused bulk domains, and below version 9 the DMARC report tables (<see cref="DmarcReportTables"/>). Refuses
    /// (<see cref="NotSupportedException"/>) a file written by a newer build rather than guess at its layout.
    /// </summary>
    /// <remarks>Runs with foreign keys off (<see cref="QueueDatabase"/> turns them on after): dropping the old
    /// messages table must not cascade into its recipients.</remarks>
    /// <returns>The version the file had before (0 for a new file).</returns>
    public static long Migrate(SqliteConnection connection)
    {
        using var tx = connection.BeginTransaction();
        using var command = tx.CreateCommand("PRAGMA user_version;");
        var version = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > Version)
        {
            throw new NotSupportedException(
                $"{connection.DataSource} has queue schema version {version}; this build knows up to {Version}.");
        }

        if (version == Version)
        {
            return version;
        }

        if (version < HistoryVersion)
        {
            UpgradeToHistory(command, version);
        }

        if (version < DsnVersion)
        {
            Run(command, DsnColumns);
        }

        if (version < FeedbackVersion)
        {
            Run(command, Feedback);
        }

        if (version < BulkPausesVersion)
        {
            Run(command, BulkPauses);
        }

        if (version < DmarcReportsVersion)
        {
            Run(command, DmarcReportTables);
        }

        Run(command, $"PRAGMA user_version = {Version};");
        return Commit(connection, tx, version);
    }

    /// <summary>Brings a new file or one of versions 1–4 to version 5 (the message history).</summary>
    private static void UpgradeToHistory(SqliteCommand command, long version)
    {
        if (version == 0)
        {
            Run(command, string.Format(CultureInfo.InvariantCulture, Messages, "messages"));
            Run(command, string.Format(CultureInfo.InvariantCulture, Contents, "message_contents"));
            Run(command, RecipientsLeasesAndCounters);
            Run(command, "INSERT INTO lease_counter (last) VALUES (0);");
        }
        else if (version == 4)
        {
            // Only the history is new: a column added to the message row (no rewrite of existing rows in SQLite).
            Run(command, "ALTER TABLE messages ADD COLUMN header_message_id TEXT NULL;");
        }
        else
        {
            Rebuild(command, version);
        }

        Run(command, History);
        if (version != 4)
        {
            // Versions 1–3 are rebuilt and get indexes and triggers here; version 4 has them already.
            Run(command, $"""
                {IndexesAndTriggers}
                INSERT INTO queue_depth (messages) SELECT COUNT(*) FROM messages WHERE NOT EXISTS (SELECT 1 FROM queue_depth);
                """);
        }
    }

    /// <summary>Commits the upgrade once no row is left without its message.</summary>
    private static long Commit(SqliteConnection connection, SqliteTransaction tx, long version)
    {
        using var check = tx.CreateCommand("PRAGMA foreign_key_check;");
        if (check.ExecuteScalar() is { } broken)
        {
            throw new InvalidOperationException($"{connection.DataSource}: the upgrade left rows without their message in {broken}.");
        }

        tx.Commit();
        return version;
    }

    /// <summary>
    /// Copies an older file's messages and content into the version 4 tables (the content keeps its row number) and
    /// drops the old ones with their indexes and triggers; recipients stay as they are.
    /// </summary>
    private static void Rebuild(SqliteCommand command, long version)
    {
        if (version == 1)
        {
            // Version 1 claims carried no token; every old lease gets token 0.
            Run(command, "ALTER TABLE messages ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;");
        }

        Run(command, string.Format(CultureInfo.InvariantCulture, Messages, "messages_v4"));
        Run(command, string.Format(CultureInfo.InvariantCulture, Contents, "message_contents_v4"));
        Run(command, version <= 2
            ? """
              INSERT INTO message_contents_v4 (id, content) SELECT rowid, content FROM messages;
              INSERT INTO messages_v4 (id, sender, received_at, next_attempt_at, attempts, size, content_id)
                  SELECT id, sender, received_at, next_attempt_at, attempts, length(content), rowid FROM messages;
              """
            : """
              INSERT INTO message_contents_v4 (id, content) SELECT rowid, content FROM message_contents;
              INSERT INTO messages_v4 (id, sender, received_at, next_attempt_at, attempts, size, content_id)
                  SELECT m.id, m.sender, m.received_at, m.next_attempt_at, m.attempts, length(c.content), c.rowid
                  FROM messages m JOIN message_contents c ON c.message_id = m.id;
              DROP TABLE message_contents;
              """);
        Run(command, $"""
            {RecipientsLeasesAndCounters}
            INSERT INTO leases (message_id, lease_until, token)
                SELECT id, lease_until, lease_token FROM messages WHERE lease_until IS NOT NULL;
            INSERT INTO lease_counter (last) SELECT COALESCE(MAX(lease_token), 0) FROM messages;
            DROP TABLE messages;
            ALTER TABLE messages_v4 RENAME TO messages;
            ALTER TABLE message_contents_v4 RENAME TO message_contents;
            """);
    }

    private static void Run(SqliteCommand command, string sql)
    {
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
