using Microsoft.Extensions.Configuration;

namespace RelaySigner.Configuration;

/// <summary>
/// Wraps the configuration sources so that a list set by a later source replaces the whole list of the earlier
/// ones (see <see cref="ListReplacingConfigurationProvider"/>).
/// </summary>
public sealed class ListReplacingConfigurationSource(IReadOnlyList<IConfigurationSource> sources) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) =>
        new ListReplacingConfigurationProvider([.. sources.Select(s => s.Build(builder))]);

    /// <summary>Moves every source of <paramref name="configuration"/> under one list-replacing source, in the same order.</summary>
    public static void Install(IConfigurationBuilder configuration)
    {
        var sources = configuration.Sources.ToList();
        configuration.Sources.Clear();
        configuration.Add(new ListReplacingConfigurationSource(sources));
    }
}
