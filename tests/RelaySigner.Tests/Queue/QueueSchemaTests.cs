using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// The version 9 schema: files of versions 2, 3, 4 and 5 upgrade in place, the depth count stays exact, and the queries that
/// run per message or per scrape seek indexes instead of scanning the table (their cost must not grow with the
/// backlog; the queue-scale benchmark measures it, these tests pin the plans).
/// </summary>
public sealed class QueueSchemaTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly string _folder = Directory.CreateTempSubdirectory("relaysigner-schema-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private string DatabasePath => Path.Combine(_folder, QueueOptions.DatabaseFileName);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_version_2_file_is_upgraded_and_keeps_its_messages_leases_and_schedule()
    {
        var (leased, due, later) = OldIds();
        using (var v2 = Connect())
        {
            Execute(v2, """
                PRAGMA journal_mode = WAL;
                CREATE TABLE messages (id TEXT NOT NULL PRIMARY KEY, sender TEXT NOT NULL, received_at INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, lease_until INTEGER NULL,
                    lease_token INTEGER NOT NULL DEFAULT 0, content BLOB NOT NULL);
                CREATE INDEX ix_messages_due ON messages (next_attempt_at, lease_until);
                PRAGMA user_version = 2;
                """ + OldRecipientsTable);
            Execute(v2, $"""
                INSERT INTO messages VALUES ('{leased}', 's@example.org', {Now - 3000}, {Now - 3000}, 0, {Now + 60_000}, 4, x'01');
                INSERT INTO messages VALUES ('{due}', 's@example.org', {Now - 2000}, {Now - 2000}, 1, NULL, 2, x'02');
                INSERT INTO messages VALUES ('{later}', 's@example.org', {Now - 1000}, {Now + 3_600_000}, 3, NULL, 5, x'03');
                """ + OldRecipients(leased, due, later));
        }

        await using (var queue = Open())
        {
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Now - 3000), QueueSummary.Read(queue.DatabasePath).OldestReceivedAt);
            await AssertTheOldMessagesGoOnAsync(queue, firstToken: 6);
        }

        AssertCurrentVersion();
    }

    [Fact]
    public async Task A_version_3_file_is_upgraded_and_keeps_its_messages_content_leases_and_schedule()
    {
        var (leased, due, later) = OldIds();
        using (var v3 = Connect())
        {
            Execute(v3, """
                PRAGMA journal_mode = WAL;
                CREATE TABLE messages (id TEXT NOT NULL PRIMARY KEY, sender TEXT NOT NULL, received_at INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, lease_until INTEGER NULL,
                    lease_token INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE message_contents (message_id TEXT NOT NULL PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
                    content BLOB NOT NULL);
                CREATE INDEX ix_messages_ready ON messages (next_attempt_at, id) WHERE lease_until IS NULL;
                CREATE INDEX ix_messages_leased ON messages (lease_until) WHERE lease_until IS NOT NULL;
                CREATE TABLE queue_depth (messages INTEGER NOT NULL);
                INSERT INTO queue_depth VALUES (0);
                CREATE TRIGGER queue_depth_insert AFTER INSERT ON messages BEGIN UPDATE queue_depth SET messages = messages + 1; END;
                CREATE TRIGGER queue_depth_delete AFTER DELETE ON messages BEGIN UPDATE queue_depth SET messages = messages - 1; END;
                PRAGMA user_version = 3;
                """ + OldRecipientsTable);
            // Contents written in another order than the messages, so a content row number is not a message's.
            Execute(v3, $"""
                INSERT INTO messages VALUES ('{leased}', 's@example.org', {Now - 3000}, {Now - 3000}, 0, {Now + 60_000}, 4);
                INSERT INTO messages VALUES ('{due}', 's@example.org', {Now - 2000}, {Now - 2000}, 1, NULL, 2);
                INSERT INTO messages VALUES ('{later}', 's@example.org', {Now - 1000}, {Now + 3_600_000}, 3, NULL, 9);
                INSERT INTO message_contents VALUES ('{later}', x'03');
                INSERT INTO message_contents VALUES ('{due}', x'02');
                INSERT INTO message_contents VALUES ('{leased}', x'01');
                """ + OldRecipients(leased, due, later));
        }

        await using (var queue = Open())
        {
            Assert.Equal([1L, 1L, 1L], QueueListing.Read(_folder).Select(e => e.Size)); // the size moved into the message row
            await AssertTheOldMessagesGoOnAsync(queue, firstToken: 10);
        }

        AssertCurrentVersion();
        using var upgraded = Connect();
        Assert.Equal(2L, Scalar(upgraded, "SELECT COUNT(*) FROM message_contents")); // the delivered message took its content along
    }

    [Fact]
    public async Task A_version_8_file_gains_the_report_tables_and_keeps_its_messages()
    {
        QueueId id;
        await using (var queue = Open())
        {
            id = await queue.EnqueueAsync(new Envelope("s@example.org", ["r@example.com"]), "x"u8.ToArray(), CancellationToken.None);
        }

        using (var v8 = Connect())
        {
            Execute(v8, """
                DROP TABLE dmarc_records; DROP TABLE dmarc_reports; DROP TABLE dmarc_source_days; DROP TABLE dmarc_reporter_source_days;
                PRAGMA user_version = 8;
                """);
        }

        await using (var queue = Open())
        {
            Assert.Equal(id, Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Id);
        }

        AssertCurrentVersion();
    }

    [Fact]
    public async Task A_version_4_file_is_upgraded_in_place_keeps_its_messages_and_records_their_history_from_then_on()
    {
        var (leased, due, later) = OldIds();
        using (var v4 = Connect())
        {
            Execute(v4, """
                PRAGMA journal_mode = WAL;
                CREATE TABLE messages (id TEXT NOT NULL PRIMARY KEY, sender TEXT NOT NULL, received_at INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, size INTEGER NOT NULL,
                    content_id INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE message_contents (id INTEGER PRIMARY KEY, content BLOB NOT NULL);
                CREATE TABLE recipients (message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                    ordinal INTEGER NOT NULL, address TEXT NOT NULL, status INTEGER NOT NULL, last_reply TEXT NULL,
                    PRIMARY KEY (message_id, ordinal)) WITHOUT ROWID;
                CREATE TABLE leases (message_id TEXT NOT NULL PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
                    lease_until INTEGER NOT NULL, token INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE queue_depth (messages INTEGER NOT NULL);
                CREATE TABLE lease_counter (last INTEGER NOT NULL);
                CREATE INDEX ix_messages_schedule ON messages (next_attempt_at, id);
                CREATE INDEX ix_leases_until ON leases (lease_until);
                CREATE TRIGGER messages_insert AFTER INSERT ON messages
                    BEGIN UPDATE queue_depth SET messages = messages + 1; END;
                CREATE TRIGGER messages_delete AFTER DELETE ON messages
                    BEGIN
                        UPDATE queue_depth SET messages = messages - 1;
                        DELETE FROM message_contents WHERE id = old.content_id;
                    END;
                INSERT INTO queue_depth VALUES (0);
                INSERT INTO lease_counter VALUES (5);
                PRAGMA user_version = 4;
                """);
            Execute(v4, $"""
                INSERT INTO message_contents VALUES (1, x'01'), (2, x'02'), (3, x'03');
                INSERT INTO messages VALUES ('{leased}', 's@example.org', {Now - 3000}, {Now - 3000}, 0, 1, 1);
                INSERT INTO messages VALUES ('{due}', 's@example.org', {Now - 2000}, {Now - 2000}, 1, 1, 2);
                INSERT INTO messages VALUES ('{later}', 's@example.org', {Now - 1000}, {Now + 3_600_000}, 3, 1, 3);
                INSERT INTO leases VALUES ('{leased}', {Now + 60_000}, 4);
                """ + OldRecipients(leased, due, later));
        }

        await using (var queue = Open())
        {
            await AssertTheOldMessagesGoOnAsync(queue, firstToken: 6);
        }

        AssertCurrentVersion();
        using var upgraded = Connect();
        Assert.Equal(2L, Scalar(upgraded, "SELECT COUNT(*) FROM message_contents"));
        // The message delivered after the upgrade left its history; the old ones simply have none from before.
        Assert.Equal(leased, Scalar(upgraded, "SELECT queue_id FROM history"));
        Assert.Equal("a@example.com", Scalar(upgraded, "SELECT recipient FROM attempts"));
    }

    [Fact]
    public async Task A_version_7_file_gains_the_paused_bulk_domains_and_keeps_its_messages()
    {
        await using (var queue = Open())
        {
            await queue.EnqueueAsync(new Envelope("s@example.org", ["a@example.com"]), "x"u8.ToArray(), CancellationToken.None);
        }

        using (var v7 = Connect())
        {
            Execute(v7, """
                DROP TABLE bulk_pauses;
                DROP TABLE dmarc_records; DROP TABLE dmarc_reports; DROP TABLE dmarc_source_days; DROP TABLE dmarc_reporter_source_days;
                PRAGMA user_version = 7;
                """);
        }

        await Open().DisposeAsync();

        AssertCurrentVersion();
        using var upgraded = Connect();
        Assert.Equal(1L, Scalar(upgraded, "SELECT COUNT(*) FROM messages"));
        Assert.Equal(0L, Scalar(upgraded, "SELECT COUNT(*) FROM bulk_pauses"));
    }

    [Fact]
    public async Task History_searches_seek_their_index()
    {
        await Open().DisposeAsync();

        Assert.Contains(Plan("SELECT queue_id FROM attempts WHERE recipient = 'a@example.com' COLLATE NOCASE"),
            step => step.Contains("USING COVERING INDEX ix_attempts_recipient", StringComparison.Ordinal));
        Assert.Contains(Plan("SELECT queue_id FROM history WHERE header_message_id = 'x@example.com'"),
            step => step.Contains("INDEX ix_history_message_id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_depth_count_follows_enqueues_removals_operator_deletes_and_rolled_back_work()
    {
        await using var queue = Open();
        Assert.Equal(0, QueueSummary.Read(queue.DatabasePath).Messages);
        Assert.Null(QueueSummary.Read(queue.DatabasePath).OldestReceivedAt);

        var first = await queue.EnqueueAsync(new Envelope("s@example.org", ["a@example.com"]), Content("1"), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await queue.EnqueueAsync(new Envelope("s@example.org", ["b@example.com"]), Content("2"), CancellationToken.None);
        var third = await queue.EnqueueAsync(new Envelope("s@example.org", ["c@example.com"]), Content("3"), CancellationToken.None);
        await queue.ProbeWritableAsync(CancellationToken.None); // inserts and rolls back
        Assert.Equal(3, QueueSummary.Read(queue.DatabasePath).Messages);

        var claimed = await queue.ClaimDueAsync(1, Lease, CancellationToken.None);
        Assert.Equal(first, Assert.Single(claimed).Id);
        await queue.RecordAttemptAsync(claimed[0].Lease,
            [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, null)], _time.GetUtcNow(), null, CancellationToken.None);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => queue.RecordAttemptAsync(claimed[0].Lease,
            [], _time.GetUtcNow(), null, CancellationToken.None)); // a refused operation changes nothing
        Assert.Equal(2, QueueSummary.Read(queue.DatabasePath).Messages);

        Assert.Equal(QueueChange.Done, QueueAdministration.Delete(_folder, third, _time.GetUtcNow()));
        Assert.Equal(1, QueueSummary.Read(queue.DatabasePath).Messages);
        using var connection = Connect();
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM message_contents")); // content leaves with its message
        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM leases"));
    }

    [Fact]
    public async Task An_expired_lease_is_claimed_first_and_together_with_ready_messages()
    {
        await using var queue = Open();
        var hung = await queue.EnqueueAsync(new Envelope("s@example.org", ["a@example.com"]), Content("hung"), CancellationToken.None);
        Assert.Single(await queue.ClaimDueAsync(1, Lease, CancellationToken.None));
        _time.Advance(Lease);
        var fresh = await queue.EnqueueAsync(new Envelope("s@example.org", ["b@example.com"]), Content("fresh"), CancellationToken.None);

        Assert.Equal([hung], (await queue.ClaimDueAsync(1, Lease, CancellationToken.None)).Select(m => m.Id));
        _time.Advance(Lease);
        Assert.Equal([hung, fresh], (await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Select(m => m.Id));
    }

    public static TheoryData<string, string[]> HotQueries => new()
    {
        {
            ClaimDueSql.ReadySql,
            ["SEARCH m USING INDEX ix_messages_schedule (next_attempt_at<?)", "SEARCH l USING PRIMARY KEY (message_id=?)",
                "r EXISTS USING PRIMARY KEY (message_id=?)"]
        },
        { ClaimDueSql.ExpiredSql, ["SEARCH l USING COVERING INDEX ix_leases_until (lease_until<?)", "SEARCH m USING PRIMARY KEY (id=?)"] },
        // The unleased half walks ix_messages_schedule in order and stops at the first message with a pending recipient.
        { NextDueAtSql.Sql, ["SCAN m USING COVERING INDEX ix_messages_schedule", "SCAN l", "SEARCH m USING PRIMARY KEY (id=?)"] },
        { QueueSummary.Sql, ["SCAN queue_depth", "SEARCH messages USING PRIMARY KEY"] },
        { ReleaseLeasesSql.Sql, ["leases"] },
    };

    [Fact]
    public async Task Queue_stats_reads_the_pending_recipients_in_stored_order_without_sorting()
    {
        await Open().DisposeAsync();
        var plan = Plan(QueueListing.PendingSql);

        Assert.Contains(plan, step => step.Contains("SEARCH m USING PRIMARY KEY (id=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(HotQueries))]
    public async Task Hot_queries_seek_their_index_and_never_scan_or_sort_the_messages(string sql, string[] expected)
    {
        await Open().DisposeAsync();
        var plan = Plan(sql);

        foreach (var step in expected)
        {
            Assert.Contains(plan, line => line.Contains(step, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step is "SCAN m" or "SCAN messages" or "SCAN r" or "SCAN recipients");
    }

    private const string OldRecipientsTable = """
        CREATE TABLE recipients (message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL, address TEXT NOT NULL, status INTEGER NOT NULL, last_reply TEXT NULL,
            PRIMARY KEY (message_id, ordinal)) WITHOUT ROWID;
        """;

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Three messages of an older file: due and leased by the run that wrote it (token 4), due now (token 2), and
    /// deferred for an hour with one of its two recipients done. Ids as QueueId makes them: acceptance time first.
    /// </summary>
    private (string Leased, string Due, string Later) OldIds() =>
        ($"{Now - 3000:X11}0000000001", $"{Now - 2000:X11}0000000002", $"{Now - 1000:X11}0000000003");

    private static string OldRecipients(string leased, string due, string later) => $"""
        INSERT INTO recipients VALUES ('{leased}', 0, 'a@example.com', 0, NULL);
        INSERT INTO recipients VALUES ('{due}', 0, 'b@example.com', 0, '451 4.7.1 later');
        INSERT INTO recipients VALUES ('{later}', 0, 'c@example.com', 1, '250 2.0.0 ok');
        INSERT INTO recipients VALUES ('{later}', 1, 'd@example.com', 0, '451 4.7.1 later');
        """;

    /// <summary>The upgraded queue carries on with the messages of <see cref="OldIds"/> as the old one would have.</summary>
    private async Task AssertTheOldMessagesGoOnAsync(SqliteMessageQueue queue, long firstToken)
    {
        var (leased, due, later) = OldIds();
        Assert.Equal(3, QueueSummary.Read(queue.DatabasePath).Messages);

        // The lease of the run that wrote the file is released at open: both due messages, oldest first, with tokens
        // past every token the file handed out.
        var claimed = await queue.ClaimDueAsync(10, Lease, CancellationToken.None);
        Assert.Equal([leased, due], claimed.Select(m => m.Id.Value));
        Assert.Equal([[0x01], [0x02]], claimed.Select(m => m.Content));
        Assert.Equal([firstToken, firstToken + 1], claimed.Select(m => m.LeaseToken));
        Assert.Equal(_time.GetUtcNow() + Lease, await queue.NextDueAtAsync(CancellationToken.None));

        await queue.RecordAttemptAsync(claimed[0].Lease,
            [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, null)], _time.GetUtcNow(), null, CancellationToken.None);
        Assert.Equal(2, QueueSummary.Read(queue.DatabasePath).Messages);

        _time.Advance(TimeSpan.FromHours(1));
        var deferred = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None), m => m.Id.Value == later);
        Assert.Equal(["d@example.com"], deferred.PendingRecipients);
        Assert.Equal(3, deferred.Attempts);
        Assert.Equal([0x03], deferred.Content);
    }

    private List<string> Plan(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in new[] { "$now", "$max", "$pending" }.Where(sql.Contains))
        {
            command.Parameters.AddWithValue(name, 1);
        }

        var plan = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    private void AssertCurrentVersion()
    {
        using var upgraded = Connect();
        Assert.Equal((long)SqliteMessageQueue.SchemaVersion, Scalar(upgraded, "PRAGMA user_version"));
        Assert.Equal(3L, Scalar(upgraded, "SELECT COUNT(*) FROM pragma_table_info('messages') WHERE name LIKE 'dsn_%'"));
        Assert.Equal(2L, Scalar(upgraded, "SELECT COUNT(*) FROM pragma_table_info('recipients') WHERE name LIKE 'dsn_%'"));
        Assert.Equal(4L, Scalar(upgraded,
            "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('suppressions', 'events', 'ix_events_due', 'feedback_counts')"));
        Assert.Equal(2L, Scalar(upgraded, "SELECT COUNT(*) FROM pragma_table_info('messages') WHERE name IN ('from_domain', 'from_org_domain')"));
        Assert.Equal(4L, Scalar(upgraded,
            "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('dmarc_reports', 'dmarc_records', 'dmarc_source_days', 'dmarc_reporter_source_days')"));
        Assert.Equal(4L, Scalar(upgraded,
            "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('attempts', 'history', 'ix_attempts_recipient', 'ix_history_message_id')"));
        Assert.Equal(1L, Scalar(upgraded, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'bulk_pauses'"));
        Assert.Equal(0L, Scalar(upgraded,
            "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('ix_messages_due', 'ix_messages_ready', 'ix_messages_leased', " +
            "'queue_depth_insert', 'queue_depth_delete', 'messages_v4', 'message_contents_v4')"));
        Assert.Equal(4L, Scalar(upgraded,
            "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('ix_messages_schedule', 'ix_leases_until', " +
            "'messages_insert', 'messages_delete')"));
        Assert.Equal(0L, Scalar(upgraded, "SELECT COUNT(*) FROM pragma_table_info('messages') WHERE name LIKE 'lease%'"));
    }

    private SqliteMessageQueue Open() =>
        new(Options.Create(new QueueOptions { Path = _folder }), _time, NullLogger<SqliteMessageQueue>.Instance);

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static byte[] Content(string marker) => Encoding.ASCII.GetBytes($"From: a@example.org\r\nSubject: {marker}\r\n\r\nbody\r\n");
}
