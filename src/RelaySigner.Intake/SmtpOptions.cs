using System.Net;
using System.Security.Authentication;

namespace RelaySigner.Intake;

/// <summary>Options of the SMTP listeners, bound from <c>Relay:Smtp</c>. Defaults are written next to each option.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Relay:Smtp";

    /// <summary>The most Received headers a message may already carry; more means a mail loop (RFC 5321 §6.3).</summary>
    public const int MaxReceivedHeaders = 50;

    /// <summary>Longest line, without its CRLF (RFC 5321 §4.5.3.1.6, RFC 5322 §2.1.1).</summary>
    public const int MaxLineLength = 998;

    /// <summary>TLS versions offered on every listener: SmtpServer alone would offer TLS 1.2 only.</summary>
    public const SslProtocols TlsProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private static readonly string[] DefaultAllowedNetworks = ["127.0.0.0/8", "::1/128"];

    /// <summary>Address to listen on. Default <c>127.0.0.1</c>; <c>0.0.0.0</c> or <c>::</c> for every interface.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Port of the main listener (25-style: STARTTLS offered when a certificate is configured). Default 2525; 0 takes any free port (tests).</summary>
    public int Port { get; set; } = 2525;

    /// <summary>Port of the submission listener (587-style: STARTTLS, then AUTH required). Default: none. Needs a certificate.</summary>
    public int? SubmissionPort { get; set; }

    /// <summary>Port of the implicit-TLS listener (465-style, RFC 8314). Default: none. Needs a certificate.</summary>
    public int? ImplicitTlsPort { get; set; }

    /// <summary>The server certificate. Without one no TLS is offered, so AUTH is never possible.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>
    /// Client networks (CIDR) that may relay without AUTH and may send as any domain that has a key.
    /// Default <c>127.0.0.0/8</c> and <c>::1/128</c>. A configured list replaces the default.
    /// </summary>
    public string[]? AllowedNetworks { get; set; }

    /// <summary>Client networks that may relay without AUTH, each limited to its own From domains.</summary>
    public List<ClientNetworkOptions> Clients { get; set; } = [];

    /// <summary>Users that may relay after AUTH over TLS, each limited to its own From domains.</summary>
    public List<SmtpUserOptions> Users { get; set; } = [];

    /// <summary>Name in the greeting, EHLO reply and Received header. Default: this machine's host name.</summary>
    public string? ServerName { get; set; }

    /// <summary>Largest message accepted, in bytes (announced with SIZE; larger gets 552 5.3.4). Default 25 MiB.</summary>
    public int MaxMessageSize { get; set; } = 25 * 1024 * 1024;

    /// <summary>Largest header block, in bytes (larger gets 552 5.3.4). Default 100 KiB, as Postfix.</summary>
    public int MaxHeaderSize { get; set; } = 100 * 1024;

    /// <summary>Recipients per message; more get 452 4.5.3 (RFC 5321 §4.5.3.1.8 asks for at least 100). Default 100.</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Connections open at once over all clients; more get 421 4.7.0. Default 1000.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Connections open at once from one IP address; more get 421 4.7.0. Default 50.</summary>
    public int MaxConnectionsPerClient { get; set; } = 50;

    /// <summary>
    /// Error replies one session may provoke; the one that reaches it is followed by 421 4.7.0 and the close.
    /// 452 4.5.3 for recipients over <see cref="MaxRecipients"/> counts only past 1,000 of them. Default 20, as Postfix.
    /// </summary>
    public int MaxBadCommands { get; set; } = 20;

    /// <summary>Failed AUTH attempts from one IP within <see cref="AuthFailureWindow"/> before AUTH is refused with 421 4.7.0. Default 5.</summary>
    public int MaxAuthFailures { get; set; } = 5;

    /// <summary>How long failed AUTH attempts count against an IP address. Default 15 minutes.</summary>
    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Longest session. Past it the relay answers the client's next command with 421 4.4.2 and closes; a message
    /// in DATA is never cut by it (it finishes and gets its reply first). Default 10 minutes, as the default
    /// ConnectionTimeout of Exchange's receive connectors: a session is a handful of commands per message, and a
    /// client with more to send reconnects, so no session holds a connection slot for long.
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long one command line may take, counted from its first byte (or, before any, from the previous
    /// command); then 421 4.4.2. A client dripping a line byte by byte is cut here, not kept alive by each byte.
    /// Default 5 minutes (RFC 5321 §4.5.3.2.7).
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait for the next bytes of a message after DATA. Default 3 minutes (RFC 5321 §4.5.3.2.5).</summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Slowest average rate of a message after DATA, in bytes per second, measured once the message has taken
    /// 30 seconds; slower clients get 421 4.4.2. Default 500, as Postfix's smtpd_min_data_rate. 0 turns it off.
    /// </summary>
    public int MinDataRate { get; set; } = 500;

    /// <summary>
    /// Longest time from DATA to the end of the message; then 421 4.4.2. <see cref="MinDataRate"/> alone would let
    /// a client trickle a 25 MiB message for 14 hours; 30 minutes still carries 25 MiB over a 120 kbit/s link.
    /// Default 30 minutes.
    /// </summary>
    public TimeSpan MaxDataTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Prepend a Received header (RFC 5321 §4.4) before signing. Default true.</summary>
    public bool AddReceivedHeader { get; set; } = true;

    public string EffectiveServerName => ServerName ?? Dns.GetHostName();

    public IReadOnlyList<string> EffectiveAllowedNetworks => AllowedNetworks ?? DefaultAllowedNetworks;

    public IReadOnlyList<IPNetwork> ParseAllowedNetworks() => [.. EffectiveAllowedNetworks.Select(IPNetwork.Parse)];
}
