using System.CommandLine;
using System.Net;
using RelaySigner.Core.Net;

namespace RelaySigner.Cli;

/// <summary>The <c>--dns-server ip:port</c> option of the verbs that look up DNS.</summary>
internal static class DnsServerOption
{
    public static Option<string?> Create() => new("--dns-server") { Description = "Resolver ip:port (port 53 if omitted); default Relay:Delivery:DnsServer, else the system's" };

    public static IPEndPoint? Parse(string? value) => HostEndpoint.ParseResolver(value);

    /// <summary>The resolver given, else the relay's own (<c>Relay:Delivery:DnsServer</c>), else null (the system's).</summary>
    /// <exception cref="FormatException">Not an ip:port.</exception>
    public static IPEndPoint? Resolve(ParseResult parseResult, Option<string?> option) =>
        Parse(parseResult.GetValue(option) ?? CliConfiguration.Load(parseResult).Configuration["Relay:Delivery:DnsServer"]);
}
