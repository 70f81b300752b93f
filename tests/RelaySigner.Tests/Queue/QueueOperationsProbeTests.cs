using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core;
using RelaySigner.Queue;

namespace RelaySigner.Tests.Queue;

/// <summary>What the admin listener reads from the store: the write probe of /readyz and the summary behind the gauges.</summary>
public sealed class QueueOperationsProbeTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "relaysigner-probe-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero));
    private SqliteMessageQueue _queue = null!;

    public Task InitializeAsync()
    {
        _queue = new SqliteMessageQueue(Options.Create(new QueueOptions { Path = _folder }), _time, NullLogger<SqliteMessageQueue>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_write_probe_fails_once_the_store_is_closed()
    {
        await _queue.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _queue.ProbeWritableAsync(CancellationToken.None));

        _queue = new SqliteMessageQueue(Options.Create(new QueueOptions { Path = _folder }), _time, NullLogger<SqliteMessageQueue>.Instance);
    }

    [Fact]
    public async Task The_summary_counts_the_messages_and_dates_the_oldest()
    {
        var first = _time.GetUtcNow();
        await _queue.EnqueueAsync(new Envelope("a@example.org", ["b@example.net"]), "x\r\n"u8.ToArray(), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(3));
        await _queue.EnqueueAsync(new Envelope("a@example.org", ["c@example.net", "d@example.com"]), "y\r\n"u8.ToArray(), CancellationToken.None);

        Assert.Equal(new QueueSummary(2, first), QueueSummary.Read(_queue.DatabasePath));
    }
}
