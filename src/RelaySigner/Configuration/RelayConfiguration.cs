using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RelaySigner.Configuration;

/// <summary>
/// The relay's configuration, built one way for the relay and for every admin verb: <c>appsettings.json</c>, then
/// <c>appsettings.{Environment}.json</c> from the <see cref="ConfigurationFolder"/>, then environment variables, then
/// <c>--Relay:…=value</c> overrides; a list set by a later source replaces the earlier one's whole list.
/// </summary>
public static class RelayConfiguration
{
    /// <param name="overrides">Configuration overrides such as <c>--Relay:Smtp:Port=2526</c>.</param>
    /// <param name="configFolder">The <c>--config DIR</c> of the command line, if given.</param>
    public static HostApplicationBuilder CreateBuilder(IEnumerable<string> overrides, string? configFolder = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. overrides],
            ContentRootPath = ConfigurationFolder.Resolve(configFolder),
        });
        RelayLogging.AddDefaults(builder.Configuration);
        ListReplacingConfigurationSource.Install(builder.Configuration);
        RelayLogging.Configure(builder.Services);
        // The host logs a failed start with its stack trace; RunCommand prints the reason once, on one line, instead.
        // Critical stays: the host stopping because a background service failed.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        return builder;
    }

    /// <summary>A path from the configuration, relative ones taken from the configuration folder.</summary>
    public static string? Resolve(string? path, IHostEnvironment environment) =>
        string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path, environment.ContentRootPath);
}
