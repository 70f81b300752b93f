using System.Net;

namespace RelaySigner.Intake;

/// <summary>Options of the SMTP listener, bound from <c>Relay:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Relay:Smtp";

    private static readonly string[] DefaultAllowedNetworks = ["127.0.0.0/8", "::1/128"];

    /// <summary>Address to listen on. Default <c>127.0.0.1</c>; <c>0.0.0.0</c> or <c>::</c> for every interface.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Port of the main listener. Default 2525; 0 takes any free port (tests).</summary>
    public int Port { get; set; } = 2525;

    /// <summary>
    /// Client networks (CIDR) that may relay without AUTH. Default <c>127.0.0.0/8</c> and <c>::1/128</c>.
    /// A configured list replaces the default.
    /// </summary>
    public string[]? AllowedNetworks { get; set; }

    /// <summary>Name in the greeting and EHLO reply. Default: this machine's host name.</summary>
    public string? ServerName { get; set; }

    /// <summary>Largest message accepted, in bytes (announced with SIZE, enforced during DATA). Default 25 MiB.</summary>
    public int MaxMessageSize { get; set; } = 25 * 1024 * 1024;

    /// <summary>
    /// Upper bound on one session's whole lifetime. SmtpServer's own default (2 min) cuts busy sessions and answers
    /// a DATA in progress with a permanent 554, so the default here is long: 1 hour. Idle clients are cut by
    /// <see cref="CommandTimeout"/>.
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long to wait for the client's next command. Default 5 minutes (RFC 5321 §4.5.3.2.7).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public IReadOnlyList<string> EffectiveAllowedNetworks => AllowedNetworks ?? DefaultAllowedNetworks;

    public IReadOnlyList<IPNetwork> ParseAllowedNetworks() => [.. EffectiveAllowedNetworks.Select(IPNetwork.Parse)];
}
