using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Core.Telemetry;
using RelaySigner.Queue;

namespace RelaySigner.Benchmarks.Scale;

/// <summary>
/// What a <c>/metrics</c> scrape costs the queue: the queue's gauges registered as the relay registers them
/// (<see cref="QueueGauges"/>), collected the way the exporter collects them.
/// </summary>
internal sealed class ScaleGaugeScrape : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();

    public ScaleGaugeScrape(SqliteMessageQueue queue)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        QueueGauges.Register(_services.GetRequiredService<IMeterFactory>(),
            new SqliteQueueAdministration(Path.GetDirectoryName(queue.DatabasePath)!), TimeProvider.System);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RelayMetrics.MeterName && instrument.Name.StartsWith("relaysigner.queue.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Depth = value);
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => { });
        _listener.Start();
    }

    /// <summary>The depth the last scrape reported.</summary>
    public long Depth { get; private set; }

    public void Scrape() => _listener.RecordObservableInstruments();

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
