using RelaySigner.Core.Feedback;

namespace RelaySigner.Queue.Feedback;

/// <summary>Maps the entries a store found back to the recipients as the caller gave them.</summary>
internal static class SuppressionMatches
{
    public static IReadOnlyDictionary<string, Suppression> ByGivenRecipient(IEnumerable<string> given, IReadOnlyList<Suppression> found)
    {
        var result = new Dictionary<string, Suppression>(StringComparer.Ordinal);
        if (found.Count == 0)
        {
            return result;
        }

        var byKey = found.ToDictionary(s => s.Recipient, StringComparer.Ordinal);
        foreach (var recipient in given)
        {
            if (byKey.TryGetValue(SuppressionKey.Recipient(recipient), out var suppression))
            {
                result[recipient] = suppression;
            }
        }

        return result;
    }
}
