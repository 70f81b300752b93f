using System.Runtime.Versioning;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Telemetry;
using RelaySigner.Queue;
using RelaySigner.Tests.Delivery;
using SQLitePCL;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// The queue's folder and files are the relay's user's alone, whatever the umask, and a delivered message's body
/// does not stay readable in the database file's free pages, in the WAL or in temporary files elsewhere.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class QueueFilePrivacyTests : IAsyncDisposable
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnlyFile | UnixFileMode.UserExecute;
    private static readonly string[] FileNames = ["queue.db", "queue.db-wal", "queue.db-shm", "queue.lock"];

    private readonly QueueFolder _queues = new("privacy");
    private readonly AwaitableLogger<SqliteMessageQueue> _log = new();

    public ValueTask DisposeAsync() => _queues.DisposeAsync();

    [Fact]
    public async Task A_new_queue_is_an_owner_only_folder_of_owner_only_files()
    {
        await using var queue = Open();
        await queue.EnqueueAsync(new Envelope("a@example.com", ["b@example.org"]), "Subject: x\r\n\r\nbody\r\n"u8.ToArray(), CancellationToken.None);

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(_queues.Path));
        Assert.All(FileNames, name => Assert.Equal((name, OwnerOnlyFile), (name, File.GetUnixFileMode(Path.Combine(_queues.Path, name)))));
    }

    [Fact]
    public async Task Queue_files_others_could_read_from_an_older_build_are_made_owner_only_at_open()
    {
        await using (var first = Open())
        {
            await first.EnqueueAsync(new Envelope("a@example.com", ["b@example.org"]), "Subject: x\r\n\r\nbody\r\n"u8.ToArray(), CancellationToken.None);
        }

        var database = Path.Combine(_queues.Path, "queue.db");
        File.SetUnixFileMode(database, OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var queue = Open();

        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(database));
        await _log.WaitForEventAsync(EventIds.Queue.Restricted);
        Assert.Contains($"Queue file {database} could be opened by other users; its mode is now 0600", _log.Lines);
    }

    [Fact]
    public async Task A_delivered_body_is_readable_neither_in_the_database_file_nor_in_the_wal()
    {
        var marker = "body-marker-" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder("From: a@example.com\r\nSubject: s\r\n\r\n");
        while (body.Length < 100 * 1024)
        {
            body.Append(marker).Append("\r\n"); // on every page of the body's overflow chain
        }

        await using var queue = Open();
        await queue.EnqueueAsync(new Envelope("a@example.com", ["b@example.org"]), Encoding.ASCII.GetBytes(body.ToString()), CancellationToken.None);
        var message = Assert.Single(await queue.ClaimDueAsync(1, TimeSpan.FromMinutes(5), CancellationToken.None));
        await queue.RecordAttemptAsync(message.Lease,
            [new RecipientOutcome("b@example.org", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok"))],
            _queues.Time.GetUtcNow(), null, CancellationToken.None);
        Assert.Null(await queue.NextDueAtAsync(CancellationToken.None));

        // Every page in the file, as the relay's checkpointer does; then a later commit, with which the WAL starts over.
        CheckpointEverything(queue.DatabasePath);
        await queue.EnqueueAsync(new Envelope("a@example.com", ["b@example.org"]), "Subject: x\r\n\r\nlater\r\n"u8.ToArray(), CancellationToken.None);

        var needle = Encoding.ASCII.GetBytes(marker);
        Assert.Equal(-1, File.ReadAllBytes(queue.DatabasePath).AsSpan().IndexOf(needle));
        Assert.Equal(-1, File.ReadAllBytes(queue.DatabasePath + "-wal").AsSpan().IndexOf(needle));
    }

    [Fact]
    public async Task The_queues_temporary_pages_stay_in_memory_not_in_files_outside_its_folder()
    {
        await using var queue = Open();
        using var connection = QueueDatabase.Connect(queue.DatabasePath, SqliteOpenMode.ReadWrite);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA temp_store;";

        Assert.Equal(2L, command.ExecuteScalar()); // MEMORY: statement journals and temporary tables included
    }

    private SqliteMessageQueue Open() =>
        new(Options.Create(new QueueOptions { Path = _queues.Path }), _queues.Time, _log);

    /// <summary>A passive checkpoint that copies the whole WAL, from a connection of the test's own.</summary>
    private static void CheckpointEverything(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using (var read = connection.CreateCommand())
        {
            // A connection finds the file in WAL mode at its first read; until then a checkpoint does nothing (-1).
            read.CommandText = "SELECT COUNT(*) FROM sqlite_master";
            read.ExecuteScalar();
        }

        for (var attempt = 1; ; attempt++)
        {
            var result = raw.sqlite3_wal_checkpoint_v2(connection.Handle, null, raw.SQLITE_CHECKPOINT_PASSIVE, out var frames, out var copied);
            if (result == raw.SQLITE_OK && frames >= 0 && copied == frames)
            {
                return;
            }

            // The queue's checkpointer holds the checkpoint lock for a moment at times, and SQLite does not wait for it.
            Assert.True(attempt < 500, $"checkpoint: result {result}, {copied} of {frames} pages");
            Thread.Sleep(10);
        }
    }
}
