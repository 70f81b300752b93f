using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Queue;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// A queue folder under the temp directory and the queues a test opens on it, on a fake clock. Disposing closes
/// the queues first (releasing queue.lock), then deletes the folder.
/// </summary>
internal sealed class QueueFolder(string prefix) : IAsyncDisposable
{
    private readonly List<SqliteMessageQueue> _opened = [];

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"relaysigner-{prefix}-{Guid.NewGuid():N}");

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <param name="time">The queue's clock; <see cref="Time"/> unless a test needs another.</param>
    public SqliteMessageQueue Open(TimeProvider? time = null)
    {
        var queue = new SqliteMessageQueue(Options.Create(new QueueOptions { Path = Path }), time ?? Time, NullLogger<SqliteMessageQueue>.Instance);
        _opened.Add(queue);
        return queue;
    }

    /// <summary>A queue the test opened itself on <see cref="Path"/>, closed with the others.</summary>
    public SqliteMessageQueue Track(SqliteMessageQueue queue)
    {
        _opened.Add(queue);
        return queue;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _opened)
        {
            await queue.DisposeAsync();
        }

        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
