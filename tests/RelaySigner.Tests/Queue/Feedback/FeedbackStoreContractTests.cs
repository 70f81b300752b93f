using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Queue;

namespace RelaySigner.Tests.Queue.Feedback;

/// <summary>
/// What every store of the way back promises (suppression list, events outbox, feedback counts, and what a recorded
/// attempt adds to them), run against each store: <see cref="SqliteFeedbackStoreContractTests"/>,
/// <see cref="PostgreSqlFeedbackStoreContractTests"/>.
/// </summary>
public abstract class FeedbackStoreContractTests : IAsyncLifetime
{
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 30, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Start);

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>A node's queue and stores on this test's database, with events on or off.</summary>
    protected abstract FeedbackStores Open(bool events = true);

    /// <summary>A second node on the same database (the embedded store has one node: the same stores).</summary>
    protected abstract FeedbackStores OpenAnother();

    private static RelayEvent Event(string recipient, RelayEventType type = RelayEventType.Suppressed) =>
        new(type, Start, recipient, new QueueId("0001"), "m1@example.com", "news.example.com", "hard-bounce", "5.1.1");

    private static Suppression Entry(string domain, string recipient, SuppressionReason reason = SuppressionReason.HardBounce) =>
        new(domain, recipient, reason, Start, "5.1.1", new QueueId("0001"));

    private static async Task<List<Suppression>> ListAsync(ISuppressionList list, string? domain = null)
    {
        var entries = new List<Suppression>();
        await foreach (var entry in list.ListAsync(domain, CancellationToken.None))
        {
            entries.Add(entry);
        }

        return entries;
    }

    [Fact]
    public async Task Recorded_entries_are_found_with_their_reason_time_and_events()
    {
        var stores = Open();
        await stores.List.RecordAsync([Entry("example.com", "gone@example.net")], [Event("gone@example.net")], CancellationToken.None);

        var found = await stores.List.FindAsync("example.com", ["gone@example.net", "here@example.net"], CancellationToken.None);
        var entry = Assert.Single(found);
        Assert.Equal("gone@example.net", entry.Key);
        Assert.Equal(Entry("example.com", "gone@example.net"), entry.Value);
        var claimed = Assert.Single(await stores.Outbox.ClaimAsync(10, Lease, CancellationToken.None));
        Assert.Equal(Event("gone@example.net"), claimed.Event);
        Assert.Equal(0, claimed.Attempts);
    }

    [Fact]
    public async Task Record_is_atomic_with_its_events()
    {
        var stores = Open();
        // An event the outbox cannot store (no recipient) fails the whole record: the entry is not kept either.
        await Assert.ThrowsAnyAsync<Exception>(() => stores.List.RecordAsync(
            [Entry("example.com", "gone@example.net")], [Event("gone@example.net"), Event(null!)], CancellationToken.None));

        Assert.Empty(await stores.List.FindAsync("example.com", ["gone@example.net"], CancellationToken.None));
        Assert.Equal(0, await stores.Outbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_recipient_listed_again_keeps_its_first_entry()
    {
        var stores = Open();
        await stores.List.RecordAsync([Entry("example.com", "gone@example.net")], [], CancellationToken.None);
        await stores.List.RecordAsync([Entry("example.com", "gone@example.net", SuppressionReason.Complaint) with { Since = Start.AddDays(1) }],
            [], CancellationToken.None);

        var entry = Assert.Single(await ListAsync(stores.List));
        Assert.Equal(SuppressionReason.HardBounce, entry.Reason);
        Assert.Equal(Start, entry.Since);
    }

    [Fact]
    public async Task Entries_apply_to_their_domain_only()
    {
        var stores = Open();
        await stores.List.RecordAsync([Entry("example.com", "gone@example.net")], [], CancellationToken.None);

        Assert.Empty(await stores.List.FindAsync("example.org", ["gone@example.net"], CancellationToken.None));
        Assert.Single(await stores.List.FindAsync("example.com", ["gone@example.net"], CancellationToken.None));
    }

    [Fact]
    public async Task Domains_compare_ignoring_case_and_local_parts_exactly()
    {
        var stores = Open();
        await stores.List.RecordAsync([Entry("Example.COM.", "Jane.Doe@Example.NET")], [], CancellationToken.None);

        var found = await stores.List.FindAsync("EXAMPLE.com", ["Jane.Doe@example.net", "jane.doe@example.net", "Jane.Doe@EXAMPLE.net"],
            CancellationToken.None);
        Assert.Equal(["Jane.Doe@EXAMPLE.net", "Jane.Doe@example.net"], found.Keys.Order(StringComparer.Ordinal));
        var entry = Assert.Single(await ListAsync(stores.List));
        Assert.Equal(("example.com", "Jane.Doe@example.net"), (entry.Domain, entry.Recipient));
    }

    [Fact]
    public async Task List_is_ordered_by_domain_then_recipient_and_filtered_by_domain()
    {
        var stores = Open();
        await stores.List.RecordAsync(
        [
            Entry("example.org", "b@example.net"),
            Entry("example.com", "c@example.net"),
            Entry("example.org", "a@example.net"),
        ], [], CancellationToken.None);

        Assert.Equal(["example.com c@example.net", "example.org a@example.net", "example.org b@example.net"],
            (await ListAsync(stores.List)).Select(e => $"{e.Domain} {e.Recipient}"));
        Assert.Equal(["a@example.net", "b@example.net"], (await ListAsync(stores.List, "Example.org")).Select(e => e.Recipient));
    }

    [Fact]
    public async Task Remove_takes_an_entry_off_once()
    {
        var stores = Open();
        await stores.List.RecordAsync([Entry("example.com", "gone@example.net")], [], CancellationToken.None);

        Assert.True(await stores.List.RemoveAsync("EXAMPLE.com", "gone@EXAMPLE.net", CancellationToken.None));
        Assert.False(await stores.List.RemoveAsync("example.com", "gone@example.net", CancellationToken.None));
        Assert.Empty(await stores.List.FindAsync("example.com", ["gone@example.net"], CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_webhook_no_event_is_written()
    {
        var stores = Open(events: false);
        await stores.List.RecordAsync([Entry("example.com", "gone@example.net")], [Event("gone@example.net")], CancellationToken.None);

        Assert.Single(await stores.List.FindAsync("example.com", ["gone@example.net"], CancellationToken.None));
        Assert.Equal(0, await stores.Outbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Claims_lease_events_oldest_first_until_completed_or_the_lease_ends()
    {
        var stores = Open();
        await stores.List.RecordAsync([], [Event("a@example.net"), Event("b@example.net"), Event("c@example.net")], CancellationToken.None);

        var first = await stores.Outbox.ClaimAsync(2, Lease, CancellationToken.None);
        Assert.Equal(["a@example.net", "b@example.net"], first.Select(e => e.Event.Recipient));
        Assert.True(first[0].Id < first[1].Id);
        var second = Assert.Single(await stores.Outbox.ClaimAsync(10, Lease, CancellationToken.None));
        Assert.Equal("c@example.net", second.Event.Recipient);
        Assert.Empty(await stores.Outbox.ClaimAsync(10, Lease, CancellationToken.None));

        await stores.Outbox.CompleteAsync([first[0].Id, second.Id], CancellationToken.None);
        Assert.Equal(1, await stores.Outbox.CountAsync(CancellationToken.None));
        Time.Advance(Lease);
        var again = Assert.Single(await stores.Outbox.ClaimAsync(10, Lease, CancellationToken.None));
        Assert.Equal(first[1].Id, again.Id);
    }

    [Fact]
    public async Task A_retried_event_is_due_again_at_its_time_with_one_more_attempt()
    {
        var stores = Open();
        await stores.List.RecordAsync([], [Event("a@example.net")], CancellationToken.None);
        var claimed = Assert.Single(await stores.Outbox.ClaimAsync(10, Lease, CancellationToken.None));

        await stores.Outbox.RetryAsync(claimed.Id, Time.GetUtcNow().AddMinutes(1), CancellationToken.None);
        Assert.Empty(await stores.Outbox.ClaimAsync(10, Lease, CancellationToken.None));
        Time.Advance(TimeSpan.FromMinutes(1));
        var again = Assert.Single(await stores.Outbox.ClaimAsync(10, Lease, CancellationToken.None));
        Assert.Equal((claimed.Id, 1), (again.Id, again.Attempts));
        Assert.Equal(1, await stores.Outbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Two_claimers_never_get_the_same_event()
    {
        var one = Open();
        var other = OpenAnother();
        await one.List.RecordAsync([], [.. Enumerable.Range(0, 200).Select(i => Event($"r{i}@example.net"))], CancellationToken.None);

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => (i % 2 == 0 ? one : other).Outbox.ClaimAsync(15, Lease, CancellationToken.None))));

        var ids = claims.SelectMany(c => c).Select(e => e.Id).ToList();
        Assert.Equal(200, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Committed_events_wake_the_nodes_webhook_sender_at_once()
    {
        var stores = Open();
        await stores.List.RecordAsync([], [new RelayEvent(RelayEventType.Complained, Time.GetUtcNow(), "a@example.net", FromDomain: "example.com")],
            CancellationToken.None);
        Assert.True(Signalled(stores.Wakeup));

        await stores.Queue.EnqueueAsync(FromNews("ok@example.net"), Content(), CancellationToken.None);
        var lease = Assert.Single(await stores.Queue.ClaimDueAsync(1, Lease, CancellationToken.None)).Lease;
        await stores.Queue.RecordAttemptAsync(lease, [new RecipientOutcome("ok@example.net", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok"))],
            Time.GetUtcNow(), null, CancellationToken.None);
        Assert.True(Signalled(stores.Wakeup));

        // Set: the sender's next wait returns at once, without waiting out its poll interval on the clock. (A wait left
        // pending here would take the next signal itself, so only ever ask when one is expected.)
        static bool Signalled(EventsWakeup wakeup) => wakeup.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None) is { IsCompletedSuccessfully: true, Result: true };
    }

    [Fact]
    public async Task An_attempt_writes_delivered_deferred_and_bounced_events_with_kind_and_status()
    {
        var stores = Open();
        var id = await stores.Queue.EnqueueAsync(FromNews("ok@example.net", "later@example.net", "gone@example.net", "blocked@example.net"),
            Content(), CancellationToken.None);
        var lease = Assert.Single(await stores.Queue.ClaimDueAsync(1, Lease, CancellationToken.None)).Lease;

        await stores.Queue.RecordAttemptAsync(lease,
        [
            new RecipientOutcome("ok@example.net", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok")),
            new RecipientOutcome("later@example.net", RecipientStatus.Pending, new SmtpReply(451, "4.7.1", "greylisted")),
            new RecipientOutcome("gone@example.net", RecipientStatus.Failed, new SmtpReply(550, "5.1.1", "no such user")),
            new RecipientOutcome("blocked@example.net", RecipientStatus.Failed, new SmtpReply(550, "5.7.1", "spam")),
        ], Time.GetUtcNow().AddMinutes(5), null, CancellationToken.None);

        var events = (await stores.Outbox.ClaimAsync(10, Lease, CancellationToken.None)).Select(e => e.Event).ToList();
        var at = Time.GetUtcNow();
        Assert.Equal(
        [
            new RelayEvent(RelayEventType.Delivered, at, "ok@example.net", id, "m1@example.com", "news.example.com", null, "2.0.0"),
            new RelayEvent(RelayEventType.Deferred, at, "later@example.net", id, "m1@example.com", "news.example.com", null, "4.7.1"),
            new RelayEvent(RelayEventType.Bounced, at, "gone@example.net", id, "m1@example.com", "news.example.com", "hard", "5.1.1"),
            new RelayEvent(RelayEventType.Suppressed, at, "gone@example.net", id, "m1@example.com", "news.example.com", "hard-bounce", "5.1.1"),
            new RelayEvent(RelayEventType.Bounced, at, "blocked@example.net", id, "m1@example.com", "news.example.com", "block", "5.7.1"),
        ], events);
    }

    [Fact]
    public async Task A_hard_bounce_during_delivery_suppresses_the_recipient_for_the_organisational_domain_but_a_block_does_not()
    {
        var stores = Open(events: false);
        var id = await stores.Queue.EnqueueAsync(FromNews("Gone@Example.NET", "blocked@example.net"), Content(), CancellationToken.None);
        var lease = Assert.Single(await stores.Queue.ClaimDueAsync(1, Lease, CancellationToken.None)).Lease;

        await stores.Queue.RecordAttemptAsync(lease,
        [
            new RecipientOutcome("Gone@Example.NET", RecipientStatus.Failed, new SmtpReply(550, "5.1.1", "no such user")),
            new RecipientOutcome("blocked@example.net", RecipientStatus.Failed, new SmtpReply(554, "5.7.1", "rejected: listed at a blocklist")),
        ], Time.GetUtcNow(), null, CancellationToken.None);

        var entry = Assert.Single(await ListAsync(stores.List));
        Assert.Equal(new Suppression("example.com", "Gone@example.net", SuppressionReason.HardBounce, Time.GetUtcNow(), "5.1.1", id), entry);
        Assert.Equal(0, await stores.Outbox.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Feedback_counts_add_up_per_organisational_domain_since_a_time()
    {
        var stores = Open(events: false);
        await DeliverAsync(stores, delivered: 3, hardBounced: 1);
        Time.Advance(TimeSpan.FromHours(2));
        await DeliverAsync(stores, delivered: 2, hardBounced: 0);
        await stores.List.RecordAsync(
        [
            Entry("example.com", "angry@example.net", SuppressionReason.Complaint) with { Since = Time.GetUtcNow() },
            Entry("example.com", "bye@example.net", SuppressionReason.Unsubscribe) with { Since = Time.GetUtcNow() },
        ], [], CancellationToken.None);

        Assert.Equal(new FeedbackRates(5, 1, 1), await stores.Rates.GetAsync("Example.com", Start, CancellationToken.None));
        Assert.Equal(new FeedbackRates(2, 0, 1), await stores.Rates.GetAsync("example.com", Time.GetUtcNow().AddMinutes(-30), CancellationToken.None));
        Assert.Equal(new FeedbackRates(0, 0, 0), await stores.Rates.GetAsync("example.org", Start, CancellationToken.None));
    }

    private async Task DeliverAsync(FeedbackStores stores, int delivered, int hardBounced)
    {
        var recipients = Enumerable.Range(0, delivered + hardBounced).Select(i => $"r{i}-{Guid.NewGuid():N}@example.net").ToArray();
        await stores.Queue.EnqueueAsync(FromNews(recipients), Content(), CancellationToken.None);
        var lease = Assert.Single(await stores.Queue.ClaimDueAsync(1, Lease, CancellationToken.None)).Lease;
        await stores.Queue.RecordAttemptAsync(lease,
        [
            .. recipients.Take(delivered).Select(r => new RecipientOutcome(r, RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok"))),
            .. recipients.Skip(delivered).Select(r => new RecipientOutcome(r, RecipientStatus.Failed, new SmtpReply(550, "5.1.1", "unknown"))),
        ], Time.GetUtcNow(), null, CancellationToken.None);
    }

    private static Envelope FromNews(params string[] recipients) =>
        new("app@news.example.com", recipients, "m1@example.com", FromDomain: "news.example.com", FromOrganizationalDomain: "example.com");

    private static byte[] Content() => QueueContractTests.Content("feedback");
}
