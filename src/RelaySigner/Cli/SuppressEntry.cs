using System.Globalization;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Cli;

/// <summary>An entry as an operator gives it (<c>suppress add</c>, a line of <c>suppress import</c>), checked into a
/// <see cref="Suppression"/> or a problem to report.</summary>
internal static class SuppressEntry
{
    /// <param name="since">Empty: <paramref name="now"/>. Otherwise an ISO 8601 time; without an offset it is UTC.</param>
    /// <returns>The entry, or null and the problem.</returns>
    public static (Suppression? Entry, string? Problem) Parse(string? domain, string? recipient, string? reason, string? since,
        string? status, DateTimeOffset now)
    {
        domain = domain?.Trim();
        recipient = recipient?.Trim();
        if (string.IsNullOrEmpty(domain) || domain.Contains('@', StringComparison.Ordinal) || !domain.Contains('.', StringComparison.Ordinal))
        {
            return (null, $"'{domain}' is not a domain (the From's organisational domain, e.g. example.com)");
        }

        var at = recipient?.LastIndexOf('@') ?? -1;
        if (recipient is null || at <= 0 || at == recipient.Length - 1)
        {
            return (null, $"'{recipient}' is not an address (local-part@domain)");
        }

        var parsedReason = SuppressionReason.Manual;
        if (!string.IsNullOrWhiteSpace(reason) && !SuppressionReasons.TryParse(reason, out parsedReason))
        {
            return (null, $"'{reason}' is not a reason (hard-bounce, complaint, unsubscribe or manual)");
        }

        var parsedSince = now;
        if (!string.IsNullOrWhiteSpace(since) && !DateTimeOffset.TryParse(since.Trim(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out parsedSince))
        {
            return (null, $"'{since}' is not a time (ISO 8601, e.g. 2026-12-01T08:00:00Z)");
        }

        return (new Suppression(SuppressionKey.Domain(domain), recipient, parsedReason, parsedSince,
            string.IsNullOrWhiteSpace(status) ? null : status.Trim()), null);
    }
}
