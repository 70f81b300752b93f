using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;

namespace RelaySigner.Tests.Queue;

public sealed class SqliteMessageQueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly QueueFolder _queues = new("queue");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _queues.DisposeAsync().AsTask();

    private SqliteMessageQueue Open() => _queues.Open();

    private static byte[] Content(string marker)
    {
        // Every byte value, CRLFs, a bare-looking dot line: the store must not touch any of it.
        var text = Encoding.ASCII.GetBytes($"From: a@example.org\r\nSubject: {marker}\r\n\r\nbody\r\n.\r\n..\r\n");
        var bytes = new byte[text.Length + 256];
        text.CopyTo(bytes, 0);
        for (var i = 0; i < 256; i++)
        {
            bytes[text.Length + i] = (byte)i;
        }

        return bytes;
    }

    private static Envelope Envelope(params string[] recipients) => new("sender@example.org", recipients);

    [Fact]
    public async Task Enqueued_message_is_claimed_with_all_recipients_and_identical_bytes()
    {
        var queue = Open();
        var content = Content("one");
        var receivedAt = _queues.Time.GetUtcNow();

        var id = await queue.EnqueueAsync(Envelope("b@example.com", "c@example.net", "a@example.com"), content, CancellationToken.None);
        var claimed = await queue.ClaimDueAsync(10, Lease, CancellationToken.None);

        var message = Assert.Single(claimed);
        Assert.Equal(id, message.Id);
        Assert.Equal("sender@example.org", message.Sender);
        Assert.Equal(["b@example.com", "c@example.net", "a@example.com"], message.PendingRecipients);
        Assert.Equal(content, message.Content);
        Assert.Equal(receivedAt, message.ReceivedAt);
        Assert.Equal(0, message.Attempts);
    }

    [Fact]
    public async Task Null_reverse_path_and_sliced_content_are_stored_as_given()
    {
        var queue = Open();
        var buffer = Content("slice");
        var slice = buffer.AsMemory(3, buffer.Length - 10);

        await queue.EnqueueAsync(new Envelope("", ["x@example.com"]), slice, CancellationToken.None);
        buffer.AsSpan().Clear(); // the caller's buffer is reused after the call returns

        var message = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal("", message.Sender);
        Assert.Equal(Content("slice").AsSpan(3, buffer.Length - 10).ToArray(), message.Content);
    }

    [Fact]
    public async Task Claimed_message_is_not_claimed_again_until_the_lease_expires()
    {
        var queue = Open();
        var id = await queue.EnqueueAsync(Envelope("a@example.com"), Content("lease"), CancellationToken.None);

        Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Empty(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(_queues.Time.GetUtcNow() + Lease, await queue.NextDueAtAsync(CancellationToken.None));

        _queues.Time.Advance(Lease - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));

        _queues.Time.Advance(TimeSpan.FromMilliseconds(1));
        var again = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(id, again.Id);
        Assert.Equal(0, again.Attempts); // an expired lease is not an attempt
    }

    [Fact]
    public async Task Claim_respects_max_count_and_oldest_first()
    {
        var queue = Open();
        var first = await queue.EnqueueAsync(Envelope("a@example.com"), Content("1"), CancellationToken.None);
        _queues.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await queue.EnqueueAsync(Envelope("a@example.com"), Content("2"), CancellationToken.None);
        _queues.Time.Advance(TimeSpan.FromSeconds(1));
        var third = await queue.EnqueueAsync(Envelope("a@example.com"), Content("3"), CancellationToken.None);

        var batch1 = await queue.ClaimDueAsync(2, Lease, CancellationToken.None);
        var batch2 = await queue.ClaimDueAsync(2, Lease, CancellationToken.None);

        Assert.Equal([first, second], batch1.Select(m => m.Id));
        Assert.Equal([third], batch2.Select(m => m.Id));
        Assert.Empty(await queue.ClaimDueAsync(2, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Partial_outcome_leaves_only_pending_recipients_for_the_next_attempt()
    {
        var queue = Open();
        var id = await queue.EnqueueAsync(Envelope("done@example.com", "later@example.net", "bad@example.org"), Content("partial"), CancellationToken.None);
        var lease = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        var retryAt = _queues.Time.GetUtcNow() + TimeSpan.FromMinutes(1);

        await queue.RecordAttemptAsync(lease,
        [
            new RecipientOutcome("done@example.com", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok")),
            new RecipientOutcome("later@example.net", RecipientStatus.Pending, new SmtpReply(451, "4.7.1", "greylisted")),
            new RecipientOutcome("bad@example.org", RecipientStatus.Failed, new SmtpReply(550, "5.1.1", "no such user")),
        ], retryAt, null, CancellationToken.None);

        Assert.Equal(retryAt, await queue.NextDueAtAsync(CancellationToken.None));
        _queues.Time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));

        _queues.Time.Advance(TimeSpan.FromMilliseconds(1));
        var message = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(id, message.Id);
        Assert.Equal(["later@example.net"], message.PendingRecipients);
        Assert.Equal(1, message.Attempts);

        // The replies are kept per recipient, as SmtpReply.ToString().
        var rows = ReadRecipients(id);
        Assert.Equal(
        [
            ("done@example.com", RecipientStatus.Delivered, "250 2.0.0 ok"),
            ("later@example.net", RecipientStatus.Pending, "451 4.7.1 greylisted"),
            ("bad@example.org", RecipientStatus.Failed, "550 5.1.1 no such user"),
        ], rows);
    }

    [Fact]
    public async Task Recipients_left_out_of_the_outcomes_stay_pending()
    {
        var queue = Open();
        var id = await queue.EnqueueAsync(Envelope("a@example.com", "b@example.com"), Content("omit"), CancellationToken.None);
        var lease = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;

        await queue.RecordAttemptAsync(lease, [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, null)],
            _queues.Time.GetUtcNow(), null, CancellationToken.None);

        var message = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(["b@example.com"], message.PendingRecipients);
    }

    [Fact]
    public async Task Message_is_removed_when_every_recipient_is_final()
    {
        var queue = Open();
        var id = await queue.EnqueueAsync(Envelope("a@example.com", "b@example.com"), Content("final"), CancellationToken.None);
        var lease = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;

        await queue.RecordAttemptAsync(lease,
        [
            new RecipientOutcome("a@example.com", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok")),
            new RecipientOutcome("b@example.com", RecipientStatus.Failed, new SmtpReply(550, "5.1.1", "unknown")),
        ], _queues.Time.GetUtcNow(), null, CancellationToken.None);

        Assert.Null(await queue.NextDueAtAsync(CancellationToken.None));
        _queues.Time.Advance(TimeSpan.FromDays(10));
        Assert.Empty(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Empty(ReadRecipients(id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            queue.RecordAttemptAsync(lease, [], _queues.Time.GetUtcNow(), null, CancellationToken.None));
    }

    [Fact]
    public async Task A_worker_whose_lease_was_taken_over_cannot_record_over_the_new_holder()
    {
        var queue = Open();
        var id = await queue.EnqueueAsync(Envelope("a@example.com", "b@example.com"), Content("late"), CancellationToken.None);
        var stale = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        _queues.Time.Advance(Lease);
        var current = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        Assert.NotEqual(stale.Token, current.Token);

        // The first worker comes back late and reports a temporary failure for everyone: refused, nothing changes.
        var lost = await Assert.ThrowsAsync<LeaseLostException>(() => queue.RecordAttemptAsync(stale,
            [new RecipientOutcome("a@example.com", RecipientStatus.Pending, new SmtpReply(421, "4.4.2", "timeout"))],
            _queues.Time.GetUtcNow() + TimeSpan.FromHours(1), null, CancellationToken.None));
        Assert.Equal(stale, lost.Lease);

        await queue.RecordAttemptAsync(current, [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, null)],
            _queues.Time.GetUtcNow(), null, CancellationToken.None);
        // Recording twice with the same lease is refused too: the lease ended with the first record.
        await Assert.ThrowsAsync<LeaseLostException>(() =>
            queue.RecordAttemptAsync(current, [], _queues.Time.GetUtcNow(), null, CancellationToken.None));

        var message = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(id, message.Id);
        Assert.Equal(["b@example.com"], message.PendingRecipients);
        Assert.Equal(1, message.Attempts);
    }

    [Fact]
    public async Task Leases_left_by_a_previous_run_are_released_when_the_queue_opens()
    {
        var first = Open();
        var id = await first.EnqueueAsync(Envelope("a@example.com"), Content("crash"), CancellationToken.None);
        var abandoned = Assert.Single(await first.ClaimDueAsync(10, TimeSpan.FromMinutes(15), CancellationToken.None)).Lease;
        await first.DisposeAsync(); // as after kill -9: the row still carries the lease

        var second = Open();
        Assert.Equal(_queues.Time.GetUtcNow(), await second.NextDueAtAsync(CancellationToken.None));
        var again = Assert.Single(await second.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(id, again.Id);
        await Assert.ThrowsAsync<LeaseLostException>(() =>
            second.RecordAttemptAsync(abandoned, [], _queues.Time.GetUtcNow(), null, CancellationToken.None));
    }

    [Fact]
    public void A_second_queue_on_the_same_folder_is_refused_while_the_first_is_open()
    {
        Open();
        var refused = Assert.Throws<InvalidOperationException>(Open);
        Assert.Contains("in use by another relay", refused.Message);
    }

    [Fact]
    public async Task A_notification_is_queued_in_the_same_transaction_as_the_attempt()
    {
        var queue = Open();
        var id = await queue.EnqueueAsync(Envelope("bad@example.com"), Content("bounce"), CancellationToken.None);
        var lease = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        var dsn = new GeneratedMessage(new Envelope("", ["sender@example.org"]), Content("dsn"));

        var dsnId = await queue.RecordAttemptAsync(lease,
            [new RecipientOutcome("bad@example.com", RecipientStatus.Failed, new SmtpReply(550, "5.1.1", "unknown"))],
            _queues.Time.GetUtcNow(), dsn, CancellationToken.None);

        var queued = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(dsnId, queued.Id);
        Assert.NotEqual(id, queued.Id);
        Assert.Equal("", queued.Sender);
        Assert.Equal(["sender@example.org"], queued.PendingRecipients);
        Assert.Equal(dsn.Content, queued.Content);

        // A refused record (here: the message is gone) queues no notification either.
        await Assert.ThrowsAsync<KeyNotFoundException>(() => queue.RecordAttemptAsync(lease, [], _queues.Time.GetUtcNow(), dsn, CancellationToken.None));
        _queues.Time.Advance(Lease);
        Assert.Equal([dsnId!.Value], (await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Select(m => m.Id));
    }

    [Fact]
    public async Task NextDueAt_is_null_for_an_empty_queue_and_the_earliest_due_time_otherwise()
    {
        var queue = Open();
        Assert.Null(await queue.NextDueAtAsync(CancellationToken.None));

        var start = _queues.Time.GetUtcNow();
        var a = await queue.EnqueueAsync(Envelope("a@example.com"), Content("a"), CancellationToken.None);
        _queues.Time.Advance(TimeSpan.FromSeconds(2));
        await queue.EnqueueAsync(Envelope("b@example.com"), Content("b"), CancellationToken.None);
        Assert.Equal(start, await queue.NextDueAtAsync(CancellationToken.None));

        // Claim both, then send one back for an hour: the other's lease expiry is the earliest.
        var claimed = await queue.ClaimDueAsync(10, Lease, CancellationToken.None);
        await queue.RecordAttemptAsync(claimed.Single(m => m.Id == a).Lease, [], _queues.Time.GetUtcNow() + TimeSpan.FromHours(1), null, CancellationToken.None);
        Assert.Equal(_queues.Time.GetUtcNow() + Lease, await queue.NextDueAtAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Data_survives_dispose_and_reopen()
    {
        var first = Open();
        var content = Content("durable");
        var id = await first.EnqueueAsync(Envelope("a@example.com", "b@example.com"), content, CancellationToken.None);
        var lease = Assert.Single(await first.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        await first.RecordAttemptAsync(lease, [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, null)],
            _queues.Time.GetUtcNow() + TimeSpan.FromMinutes(5), null, CancellationToken.None);
        await first.DisposeAsync();
        Assert.False(File.Exists(Path.Combine(_queues.Path, "queue.db-wal")), "the WAL is checkpointed and removed on close");

        var second = Open();
        Assert.Equal(_queues.Time.GetUtcNow() + TimeSpan.FromMinutes(5), await second.NextDueAtAsync(CancellationToken.None));
        _queues.Time.Advance(TimeSpan.FromMinutes(5));
        var message = Assert.Single(await second.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(id, message.Id);
        Assert.Equal(["b@example.com"], message.PendingRecipients);
        Assert.Equal(content, message.Content);
        Assert.Equal(1, message.Attempts);
    }

    [Fact]
    public async Task Concurrent_enqueues_all_commit_with_distinct_ids()
    {
        var queue = Open();
        const int count = 200;

        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() =>
            queue.EnqueueAsync(Envelope($"r{i}@example.com"), Content($"m{i}"), CancellationToken.None))));

        Assert.Equal(count, ids.Distinct().Count());
        var claimed = await queue.ClaimDueAsync(1000, Lease, CancellationToken.None);
        Assert.Equal(ids.OrderBy(id => id.Value), claimed.Select(m => m.Id).OrderBy(id => id.Value));
        foreach (var message in claimed)
        {
            var n = Assert.Single(message.PendingRecipients)[1..^12]; // r{n}@example.com
            Assert.Equal(Content($"m{n}"), message.Content);
        }
    }

    [Fact]
    public async Task A_failing_operation_in_a_batch_faults_only_itself()
    {
        var gated = new GatedTime(_queues.Time);
        var queue = _queues.Open(gated);
        await queue.EnqueueAsync(Envelope("warmup@example.com"), Content("warmup"), CancellationToken.None);
        var knownLease = Assert.Single(await queue.ClaimDueAsync(1, Lease, CancellationToken.None)).Lease;
        var known = knownLease.Id;

        // Stop the writer loop inside a claim (it reads the clock there), queue four operations while it is
        // stuck, then let it go: the four are drained into the next batch, one transaction.
        var stuck = gated.BlockNextRead(() => queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        var before = queue.EnqueueAsync(Envelope("before@example.com"), Content("before"), CancellationToken.None);
        var unknown = queue.RecordAttemptAsync(new QueueLease(new QueueId("0000000000000000000000"), 1), [], _queues.Time.GetUtcNow(), null, CancellationToken.None);
        var badRecipient = queue.RecordAttemptAsync(knownLease,
            [new RecipientOutcome("warmup@example.com", RecipientStatus.Delivered, null),
             new RecipientOutcome("stranger@example.com", RecipientStatus.Delivered, null)],
            _queues.Time.GetUtcNow(), null, CancellationToken.None);
        var after = queue.EnqueueAsync(Envelope("after@example.com"), Content("after"), CancellationToken.None);
        Assert.False(before.IsCompleted);
        gated.Release();
        Assert.Empty(await stuck);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => unknown);
        await Assert.ThrowsAsync<ArgumentException>(() => badRecipient);
        var ids = new[] { await before, await after };

        // The bad RecordAttempt was rolled back whole (its first outcome too): warmup is pending, leased, 0 attempts.
        Assert.Equal([("warmup@example.com", RecipientStatus.Pending, (string?)null)], ReadRecipients(known));
        var claimed = await queue.ClaimDueAsync(10, TimeSpan.FromHours(1), CancellationToken.None);
        Assert.Equal(ids.OrderBy(id => id.Value), claimed.Select(m => m.Id).OrderBy(id => id.Value));
        _queues.Time.Advance(Lease);
        var warm = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(known, warm.Id);
        Assert.Equal(0, warm.Attempts);
    }

    /// <summary>A clock whose next read, once armed, parks the reading thread (the writer loop) until released.</summary>
    private sealed class GatedTime(TimeProvider inner) : TimeProvider
    {
        private readonly ManualResetEventSlim _entered = new();
        private readonly ManualResetEventSlim _gate = new();
        private int _armed;

        public override DateTimeOffset GetUtcNow()
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _entered.Set();
                _gate.Wait(TimeSpan.FromSeconds(30));
            }

            return inner.GetUtcNow();
        }

        /// <summary>Starts <paramref name="operation"/> and returns once it is parked on the clock.</summary>
        public Task<T> BlockNextRead<T>(Func<Task<T>> operation)
        {
            Volatile.Write(ref _armed, 1);
            var task = operation();
            Assert.True(_entered.Wait(TimeSpan.FromSeconds(30)), "the writer loop never read the clock");
            return task;
        }

        public void Release() => _gate.Set();
    }

    [Fact]
    public async Task Cancelled_call_throws_and_disposed_queue_refuses_work()
    {
        var queue = Open();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            queue.EnqueueAsync(Envelope("a@example.com"), Content("c"), cancelled.Token));

        await queue.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            queue.EnqueueAsync(Envelope("a@example.com"), Content("c"), CancellationToken.None));
    }

    [Fact]
    public async Task Schema_version_is_recorded()
    {
        await Open().DisposeAsync();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_queues.Path, "queue.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        Assert.Equal<object?>((long)SqliteMessageQueue.SchemaVersion, command.ExecuteScalar());
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal<object?>("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task AddRelayQueue_binds_the_path_and_registers_one_queue()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Relay:Queue:Path"] = _queues.Path })
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_queues.Time).AddRelayQueue(configuration);

        await using (var provider = services.BuildServiceProvider())
        {
            var queue = provider.GetRequiredService<IMessageQueue>();
            Assert.IsType<SqliteMessageQueue>(queue);
            Assert.Same(queue, provider.GetRequiredService<IMessageQueue>());
            Assert.Same(_queues.Time, provider.GetRequiredService<TimeProvider>());
            Assert.Equal(Path.Combine(_queues.Path, "queue.db"), ((SqliteMessageQueue)queue).DatabasePath);
            await queue.EnqueueAsync(Envelope("a@example.com"), Content("di"), CancellationToken.None);
        }

        Assert.True(File.Exists(Path.Combine(_queues.Path, "queue.db")));
    }

    private List<(string Address, RecipientStatus Status, string? LastReply)> ReadRecipients(QueueId id)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_queues.Path, "queue.db")};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT address, status, last_reply FROM recipients WHERE message_id = $id ORDER BY ordinal";
        command.Parameters.AddWithValue("$id", id.Value);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, RecipientStatus, string?)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), (RecipientStatus)reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }
}
