using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core.Queue;

namespace RelaySigner.Tests.Core;

/// <summary>The signal every enqueue sends the delivery loop: coalescing, and cheap enough for the hot path.</summary>
public sealed class WakeupSignalTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Notifications_while_one_is_pending_throw_nothing_and_wake_the_loop_once()
    {
        var wakeup = new DeliveryWakeup(_time);
        var thrown = CountExceptionsOnThisThread(() =>
        {
            wakeup.Notify();
            wakeup.Notify();
            wakeup.Notify();
        });

        Assert.Equal(0, thrown);
        Assert.True(await wakeup.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
        var next = wakeup.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await next);
    }

    [Fact]
    public async Task A_notification_wakes_a_loop_already_waiting()
    {
        var wakeup = new DeliveryWakeup(_time);
        var waiting = wakeup.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        wakeup.Notify();

        Assert.True(await waiting);
    }

    /// <summary>Exceptions thrown (even if caught) on the calling thread while <paramref name="action"/> runs.</summary>
    private static int CountExceptionsOnThisThread(Action action)
    {
        var thread = Environment.CurrentManagedThreadId;
        var count = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == thread)
            {
                Interlocked.Increment(ref count);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            action();
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        return count;
    }
}
