using System.CommandLine;
using System.Net;
using RelaySigner.Dmarc.Lookup;

namespace RelaySigner.Cli;

/// <summary>The <c>--dns-server ip:port</c> option of the verbs that look up DNS.</summary>
internal static class DnsServerOption
{
    public static Option<string?> Create() => new("--dns-server") { Description = "Resolver ip:port (port 53 if omitted); default the system's" };

    public static IPEndPoint? Parse(string? value) => DnsServerAddress.Parse(value);
}
