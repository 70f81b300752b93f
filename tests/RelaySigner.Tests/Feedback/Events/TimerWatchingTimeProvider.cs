using Microsoft.Extensions.Time.Testing;

namespace RelaySigner.Tests.Feedback.Events;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when a timer of a given length is started, so a test advances the
/// clock only once the code under test waits on it (advancing earlier would leave the wait to a later time).
/// </summary>
internal sealed class TimerWatchingTimeProvider : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<(TimeSpan DueTime, TaskCompletionSource Started)> _waiters = [];

    public TimerWatchingTimeProvider()
        : base(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Completes when a timer of <paramref name="dueTime"/> is next started (after this call).</summary>
    public Task NextTimerAsync(TimeSpan dueTime)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((dueTime, started));
        }

        return started.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            foreach (var waiter in _waiters.Where(w => w.DueTime == dueTime).ToList())
            {
                waiter.Started.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        return timer;
    }
}
