using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace RelaySigner.Core.Net;

/// <summary>
/// A configured endpoint (<c>host:port</c>, <c>ip:port</c>, <c>[ipv6]:port</c>); <see cref="Address"/> is set for IP literals.
/// The one parser of every endpoint the relay is given: the smarthost, a resolver (<see cref="TryParseResolver"/>),
/// the <c>send</c> tool's server.
/// </summary>
public sealed record HostEndpoint(string Host, IPAddress? Address, int Port)
{
    /// <summary>
    /// Parses <c>host</c>, <c>host:port</c>, <c>1.2.3.4:port</c>, <c>[host-or-ip]:port</c> or a bare IPv6 address
    /// (an IPv6 address with a port needs brackets). A trailing dot on a host name is removed.
    /// </summary>
    public static bool TryParse(string? value, int defaultPort, [NotNullWhen(true)] out HostEndpoint? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim();
        string host;
        var port = defaultPort;

        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (rest[0] != ':' || !TryParsePort(rest[1..], out port)))
            {
                return false;
            }
        }
        else if (text.Count(c => c == ':') > 1)
        {
            // Several colons without brackets: only a bare IPv6 address makes sense.
            host = text;
        }
        else
        {
            var colon = text.IndexOf(':');
            host = colon < 0 ? text : text[..colon];
            if (colon >= 0 && !TryParsePort(text[(colon + 1)..], out port))
            {
                return false;
            }
        }

        if (host.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            host = host[5..];
        }

        if (IPAddress.TryParse(host, out var address) && LooksLikeIpLiteral(host))
        {
            endpoint = new HostEndpoint(address.ToString(), address, port);
            return true;
        }

        host = host.TrimEnd('.');
        if (!IsHostName(host))
        {
            return false;
        }

        endpoint = new HostEndpoint(host, null, port);
        return true;
    }

    /// <summary>Default port of a resolver address.</summary>
    public const int DnsPort = 53;

    /// <summary>
    /// A resolver address (<c>Relay:Delivery:DnsServer</c>, <c>--dns-server</c>): an IP literal with an optional port
    /// (53), as <see cref="TryParse"/> reads it. Empty gives true and null: the system's resolver.
    /// </summary>
    public static bool TryParseResolver(string? value, out IPEndPoint? resolver)
    {
        resolver = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (!TryParse(value, DnsPort, out var endpoint) || endpoint.Address is null)
        {
            return false;
        }

        resolver = new IPEndPoint(endpoint.Address, endpoint.Port);
        return true;
    }

    /// <summary><see cref="TryParseResolver"/>, throwing for a value that is not an IP literal with an optional port.</summary>
    /// <exception cref="FormatException">Not a resolver address.</exception>
    public static IPEndPoint? ParseResolver(string? value) =>
        TryParseResolver(value, out var resolver) ? resolver : throw new FormatException($"'{value}' is not an ip:port or [ipv6]:port resolver address");

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    // IPAddress.TryParse also accepts forms like "1" or "1.2" (inet_aton); insist on a full literal.
    private static bool LooksLikeIpLiteral(string host) =>
        host.Contains(':') || host.Count(c => c == '.') == 3;

    public static bool IsHostName(string host)
    {
        if (host.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
