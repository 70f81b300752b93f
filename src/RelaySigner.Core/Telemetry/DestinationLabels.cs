using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace RelaySigner.Core.Telemetry;

/// <summary>
/// The value of the <c>destination</c> label: the recipient domain for the domains named in configuration and for the
/// first <see cref="MaxOthers"/> others seen since start; <see cref="Other"/> for every later one.
/// </summary>
/// <remarks>
/// Every label value is a series the exporter keeps in memory until the process ends, and OpenTelemetry folds the
/// series past its limit (2,000 per metric) into one overflow series without a name: a relay that mails to many
/// small domains reaches it, and then new and old destinations look alike. Bounded here, the big destinations an
/// operator names stay apart, and what is lumped together is called <c>other</c>.
/// </remarks>
public sealed class DestinationLabels
{
    /// <summary>The label of a destination past the limit: no domain name is a single label without a dot like it.</summary>
    public const string Other = "other";

    /// <summary>Default for <see cref="MaxOthers"/>.</summary>
    public const int DefaultMaxOthers = 100;

    private readonly FrozenSet<string> _named;
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly Lock _adding = new();

    /// <param name="named">Destinations that always get their own label (compared case-insensitively).</param>
    /// <param name="maxOthers">How many other destinations get their own label, first come first served.</param>
    public DestinationLabels(IEnumerable<string> named, int maxOthers = DefaultMaxOthers)
    {
        ArgumentNullException.ThrowIfNull(named);
        ArgumentOutOfRangeException.ThrowIfNegative(maxOthers);
        _named = named.Select(Normalize).ToFrozenSet(StringComparer.Ordinal);
        MaxOthers = maxOthers;
    }

    public int MaxOthers { get; }

    /// <summary>The label for <paramref name="domain"/> (a recipient domain, any case).</summary>
    public string For(string domain)
    {
        var name = Normalize(domain);
        if (_named.Contains(name) || _seen.ContainsKey(name))
        {
            return name;
        }

        lock (_adding)
        {
            if (_seen.Count >= MaxOthers)
            {
                return Other;
            }

            _seen.TryAdd(name, 0);
            return name;
        }
    }

    private static string Normalize(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();
}
