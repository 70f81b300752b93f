using RelaySigner.Core;
using RelaySigner.Core.Dsn;
using RelaySigner.Core.Queue;

namespace RelaySigner.Tests.Queue;

/// <summary>The DSN parameters (RFC 3461) every store keeps with a message, and its delay-warning mark.</summary>
public abstract partial class QueueContractTests
{
    [Fact]
    public async Task Dsn_parameters_round_trip_with_the_message_and_its_pending_recipients()
    {
        var queue = Open();
        var dsn = new DsnRequest(DsnReturn.Headers, "job 7+x=y", new Dictionary<string, RecipientDsn>
        {
            ["a@example.com"] = new(DsnNotify.Success | DsnNotify.Failure, "rfc822;alias@example.com"),
            ["c@example.com"] = new(DsnNotify.Never, null),
        });
        await queue.EnqueueAsync(Envelope("a@example.com", "b@example.com", "c@example.com") with { Dsn = dsn }, Content("dsn"), CancellationToken.None);

        var claimed = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.NotNull(claimed.Dsn);
        Assert.Equal(DsnReturn.Headers, claimed.Dsn.Return);
        Assert.Equal("job 7+x=y", claimed.Dsn.EnvelopeId);
        Assert.Equal(new RecipientDsn(DsnNotify.Success | DsnNotify.Failure, "rfc822;alias@example.com"), claimed.Dsn.For("a@example.com"));
        Assert.Null(claimed.Dsn.For("b@example.com"));
        Assert.Equal(new RecipientDsn(DsnNotify.Never, null), claimed.Dsn.For("c@example.com"));
        Assert.False(claimed.DelayWarned);

        // Only the pending recipients' parameters come back with the next claim.
        await queue.RecordAttemptAsync(claimed.Lease,
            [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok"))],
            Time.GetUtcNow(), null, CancellationToken.None);
        var again = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(["c@example.com"], again.Dsn!.Recipients.Keys);
    }

    [Fact]
    public async Task A_message_without_dsn_parameters_carries_none()
    {
        var queue = Open();
        await queue.EnqueueAsync(Envelope("a@example.com"), Content("plain"), CancellationToken.None);

        var claimed = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Null(claimed.Dsn);
        Assert.False(claimed.DelayWarned);
    }

    [Fact]
    public async Task A_delay_warning_marks_the_message_in_the_transaction_that_queues_it()
    {
        var queue = Open();
        await queue.EnqueueAsync(Envelope("slow@example.com"), Content("slow"), CancellationToken.None);
        var deferred = new RecipientOutcome("slow@example.com", RecipientStatus.Pending, new SmtpReply(451, "4.4.1", "no answer"));

        // A plain attempt leaves it unmarked.
        var first = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        await queue.RecordAttemptAsync(first.Lease, [deferred], Time.GetUtcNow(), null, CancellationToken.None);
        var second = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.False(second.DelayWarned);

        var warning = new GeneratedMessage(new Envelope("", ["sender@example.org"]), Content("delayed"), WarnsOfDelay: true);
        var warningId = await queue.RecordAttemptAsync(second.Lease, [deferred], Time.GetUtcNow(), warning, CancellationToken.None);

        var claims = await queue.ClaimDueAsync(10, Lease, CancellationToken.None);
        Assert.True(Assert.Single(claims, m => m.Id == first.Id).DelayWarned);
        Assert.Contains(claims, m => m.Id == warningId);
    }
}
