using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;

namespace RelaySigner.Tests.Queue;

/// <summary>The message history every store keeps: attempts with the message, searchable after it left, pruned after the retention.</summary>
public abstract partial class QueueContractTests
{
    private static readonly RemoteServer Mx = new("mx.example.net", "192.0.2.25", 25, "Tls13");

    [Fact]
    public async Task Every_attempt_is_kept_with_server_tls_and_reply_and_found_by_id_message_id_and_recipient_after_removal()
    {
        var queue = Open();
        var receivedAt = Time.GetUtcNow();
        var id = await queue.EnqueueAsync(Envelope("a@example.com", "B@Example.net") with { MessageId = "invoice-7@billing.example.org" },
            Content("history"), CancellationToken.None);
        var first = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        await queue.RecordAttemptAsync(first,
        [
            new RecipientOutcome("a@example.com", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "queued as X1"), Mx),
            new RecipientOutcome("B@Example.net", RecipientStatus.Pending, new SmtpReply(451, "4.7.1", "greylisted"), Mx with { Tls = null }),
        ], Time.GetUtcNow() + TimeSpan.FromMinutes(5), null, CancellationToken.None);

        // While queued: the attempts are there, and the id is found in lower case as well.
        Assert.Equal(
        [
            new DeliveryAttempt(1, receivedAt, "a@example.com", RecipientStatus.Delivered, "mx.example.net[192.0.2.25]:25", "Tls13", "250 2.0.0 queued as X1"),
            new DeliveryAttempt(1, receivedAt, "B@Example.net", RecipientStatus.Pending, "mx.example.net[192.0.2.25]:25", null, "451 4.7.1 greylisted"),
        ], Administration.ReadAttempts(id));
        var queued = Assert.Single(Administration.FindHistory(HistoryQuery.Parse(id.Value.ToLowerInvariant()), null));
        Assert.Equal("queued", queued.State);

        Time.Advance(TimeSpan.FromMinutes(5));
        var second = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        await queue.RecordAttemptAsync(second,
            [new RecipientOutcome("B@Example.net", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok"), Mx)],
            Time.GetUtcNow(), null, CancellationToken.None);

        Assert.Empty(Administration.List());
        foreach (var query in new[] { id.Value.ToLowerInvariant(), "<invoice-7@billing.example.org>", "invoice-7@billing.example.org", "b@example.NET" })
        {
            var found = Assert.Single(Administration.FindHistory(HistoryQuery.Parse(query), null));
            Assert.Equal(id, found.Id);
            Assert.Equal("done", found.State);
            Assert.Equal("invoice-7@billing.example.org", found.MessageId);
            Assert.Equal("sender@example.org", found.Sender);
            Assert.Equal(receivedAt, found.ReceivedAt);
            Assert.Equal(Time.GetUtcNow(), found.RemovedAt);
            Assert.Equal([1, 1, 2], found.Attempts.Select(a => a.Attempt));
            Assert.Equal("250 2.0.0 ok", found.Attempts[2].Reply);
        }

        Assert.Empty(Administration.FindHistory(HistoryQuery.Parse("nobody@example.com"), null));
        Assert.Empty(Administration.FindHistory(HistoryQuery.Parse(id.Value), Time.GetUtcNow()));
    }

    [Fact]
    public async Task A_reply_is_kept_bounded_and_no_subject_or_body_is_kept()
    {
        var queue = Open();
        var id = await queue.EnqueueAsync(Envelope("a@example.com"), Content("secret-subject"), CancellationToken.None);
        var lease = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        await queue.RecordAttemptAsync(lease,
            [new RecipientOutcome("a@example.com", RecipientStatus.Failed, new SmtpReply(550, "5.7.1", new string('x', 5000)), Mx)],
            Time.GetUtcNow(), null, CancellationToken.None);

        var found = Assert.Single(Administration.FindHistory(HistoryQuery.Parse(id.Value), null));
        Assert.Equal(512, Assert.Single(found.Attempts).Reply!.Length);
        Assert.Null(found.MessageId);
        Assert.DoesNotContain("secret-subject", found.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_delete_leaves_the_message_in_the_history_as_deleted()
    {
        var queue = Open();
        var id = await queue.EnqueueAsync(Envelope("a@example.com"), Content("deleted"), CancellationToken.None);
        var lease = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        await queue.RecordAttemptAsync(lease, [new RecipientOutcome("a@example.com", RecipientStatus.Pending, new SmtpReply(421, "4.4.2", "busy"), Mx)],
            Time.GetUtcNow() + TimeSpan.FromHours(1), null, CancellationToken.None);

        Assert.Equal(QueueChange.Done, Administration.Delete(id, Time.GetUtcNow()));

        var found = Assert.Single(Administration.FindHistory(HistoryQuery.Parse("a@example.com"), null));
        Assert.Equal("deleted", found.State);
        Assert.Equal("421 4.4.2 busy", Assert.Single(found.Attempts).Reply);
    }

    [Fact]
    public async Task History_older_than_the_cutoff_is_pruned_in_batches_with_its_attempts()
    {
        var queue = Open();
        var pruning = (IHistoryPruning)queue;
        var ids = new List<QueueId>();
        for (var i = 0; i < 3; i++)
        {
            var id = await queue.EnqueueAsync(Envelope($"r{i}@example.com"), Content($"p{i}"), CancellationToken.None);
            var lease = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
            await queue.RecordAttemptAsync(lease, [new RecipientOutcome($"r{i}@example.com", RecipientStatus.Delivered, null)],
                Time.GetUtcNow(), null, CancellationToken.None);
            ids.Add(id);
            Time.Advance(TimeSpan.FromDays(1));
        }

        // They left 3, 2 and 1 days ago: a retention of 36 hours keeps only the third.
        var cutoff = Time.GetUtcNow() - TimeSpan.FromHours(36);
        Assert.Equal(1, await pruning.PruneHistoryAsync(cutoff, 1, CancellationToken.None));
        Assert.Equal(1, await pruning.PruneHistoryAsync(cutoff, 1, CancellationToken.None));
        Assert.Equal(0, await pruning.PruneHistoryAsync(cutoff, 1, CancellationToken.None));

        Assert.Empty(Administration.FindHistory(HistoryQuery.Parse(ids[0].Value), null));
        Assert.Empty(Administration.ReadAttempts(ids[1]));
        Assert.Empty(Administration.FindHistory(HistoryQuery.Parse("r1@example.com"), null));
        Assert.Single(Administration.FindHistory(HistoryQuery.Parse("r2@example.com"), null));
    }

    [Fact]
    public async Task Deliveries_are_counted_per_utc_day_and_destination_domain_from_every_attempt_in_the_window()
    {
        var queue = Open();
        var day1 = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
        await queue.EnqueueAsync(Envelope("a@Example.NET", "b@example.net", "c@other.example"), Content("counted"), CancellationToken.None);
        var first = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        await queue.RecordAttemptAsync(first,
        [
            new RecipientOutcome("a@Example.NET", RecipientStatus.Delivered, null),
            new RecipientOutcome("b@example.net", RecipientStatus.Pending, new SmtpReply(451, "4.7.1", "greylisted")),
            new RecipientOutcome("c@other.example", RecipientStatus.Failed, new SmtpReply(550, "5.1.1", "no such user")),
        ], Time.GetUtcNow() + TimeSpan.FromDays(1), null, CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(1));
        var second = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        await queue.RecordAttemptAsync(second, [new RecipientOutcome("b@example.net", RecipientStatus.Delivered, null)],
            Time.GetUtcNow(), null, CancellationToken.None);

        var counts = Administration.CountDeliveries(Time.GetUtcNow() - TimeSpan.FromDays(2), Time.GetUtcNow() + TimeSpan.FromSeconds(1));

        Assert.Equal(
        [
            new DeliveryCount(day1, "example.net", 1, 1, 0),
            new DeliveryCount(day1, "other.example", 0, 0, 1),
            new DeliveryCount(day1.AddDays(1), "example.net", 1, 0, 0),
        ], counts);
        Assert.Equal([new DeliveryCount(day1.AddDays(1), "example.net", 1, 0, 0)],
            Administration.CountDeliveries(Time.GetUtcNow(), Time.GetUtcNow() + TimeSpan.FromSeconds(1)));
    }
}
