namespace RelaySigner.Core.Feedback;

/// <summary>The names of <see cref="SuppressionReason"/> in events, CSV files and the CLI: <c>hard-bounce</c>,
/// <c>complaint</c>, <c>unsubscribe</c>, <c>manual</c>.</summary>
public static class SuppressionReasons
{
    public static string Name(SuppressionReason reason) => reason switch
    {
        SuppressionReason.HardBounce => "hard-bounce",
        SuppressionReason.Complaint => "complaint",
        SuppressionReason.Unsubscribe => "unsubscribe",
        SuppressionReason.Manual => "manual",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>Reads a name (or the member name, any case); false for anything else.</summary>
    public static bool TryParse(string? text, out SuppressionReason reason)
    {
        foreach (var candidate in Enum.GetValues<SuppressionReason>())
        {
            if (string.Equals(text?.Trim(), Name(candidate), StringComparison.OrdinalIgnoreCase) ||
                string.Equals(text?.Trim(), candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                reason = candidate;
                return true;
            }
        }

        reason = default;
        return false;
    }
}
