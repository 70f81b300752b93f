namespace RelaySigner.Core.Feedback;

/// <summary>
/// The organisational domains the relay sends mail as (those of its signing keys): the domains whose complaint and
/// hard-bounce rates the metrics show. Read again at every refresh, so keys added without a restart are included.
/// </summary>
public interface ISendingDomains
{
    IReadOnlyCollection<string> Current { get; }
}
