namespace RelaySigner.Configuration;

/// <summary>
/// The folder the relay's configuration is read from (the host's content root), found the same way by the relay and
/// by every admin verb, so that both read the same files: <c>--config DIR</c>; else <c>DOTNET_CONTENTROOT</c>; else
/// the current directory when it holds <c>appsettings.json</c> (a source checkout, a systemd WorkingDirectory); else
/// the executable's own folder (a published install, run from anywhere). Relative paths in the configuration resolve
/// against this folder.
/// </summary>
public static class ConfigurationFolder
{
    public const string SettingsFile = "appsettings.json";

    /// <exception cref="ConfigurationProblemException">The given folder does not exist.</exception>
    public static string Resolve(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            var folder = Path.GetFullPath(given);
            return Directory.Exists(folder)
                ? folder
                : throw new ConfigurationProblemException($"--config {given}: no such folder");
        }

        if (Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is { Length: > 0 } contentRoot)
        {
            return Path.GetFullPath(contentRoot);
        }

        var current = Directory.GetCurrentDirectory();
        if (File.Exists(Path.Combine(current, SettingsFile)))
        {
            return current;
        }

        var executable = AppContext.BaseDirectory;
        return File.Exists(Path.Combine(executable, SettingsFile)) ? Path.TrimEndingDirectorySeparator(executable) : current;
    }
}
