using System.Threading.Channels;

namespace RelaySigner.Core;

/// <summary>
/// "There is something to look at", set by any number of callers and taken by a loop: a signal set while one is
/// pending folds into it. Setting never blocks, allocates or throws (a full <see cref="SemaphoreSlim"/> throws on
/// Release, which cost an exception per message on the intake's hot path).
/// </summary>
public sealed class PendingSignal
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Set() => _pending.Writer.TryWrite(true);

    /// <summary>Takes the signal if it is set; never waits.</summary>
    public bool TryTake() => _pending.Reader.TryRead(out _);

    /// <summary>Waits until the signal is set and takes it.</summary>
    public async ValueTask TakeAsync(CancellationToken cancellationToken) =>
        await _pending.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
}
