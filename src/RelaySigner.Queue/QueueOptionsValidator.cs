using Microsoft.Extensions.Options;
using Npgsql;

namespace RelaySigner.Queue;

/// <summary>Checks <see cref="QueueOptions"/> at start and reports every problem at once.</summary>
public sealed class QueueOptionsValidator : IValidateOptions<QueueOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string prefix = QueueOptions.SectionName;
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add($"{prefix}:Provider must be Sqlite or PostgreSql.");
        }

        if (string.IsNullOrWhiteSpace(options.NodeName))
        {
            errors.Add($"{prefix}:NodeName must not be empty.");
        }

        if (options.HistoryRetention < TimeSpan.Zero)
        {
            errors.Add($"{prefix}:HistoryRetention must not be negative (00:00:00 keeps no history).");
        }

        if (options.Provider == QueueProvider.Sqlite && string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add($"{prefix}:Path must not be empty.");
        }

        if (options.Provider == QueueProvider.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                errors.Add($"{prefix}:ConnectionString must be set when {prefix}:Provider is PostgreSql.");
            }
            else
            {
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                }
                catch (ArgumentException ex)
                {
                    // The message names the bad keyword, never the password.
                    errors.Add($"{prefix}:ConnectionString is not a valid Npgsql connection string: {ex.Message}");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
