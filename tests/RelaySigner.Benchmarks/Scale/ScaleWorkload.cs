using System.Diagnostics;
using System.Text;
using RelaySigner.Core;
using RelaySigner.Core.Queue;

namespace RelaySigner.Benchmarks.Scale;

/// <summary>The per-message queue work of intake and delivery, through <see cref="IMessageQueue"/> only.</summary>
internal static class ScaleWorkload
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(15);
    private static readonly SmtpReply Accepted = new(250, "2.0.0", "ok");

    // What the transport reports and the message history keeps: the server that answered, over TLS.
    private static readonly RemoteServer Mx = new("mx1.example.com", "192.0.2.25", 25, "Tls13");

    /// <summary>A plain message of <paramref name="size"/> bytes with CRLF lines, as intake stores it.</summary>
    public static byte[] Message(int size)
    {
        var text = new StringBuilder(
            "DKIM-Signature: v=1; a=rsa-sha256; d=news.example.org; s=s1; h=from:to:subject; b=placeholder\r\n" +
            "From: news@news.example.org\r\nTo: reader@example.com\r\nSubject: scale\r\n\r\n");
        while (text.Length < size - 2)
        {
            text.Append("The quick brown fox jumps over the lazy dog, line by line.\r\n");
        }

        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        return bytes.Length <= size ? bytes : [.. bytes.AsSpan(0, size - 2), (byte)'\r', (byte)'\n'];
    }

    /// <summary>Enqueues <paramref name="count"/> messages from <paramref name="callers"/> concurrent callers.</summary>
    /// <returns>Wall time per message in microseconds.</returns>
    public static async Task<double> EnqueueAsync(IMessageQueue queue, byte[] content, int count, int callers)
    {
        var next = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var n && n <= count)
            {
                var envelope = new Envelope("bounces@news.example.org", [$"fresh{n}@d{n % 50}.example.com"], $"{n}.{Guid.NewGuid():N}@news.example.org");
                await queue.EnqueueAsync(envelope, content, CancellationToken.None);
            }
        })));
        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / count;
    }

    /// <summary>
    /// Claims and completes <paramref name="count"/> due messages the way the delivery worker does: it holds every free
    /// slot while claiming, claims that many, and each claimed message's attempt (here: every pending recipient
    /// delivered) is recorded on its own task, freeing its slot.
    /// </summary>
    /// <returns>Wall time per message in microseconds.</returns>
    public static async Task<double> ClaimAndCompleteAsync(IMessageQueue queue, int count, int slotCount)
    {
        using var slots = new SemaphoreSlim(slotCount);
        var attempts = new List<Task>(count);
        var claimed = 0;
        var started = Stopwatch.GetTimestamp();
        while (claimed < count)
        {
            await slots.WaitAsync();
            var held = 1;
            while (held < count - claimed && slots.Wait(0))
            {
                held++;
            }

            var due = await queue.ClaimDueAsync(held, Lease, CancellationToken.None);
            if (due.Count == 0)
            {
                throw new InvalidOperationException($"Nothing due after {claimed} of {count} claims.");
            }

            if (held > due.Count)
            {
                slots.Release(held - due.Count);
            }

            claimed += due.Count;
            foreach (var message in due)
            {
                attempts.Add(Task.Run(async () =>
                {
                    try
                    {
                        var outcomes = message.PendingRecipients.Select(r => new RecipientOutcome(r, RecipientStatus.Delivered, Accepted, Mx)).ToArray();
                        await queue.RecordAttemptAsync(message.Lease, outcomes, DateTimeOffset.UtcNow, null, CancellationToken.None);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }));
            }
        }

        await Task.WhenAll(attempts);
        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / count;
    }

    /// <summary>Claims up to <paramref name="count"/> messages and never records them, as a relay killed mid-delivery leaves them.</summary>
    public static Task LeaveLeasesAsync(IMessageQueue queue, int count) =>
        queue.ClaimDueAsync(count, Lease, CancellationToken.None);
}
