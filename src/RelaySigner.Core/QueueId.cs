using System.Security.Cryptography;

namespace RelaySigner.Core;

/// <summary>
/// Identifies one message from intake to final outcome. Starts with the acceptance time so ids sort by age
/// (what a postmaster expects when reading logs), then random bits so two nodes never collide.
/// </summary>
public readonly record struct QueueId(string Value)
{
    public static QueueId New(TimeProvider time)
    {
        Span<byte> random = stackalloc byte[5];
        RandomNumberGenerator.Fill(random);
        var millis = time.GetUtcNow().ToUnixTimeMilliseconds();
        return new QueueId($"{millis:X11}{Convert.ToHexString(random)}");
    }

    public override string ToString() => Value;
}
