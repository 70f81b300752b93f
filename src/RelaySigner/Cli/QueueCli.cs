using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using RelaySigner.Core;
using RelaySigner.Queue;

namespace RelaySigner.Cli;

/// <summary>What the <c>queue</c> verbs share: the queue folder from the relay's configuration, the id argument, JSON output.</summary>
internal static class QueueCli
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new QueueIdJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Write JSON instead of text" };

    public static Argument<string> IdArgument() => new("id")
    {
        Description = "Queue id, as `queue list` shows it",
        // A token such as --Relay:Queue:Path=data is a configuration override, never an id: leave it unmatched.
        CustomParser = result =>
        {
            if (result.Tokens.Count > 0 && result.Tokens[0].Value.StartsWith('-'))
            {
                result.OnlyTake(0);
                return null;
            }

            return result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        },
    };

    /// <summary>Configuration overrides may follow the verb, as for <c>run</c>: e.g. --Relay:Queue:Path=data.</summary>
    public static Command Verb(string name, string description) =>
        new(name, description + " Configuration overrides may follow, e.g. --Relay:Queue:Path=data.") { TreatUnmatchedTokensAsErrors = false };

    /// <summary>The queue folder the relay uses: appsettings.json, environment, then --Relay:Queue:Path=… overrides.</summary>
    public static string Folder(ParseResult parseResult) =>
        CliConfiguration.Load(parseResult.UnmatchedTokens)[$"{QueueOptions.SectionName}:Path"] ?? new QueueOptions().Path;

    public static void WriteJson<T>(ParseResult parseResult, T value) =>
        parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <returns>The exit code: 0 done, 1 no such message, 2 being delivered right now (nothing changed).</returns>
    public static int Report(ParseResult parseResult, QueueId id, QueueChange change, string done)
    {
        var (text, exitCode) = change switch
        {
            QueueChange.Done => ($"{id}: {done}", 0),
            QueueChange.NotFound => ($"{id}: not in the queue", 1),
            _ => ($"{id}: being delivered right now, nothing changed; try again in a moment", 2),
        };
        (exitCode == 0 ? parseResult.InvocationConfiguration.Output : parseResult.InvocationConfiguration.Error).WriteLine(text);
        return exitCode;
    }
}
