using System.Text.Encodings.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace RelaySigner.Configuration;

/// <summary>
/// Console logging defaults: one line per event with a UTC timestamp (the simple formatter's default spends two lines
/// and has no time); with <c>Logging:Console:FormatterName=json</c> one object per line with the same timestamp.
/// </summary>
public static class RelayLogging
{
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";

    /// <summary>Defaults under every other source, so appsettings, environment and arguments still decide.</summary>
    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>
    {
        ["Logging:Console:FormatterName"] = ConsoleFormatterNames.Simple,
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        ["Logging:Console:FormatterOptions:TimestampFormat"] = TimestampFormat,
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
    };

    public static void Configure(IServiceCollection services) =>
        services.PostConfigure<JsonConsoleFormatterOptions>(json =>
        {
            // The simple formatter needs the trailing space before the level; a JSON value does not.
            json.TimestampFormat = (json.TimestampFormat ?? TimestampFormat).TrimEnd();
            // The default encoder writes '<' as \u003C: escaping for HTML, which a log line is not (its addresses are <…>).
            json.JsonWriterOptions = json.JsonWriterOptions with { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });

    /// <summary>Puts <see cref="Defaults"/> below every source already in <paramref name="configuration"/>.</summary>
    public static void AddDefaults(IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = Defaults });
}
