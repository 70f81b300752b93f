using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Npgsql;
using RelaySigner.Configuration;
using RelaySigner.Core;
using RelaySigner.Queue;
using RelaySigner.Queue.PostgreSql;

namespace RelaySigner.Cli;

/// <summary>What the <c>queue</c> verbs share: the store from the relay's configuration, the id argument, JSON output.</summary>
internal static class QueueCli
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new QueueIdJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Write JSON instead of text" };

    public static Argument<string> IdArgument() => new("id") { Description = "Queue id, as `queue list` shows it" };

    /// <summary>The queue id argument in the form the store keeps ids (upper-case hex), whatever case it was typed in.</summary>
    public static QueueId Id(ParseResult parseResult, Argument<string> id) =>
        new(parseResult.GetValue(id)!.Trim().ToUpperInvariant());

    /// <summary>Configuration overrides may follow the verb, as for <c>run</c>: e.g. --Relay:Queue:Path=data.</summary>
    public static Command Verb(string name, string description) =>
        new(name, description + " Configuration overrides may follow, e.g. --Relay:Queue:Path=data.");

    /// <summary>
    /// Runs <paramref name="action"/> on the store the relay uses (<c>Relay:Queue</c> of the relay's configuration,
    /// relative paths from its configuration folder, then --Relay:Queue:…=… overrides): the SQLite folder or the
    /// shared PostgreSQL database. A folder without a queue is an error, never "empty": it means the verb is not
    /// looking where the relay writes.
    /// </summary>
    /// <returns>The action's exit code; 3 when the PostgreSQL database cannot be used.</returns>
    /// <exception cref="ConfigurationProblemException">Invalid queue settings, or no queue in the folder (exit code 78).</exception>
    public static int Run(ParseResult parseResult, Func<IQueueAdministration, int> action) =>
        RunOn(parseResult, folder => new SqliteQueueAdministration(folder), database => new PostgreSqlQueueAdministration(database), action);

    /// <summary>As <see cref="Run"/>, on the store <paramref name="sqlite"/> or <paramref name="postgreSql"/> opens.</summary>
    public static int RunOn<TStore>(ParseResult parseResult, Func<string, TStore> sqlite, Func<NpgsqlDataSource, TStore> postgreSql,
        Func<TStore, int> action)
    {
        var options = Options(parseResult);
        if (options.Provider == QueueProvider.PostgreSql)
        {
            try
            {
                using var database = PostgreSqlDataSource.Create(options);
                return action(postgreSql(database));
            }
            catch (NpgsqlException ex)
            {
                return DatabaseUnusable(parseResult, ex);
            }
        }

        return action(sqlite(ExistingDatabase(parseResult, options)));
    }

    /// <summary>The relay's <c>Relay:Queue</c> settings with the verb's overrides, validated.</summary>
    /// <exception cref="ConfigurationProblemException">Invalid queue settings (exit code 78).</exception>
    public static QueueOptions Options(ParseResult parseResult)
    {
        var options = new QueueOptions();
        CliConfiguration.Load(parseResult).Configuration.GetSection(QueueOptions.SectionName).Bind(options);
        options.Path = CliConfiguration.Path(parseResult, $"{QueueOptions.SectionName}:Path", new QueueOptions().Path);
        return new QueueOptionsValidator().Validate(null, options) is { Failed: true } validation
            ? throw new ConfigurationProblemException(string.Join(Environment.NewLine, validation.Failures))
            : options;
    }

    /// <returns>The folder of the embedded queue.</returns>
    /// <exception cref="ConfigurationProblemException">No queue in the folder (exit code 78).</exception>
    public static string ExistingDatabase(ParseResult parseResult, QueueOptions options) =>
        File.Exists(System.IO.Path.Combine(options.Path, QueueOptions.DatabaseFileName))
            ? options.Path
            : throw new ConfigurationProblemException(
                $"no queue at {options.Path} (Relay:Queue:Path of the configuration in {CliConfiguration.Load(parseResult).Environment.ContentRootPath}); give --config DIR or --Relay:Queue:Path=…");

    /// <returns>Exit code 3, after an error line naming the database's problem.</returns>
    public static int DatabaseUnusable(ParseResult parseResult, Exception ex)
    {
        parseResult.InvocationConfiguration.Error.WriteLine($"error: the queue database cannot be used: {ex.Message}");
        return 3;
    }

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
