namespace RelaySigner.Queue.Feedback;

/// <summary>The hour buckets of the feedback counts: whole hours since the Unix epoch, UTC.</summary>
internal static class FeedbackHours
{
    public static long Of(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 3_600_000;
}
