using System.Diagnostics.Metrics;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Queue;

/// <summary>
/// The queue's observable gauges on the relay's meter, created with the queue: read from the store at each
/// collection (a scrape, see <see cref="IQueueAdministration.Summarize"/>), so they cost nothing between scrapes and show what is committed.
/// </summary>
public static class QueueGauges
{
    public static void Register(IMeterFactory meterFactory, IQueueAdministration store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var meter = meterFactory.Create(RelayMetrics.MeterName);
        meter.CreateObservableGauge("relaysigner.queue.depth",
            () => store.Summarize().Messages,
            "{message}", "Messages in the queue (each with at least one recipient pending)");
        meter.CreateObservableGauge("relaysigner.queue.oldest.age",
            () => store.Summarize().OldestReceivedAt is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0,
            "s", "Age of the oldest message in the queue; 0 when the queue is empty");
    }
}
