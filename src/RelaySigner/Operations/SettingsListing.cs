using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using RelaySigner.Configuration;

namespace RelaySigner.Operations;

/// <summary>The effective <c>Relay:</c> settings, one <c>key = value</c> per line (like <c>postconf -n</c>), secrets masked.</summary>
public static partial class SettingsListing
{
    public const string Mask = "********";

    public static IEnumerable<string> Lines(IConfiguration configuration) =>
        configuration.GetSection(RelaySettingsSchema.Root).AsEnumerable()
            .Where(setting => setting.Value is not null)
            .OrderBy(setting => setting.Key, ConfigurationKeyComparer.Instance)
            .Select(setting => $"{setting.Key} = {(IsSecret(setting.Key) ? Mask : setting.Value)}");

    /// <summary>
    /// Passwords, their hashes, shared secrets, connection strings (which may carry a password) and webhook URLs
    /// (many receivers put their token in the path or query).
    /// </summary>
    public static bool IsSecret(string key) => Secret().IsMatch(key[(key.LastIndexOf(':') + 1)..]);

    [GeneratedRegex("(?i)password|secret|connectionstring|webhookurl|^token$")]
    private static partial Regex Secret();
}
