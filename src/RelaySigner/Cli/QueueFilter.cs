using RelaySigner.Core.Queue;
using RelaySigner.Queue;

namespace RelaySigner.Cli;

/// <summary><c>queue list --domain D --state S</c>: which messages to show.</summary>
internal sealed class QueueFilter(string? domain, string? state, DateTimeOffset now)
{
    public static readonly string[] States = ["new", "deferred", "delivering", "failed"];

    public bool Matches(QueueEntry entry) =>
        (domain is null || entry.Recipients.Any(r => r.Status == RecipientStatus.Pending && DomainOf(r.Address).Equals(domain.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)))
        && (state is null || StateOf(entry) == state || (state == "failed" && entry.Recipients.Any(r => r.Status == RecipientStatus.Failed)));

    public static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..].ToLowerInvariant();

    private string StateOf(QueueEntry entry) =>
        entry.LeasedUntil is { } lease && lease > now ? "delivering"
        : entry.Attempts == 0 ? "new"
        : "deferred";
}
