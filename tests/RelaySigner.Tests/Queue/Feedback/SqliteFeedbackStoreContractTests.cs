using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Feedback;
using RelaySigner.Queue;
using RelaySigner.Queue.Feedback;

namespace RelaySigner.Tests.Queue.Feedback;

/// <summary>The way back's contract on the embedded store: the stores run through the queue's writer loop.</summary>
public sealed class SqliteFeedbackStoreContractTests : FeedbackStoreContractTests
{
    private readonly QueueFolder _folder = new("feedback");
    private FeedbackStores? _opened;

    public override Task InitializeAsync() => Task.CompletedTask;

    public override Task DisposeAsync() => _folder.DisposeAsync().AsTask();

    protected override FeedbackStores Open(bool events = true)
    {
        var eventsOptions = new EventsOptions { WebhookUrl = events ? "https://app.example/events" : "", Secret = "s" };
        var wakeup = new EventsWakeup(Time);
        var queue = _folder.Track(new SqliteMessageQueue(Options.Create(new QueueOptions { Path = _folder.Path }), Time,
            NullLogger<SqliteMessageQueue>.Instance, Options.Create(eventsOptions), wakeup));
        var store = new SqliteFeedbackStore(queue, Time, eventsOptions, eventsWakeup: wakeup);
        return _opened = new FeedbackStores(queue, store, store, store, wakeup);
    }

    protected override FeedbackStores OpenAnother() => _opened!;
}
