using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace RelaySigner.Configuration;

/// <summary>
/// The providers of the relay's configuration, with one change to .NET's merge: when a source sets any entry of a
/// list (<c>Relay__Smtp__AllowedNetworks__0</c>, <c>--Relay:Delivery:RetrySchedule:0=00:00:01</c>), the entries the
/// sources before it gave that list are dropped. .NET merges lists index by index, so the README's
/// <c>RetrySchedule__0=00:00:01</c> gave [1 s, 5 min, 15 min, …] and an <c>AllowedNetworks:0</c> meant to narrow
/// relaying kept <c>::1</c> from appsettings.json at index 1: a list in a later source must mean that list.
/// </summary>
/// <remarks>A list is a configuration path whose children are indexes (0, 1, …), as the binder writes arrays.</remarks>
public sealed class ListReplacingConfigurationProvider(IReadOnlyList<IConfigurationProvider> providers) : IConfigurationProvider, IDisposable
{
    public bool TryGet(string key, out string? value)
    {
        for (var i = providers.Count - 1; i >= 0; i--)
        {
            if (providers[i].TryGet(key, out value))
            {
                return !ReplacedAbove(i, key);
            }
        }

        value = null;
        return false;
    }

    public void Set(string key, string? value)
    {
        foreach (var provider in providers)
        {
            provider.Set(key, value);
        }
    }

    public IChangeToken GetReloadToken() => new CompositeChangeToken([.. providers.Select(p => p.GetReloadToken())]);

    public void Load()
    {
        foreach (var provider in providers)
        {
            provider.Load();
        }
    }

    public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var keys = new List<string>(earlierKeys);
        for (var i = 0; i < providers.Count; i++)
        {
            keys.AddRange(providers[i].GetChildKeys([], parentPath)
                .Where(child => !ReplacedAbove(i, parentPath is null ? child : ConfigurationPath.Combine(parentPath, child))));
        }

        return keys.Distinct(StringComparer.OrdinalIgnoreCase).Order(ConfigurationKeyComparer.Instance);
    }

    public void Dispose()
    {
        foreach (var provider in providers.OfType<IDisposable>())
        {
            provider.Dispose();
        }
    }

    /// <summary>True when <paramref name="key"/> is an entry of a list that a provider after <paramref name="index"/> sets.</summary>
    private bool ReplacedAbove(int index, string key)
    {
        var segments = key.Split(ConfigurationPath.KeyDelimiter);
        for (var depth = 1; depth < segments.Length; depth++)
        {
            if (!IsIndex(segments[depth]))
            {
                continue;
            }

            var list = string.Join(ConfigurationPath.KeyDelimiter, segments[..depth]);
            for (var later = index + 1; later < providers.Count; later++)
            {
                if (providers[later].GetChildKeys([], list).Any(IsIndex))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsIndex(string segment) => segment.Length > 0 && segment.All(char.IsAsciiDigit);
}
