using System.CommandLine;
using System.Net;

namespace RelaySigner.Cli;

/// <summary>The <c>--dns-server ip:port</c> option of the verbs that look up DNS.</summary>
internal static class DnsServerOption
{
    public static Option<string?> Create() => new("--dns-server") { Description = "Resolver ip:port (port 53 if omitted); default the system's" };

    public static IPEndPoint? Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : IPEndPoint.TryParse(value, out var endpoint) ? (endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint)
        : throw new FormatException($"--dns-server '{value}' is not ip:port");
}
