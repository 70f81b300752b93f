using System.Net;

namespace RelaySigner.Dmarc.Lookup;

public static class DnsServerAddress
{
    /// <summary>"ip:port" (port 53 if omitted) as an endpoint; null for empty, meaning the system's resolver.</summary>
    /// <exception cref="FormatException">Not an IP address with an optional port.</exception>
    public static IPEndPoint? Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : IPEndPoint.TryParse(value, out var endpoint) ? (endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint)
        : throw new FormatException($"'{value}' is not an ip:port resolver address");
}
