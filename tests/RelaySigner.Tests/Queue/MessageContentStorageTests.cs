using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// The content's own table and the incremental blob writes and reads: large content given in parts comes back
/// byte for byte, goes with its message, and files of the earlier layout keep their messages.
/// </summary>
public sealed class MessageContentStorageTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly QueueFolder _queues = new("content");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _queues.DisposeAsync().AsTask();

    [Fact]
    public async Task Large_content_given_in_parts_is_claimed_and_shown_byte_for_byte()
    {
        var queue = Open();
        var signature = "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; b=abc\r\n"u8.ToArray();
        var received = "Received: from client by relay; Sat, 1 Mar 2025 12:00:00 +0000\r\n"u8.ToArray();
        var body = new byte[(8 * 1024 * 1024) + 3];
        new Random(8).NextBytes(body);
        var expected = (byte[])[.. signature, .. received, .. body];

        var id = await queue.EnqueueAsync(new Envelope("a@example.com", ["b@example.org"]),
            [signature, ReadOnlyMemory<byte>.Empty, received, body.AsMemory(0, 5), body.AsMemory(5)], CancellationToken.None);
        Array.Clear(body); // the caller's buffer is reused once the enqueue has returned

        var claimed = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(id, claimed.Id);
        Assert.True(expected.AsSpan().SequenceEqual(claimed.Content));
        Assert.True(expected.AsSpan().SequenceEqual(QueueListing.ReadContent(_queues.Path, id)));
        Assert.Equal(expected.Length, Assert.Single(QueueListing.Read(_queues.Path)).Size);
    }

    [Fact]
    public async Task Content_goes_with_its_message_once_every_recipient_is_final()
    {
        var queue = Open();
        var id = await queue.EnqueueAsync(new Envelope("a@example.com", ["b@example.org"]), "Subject: x\r\n\r\nbody\r\n"u8.ToArray(),
            CancellationToken.None);
        var lease = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;

        await queue.RecordAttemptAsync(lease, [new RecipientOutcome("b@example.org", RecipientStatus.Delivered, null)],
            _queues.Time.GetUtcNow(), null, CancellationToken.None);

        Assert.Null(QueueListing.ReadContent(_queues.Path, id));
        await queue.DisposeAsync();
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM message_contents"));
    }

    [Fact]
    public async Task A_version_2_file_keeps_its_messages_with_their_content()
    {
        Directory.CreateDirectory(_queues.Path);
        var content = "From: a@example.com\r\nSubject: old\r\n\r\nstored by version 2\r\n"u8.ToArray();
        using (var connection = Connect())
        {
            using var create = connection.CreateCommand();
            // The version 2 layout, content in the messages row.
            create.CommandText = """
                CREATE TABLE messages (
                    id TEXT NOT NULL PRIMARY KEY, sender TEXT NOT NULL, received_at INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, lease_until INTEGER NULL,
                    lease_token INTEGER NOT NULL DEFAULT 0, content BLOB NOT NULL);
                CREATE TABLE recipients (
                    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE, ordinal INTEGER NOT NULL,
                    address TEXT NOT NULL, status INTEGER NOT NULL, last_reply TEXT NULL,
                    PRIMARY KEY (message_id, ordinal)) WITHOUT ROWID;
                CREATE INDEX ix_messages_due ON messages (next_attempt_at, lease_until);
                INSERT INTO messages (id, sender, received_at, next_attempt_at, content) VALUES ('OLD1', 'a@example.com', 0, 0, $content);
                INSERT INTO recipients VALUES ('OLD1', 0, 'b@example.org', 0, NULL);
                PRAGMA user_version = 2;
                """;
            create.Parameters.AddWithValue("$content", content);
            create.ExecuteNonQuery();
        }

        var queue = Open();
        var claimed = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));

        Assert.Equal("OLD1", claimed.Id.Value);
        Assert.Equal(content, claimed.Content);
        await queue.DisposeAsync();
        Assert.Equal((long)SqliteMessageQueue.SchemaVersion, Scalar("PRAGMA user_version"));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM pragma_table_info('messages') WHERE name = 'content'"));
    }

    private SqliteMessageQueue Open() => _queues.Open();

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_queues.Path, QueueOptions.DatabaseFileName)};Pooling=False");
        connection.Open();
        return connection;
    }

    private long Scalar(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
