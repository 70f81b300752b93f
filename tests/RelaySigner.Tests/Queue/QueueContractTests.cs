using System.Text;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// What every queue store promises, run against each of them (<see cref="SqliteQueueContractTests"/>,
/// <see cref="PostgreSqlQueueContractTests"/>): a derived class opens queues on a fresh store of its kind and gives
/// operator access to it. Store-specific behaviour (the SQLite writer loop and folder lock, PostgreSQL's nodes and
/// migrations) is tested beside each store.
/// </summary>
public abstract partial class QueueContractTests : IAsyncLifetime
{
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Operators' access to the store the queues of this test share.</summary>
    protected abstract IQueueAdministration Administration { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>Opens a queue on this test's store, on <see cref="Time"/>; closed at the end of the test.</summary>
    protected abstract IMessageQueue Open();

    protected static ValueTask CloseAsync(IMessageQueue queue) => ((IAsyncDisposable)queue).DisposeAsync();

    internal static byte[] Content(string marker)
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

    internal static Envelope Envelope(params string[] recipients) => new("sender@example.org", recipients);

    /// <summary>The message's recipients as the store holds them; empty once it left the queue.</summary>
    private List<(string Address, RecipientStatus Status, string? LastReply)> Recipients(QueueId id) =>
        Administration.List().SingleOrDefault(e => e.Id == id)?.Recipients.Select(r => (r.Address, r.Status, r.LastReply)).ToList() ?? [];

    [Fact]
    public async Task Enqueued_message_is_claimed_with_all_recipients_and_identical_bytes()
    {
        var queue = Open();
        var content = Content("one");
        var receivedAt = Time.GetUtcNow();

        var id = await queue.EnqueueAsync(Envelope("b@example.com", "c@example.net", "a@example.com"), content, CancellationToken.None);
        var claimed = await queue.ClaimDueAsync(10, Lease, CancellationToken.None);

        var message = Assert.Single(claimed);
        Assert.Equal(id, message.Id);
        Assert.Equal("sender@example.org", message.Sender);
        Assert.Equal(["b@example.com", "c@example.net", "a@example.com"], message.PendingRecipients);
        Assert.Equal([0, 1, 2], message.PendingIndexes);
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
        Assert.Equal(Time.GetUtcNow() + Lease, await queue.NextDueAtAsync(CancellationToken.None));

        Time.Advance(Lease - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));

        Time.Advance(TimeSpan.FromMilliseconds(1));
        var again = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(id, again.Id);
        Assert.Equal(0, again.Attempts); // an expired lease is not an attempt
    }

    [Fact]
    public async Task Claim_respects_max_count_and_oldest_first()
    {
        var queue = Open();
        var first = await queue.EnqueueAsync(Envelope("a@example.com"), Content("1"), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await queue.EnqueueAsync(Envelope("a@example.com"), Content("2"), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(1));
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
        var retryAt = Time.GetUtcNow() + TimeSpan.FromMinutes(1);

        await queue.RecordAttemptAsync(lease,
        [
            new RecipientOutcome("done@example.com", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok")),
            new RecipientOutcome("later@example.net", RecipientStatus.Pending, new SmtpReply(451, "4.7.1", "greylisted")),
            new RecipientOutcome("bad@example.org", RecipientStatus.Failed, new SmtpReply(550, "5.1.1", "no such user")),
        ], retryAt, null, CancellationToken.None);

        Assert.Equal(retryAt, await queue.NextDueAtAsync(CancellationToken.None));
        Time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));

        Time.Advance(TimeSpan.FromMilliseconds(1));
        var message = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(id, message.Id);
        Assert.Equal(["later@example.net"], message.PendingRecipients);
        Assert.Equal([1], message.PendingIndexes); // its place in the envelope, which a VERP token names
        Assert.Equal(1, message.Attempts);

        // The replies are kept per recipient, as SmtpReply.ToString().
        var rows = Recipients(id);
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
            Time.GetUtcNow(), null, CancellationToken.None);

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
        ], Time.GetUtcNow(), null, CancellationToken.None);

        Assert.Null(await queue.NextDueAtAsync(CancellationToken.None));
        Time.Advance(TimeSpan.FromDays(10));
        Assert.Empty(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Empty(Recipients(id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            queue.RecordAttemptAsync(lease, [], Time.GetUtcNow(), null, CancellationToken.None));
    }

    [Fact]
    public async Task A_worker_whose_lease_was_taken_over_cannot_record_over_the_new_holder()
    {
        var queue = Open();
        var id = await queue.EnqueueAsync(Envelope("a@example.com", "b@example.com"), Content("late"), CancellationToken.None);
        var stale = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        Time.Advance(Lease);
        var current = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        Assert.NotEqual(stale.Token, current.Token);

        // The first worker comes back late and reports a temporary failure for everyone: refused, nothing changes.
        var lost = await Assert.ThrowsAsync<LeaseLostException>(() => queue.RecordAttemptAsync(stale,
            [new RecipientOutcome("a@example.com", RecipientStatus.Pending, new SmtpReply(421, "4.4.2", "timeout"))],
            Time.GetUtcNow() + TimeSpan.FromHours(1), null, CancellationToken.None));
        Assert.Equal(stale, lost.Lease);

        await queue.RecordAttemptAsync(current, [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, null)],
            Time.GetUtcNow(), null, CancellationToken.None);
        // Recording twice with the same lease is refused too: the lease ended with the first record.
        await Assert.ThrowsAsync<LeaseLostException>(() =>
            queue.RecordAttemptAsync(current, [], Time.GetUtcNow(), null, CancellationToken.None));

        var message = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(id, message.Id);
        Assert.Equal(["b@example.com"], message.PendingRecipients);
        Assert.Equal(1, message.Attempts);
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
            Time.GetUtcNow(), dsn, CancellationToken.None);

        var queued = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(dsnId, queued.Id);
        Assert.NotEqual(id, queued.Id);
        Assert.Equal("", queued.Sender);
        Assert.Equal(["sender@example.org"], queued.PendingRecipients);
        Assert.Equal(dsn.Content, queued.Content);

        // A refused record (here: the message is gone) queues no notification either.
        await Assert.ThrowsAsync<KeyNotFoundException>(() => queue.RecordAttemptAsync(lease, [], Time.GetUtcNow(), dsn, CancellationToken.None));
        Time.Advance(Lease);
        Assert.Equal([dsnId!.Value], (await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Select(m => m.Id));
    }

    [Fact]
    public async Task NextDueAt_is_null_for_an_empty_queue_and_the_earliest_due_time_otherwise()
    {
        var queue = Open();
        Assert.Null(await queue.NextDueAtAsync(CancellationToken.None));

        var start = Time.GetUtcNow();
        var a = await queue.EnqueueAsync(Envelope("a@example.com"), Content("a"), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(2));
        await queue.EnqueueAsync(Envelope("b@example.com"), Content("b"), CancellationToken.None);
        Assert.Equal(start, await queue.NextDueAtAsync(CancellationToken.None));

        // Claim both, then send one back for an hour: the other's lease expiry is the earliest.
        var claimed = await queue.ClaimDueAsync(10, Lease, CancellationToken.None);
        await queue.RecordAttemptAsync(claimed.Single(m => m.Id == a).Lease, [], Time.GetUtcNow() + TimeSpan.FromHours(1), null, CancellationToken.None);
        Assert.Equal(Time.GetUtcNow() + Lease, await queue.NextDueAtAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Data_survives_dispose_and_reopen()
    {
        var first = Open();
        var content = Content("durable");
        var id = await first.EnqueueAsync(Envelope("a@example.com", "b@example.com"), content, CancellationToken.None);
        var lease = Assert.Single(await first.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        await first.RecordAttemptAsync(lease, [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, null)],
            Time.GetUtcNow() + TimeSpan.FromMinutes(5), null, CancellationToken.None);
        await CloseAsync(first);

        var second = Open();
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromMinutes(5), await second.NextDueAtAsync(CancellationToken.None));
        Time.Advance(TimeSpan.FromMinutes(5));
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
    public async Task Cancelled_call_throws_and_disposed_queue_refuses_work()
    {
        var queue = Open();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            queue.EnqueueAsync(Envelope("a@example.com"), Content("c"), cancelled.Token));

        await CloseAsync(queue);
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            queue.EnqueueAsync(Envelope("a@example.com"), Content("c"), CancellationToken.None));
    }

    [Fact]
    public async Task An_outcome_for_a_stranger_changes_nothing_and_one_for_a_final_recipient_is_ignored()
    {
        var queue = Open();
        var id = await queue.EnqueueAsync(Envelope("done@example.com", "later@example.com"), Content("strangers"), CancellationToken.None);
        var lease = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;

        await Assert.ThrowsAsync<ArgumentException>(() => queue.RecordAttemptAsync(lease,
            [new RecipientOutcome("done@example.com", RecipientStatus.Delivered, null),
             new RecipientOutcome("stranger@example.com", RecipientStatus.Delivered, null)],
            Time.GetUtcNow(), null, CancellationToken.None));
        Assert.All(Recipients(id), r => Assert.Equal(RecipientStatus.Pending, r.Status)); // rolled back whole

        await queue.RecordAttemptAsync(lease, [new RecipientOutcome("done@example.com", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok"))],
            Time.GetUtcNow(), null, CancellationToken.None);
        var second = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        await queue.RecordAttemptAsync(second.Lease,
            [new RecipientOutcome("done@example.com", RecipientStatus.Failed, new SmtpReply(550, "5.1.1", "late")),
             new RecipientOutcome("later@example.com", RecipientStatus.Pending, new SmtpReply(451, "4.3.0", "later"))],
            Time.GetUtcNow() + TimeSpan.FromMinutes(1), null, CancellationToken.None);

        Assert.Equal(
        [
            ("done@example.com", RecipientStatus.Delivered, "250 2.0.0 ok"),
            ("later@example.com", RecipientStatus.Pending, "451 4.3.0 later"),
        ], Recipients(id));
    }

    [Fact]
    public async Task Operators_list_read_and_change_the_queue_but_leave_a_message_under_a_lease_alone()
    {
        var queue = Open();
        var content = Content("admin");
        var leasedId = await queue.EnqueueAsync(Envelope("a@example.com"), content, CancellationToken.None);
        var leased = Assert.Single(await queue.ClaimDueAsync(1, Lease, CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(1));
        var waiting = await queue.EnqueueAsync(Envelope("b@example.net", "c@example.net"), Content("waiting"), CancellationToken.None);
        var lease2 = Assert.Single(await queue.ClaimDueAsync(1, Lease, CancellationToken.None)).Lease;
        await queue.RecordAttemptAsync(lease2, [new RecipientOutcome("b@example.net", RecipientStatus.Delivered, null)],
            Time.GetUtcNow() + TimeSpan.FromHours(1), null, CancellationToken.None);
        var now = Time.GetUtcNow();

        var entries = Administration.List();
        Assert.Equal([leasedId, waiting], entries.Select(e => e.Id));
        Assert.Equal(now - TimeSpan.FromSeconds(1) + Lease, entries[0].LeasedUntil);
        Assert.Equal(content.Length, entries[0].Size);
        Assert.Null(entries[1].LeasedUntil);
        Assert.Equal(1, entries[1].Attempts);
        Assert.Equal(now + TimeSpan.FromHours(1), entries[1].NextAttemptAt);
        Assert.Equal(["a@example.com", "c@example.net"], Administration.ListPending().Select(p => p.Address));
        Assert.Equal(content, Administration.ReadContent(leasedId));
        Assert.Null(Administration.ReadContent(new QueueId("0000000000000000000000")));
        Assert.Equal(new QueueSummary(2, now - TimeSpan.FromSeconds(1)), Administration.Summarize());

        Assert.Equal(QueueChange.BeingDelivered, Administration.Retry(leasedId, now));
        Assert.Equal(QueueChange.BeingDelivered, Administration.Delete(leasedId, now));
        Assert.Equal(QueueChange.NotFound, Administration.Delete(new QueueId("0000000000000000000000"), now));
        Assert.Equal((1, 1), Administration.RetryAll(now));
        Assert.Equal(now, await queue.NextDueAtAsync(CancellationToken.None));
        Assert.Equal(QueueChange.Done, Administration.Retry(waiting, now));
        Assert.Equal(QueueChange.Done, Administration.Delete(waiting, now));
        Assert.Null(Administration.ReadContent(waiting));
        Assert.Equal(new QueueSummary(1, now - TimeSpan.FromSeconds(1)), Administration.Summarize());

        // The worker still records its attempt on the message the operator could not touch.
        await queue.RecordAttemptAsync(leased.Lease, [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, null)],
            now, null, CancellationToken.None);
        Assert.Equal(new QueueSummary(0, null), Administration.Summarize());
        Assert.Empty(Administration.List());
    }

    [Fact]
    public async Task The_write_probe_succeeds_and_leaves_nothing_behind()
    {
        var queue = (IQueueProbe)Open();
        await queue.ProbeWritableAsync(CancellationToken.None);
        await queue.ProbeWritableAsync(CancellationToken.None);
        Assert.Equal(new QueueSummary(0, null), Administration.Summarize());
        Assert.Null(await ((IMessageQueue)queue).NextDueAtAsync(CancellationToken.None));
    }

    /// <summary>A probe that did nothing would pass the test above; this one fails unless the probe really writes.</summary>
    [Fact]
    public async Task The_write_probe_fails_while_another_writer_holds_the_store()
    {
        var queue = (IQueueProbe)Open();
        await queue.ProbeWritableAsync(CancellationToken.None);

        await using (await HoldWriteLockAsync())
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await Assert.ThrowsAnyAsync<Exception>(() => queue.ProbeWritableAsync(patience.Token));
        }

        await queue.ProbeWritableAsync(CancellationToken.None);
    }

    /// <summary>Takes the store's write lock from outside the queue (another process, as it were) until disposed.</summary>
    protected abstract Task<IAsyncDisposable> HoldWriteLockAsync();
}
