using System.Net;
using RelaySigner.Core.Net;

namespace RelaySigner.Delivery;

/// <summary>Outbound delivery settings, bound from <c>Relay:Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Relay:Delivery";

    /// <summary>
    /// The default retry schedule: 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h (the last step repeats until
    /// <see cref="MaxAge"/>).
    /// </summary>
    public static IReadOnlyList<TimeSpan> DefaultRetrySchedule { get; } =
    [
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(4),
    ];

    /// <summary>
    /// Send everything to this host instead of the recipients' MX hosts: <c>host:port</c>, <c>1.2.3.4:port</c> or
    /// <c>[::1]:port</c> (port defaults to 25). A host name is resolved via DNS (A/AAAA). Default: empty, which means
    /// MX delivery.
    /// </summary>
    public string? Smarthost { get; set; }

    /// <summary>
    /// Reads <see cref="Smarthost"/>, the one place it is parsed: true with null when none is set (MX delivery),
    /// false when it is not an endpoint.
    /// </summary>
    public bool TryGetSmarthost(out HostEndpoint? smarthost)
    {
        smarthost = null;
        return string.IsNullOrWhiteSpace(Smarthost) || HostEndpoint.TryParse(Smarthost, 25, out smarthost);
    }

    /// <summary>
    /// User name for SMTP AUTH at the <see cref="Smarthost"/> (e.g. a provider's submission port 587 where outbound
    /// port 25 is blocked). With credentials set the smarthost session must be TLS (STARTTLS) or the mail is deferred;
    /// AUTH is never sent to an MX host. Default: empty (no AUTH).
    /// </summary>
    public string? SmarthostUser { get; set; }

    /// <summary>Password for <see cref="SmarthostUser"/>; never logged. Default: empty.</summary>
    public string? SmarthostPassword { get; set; }

    /// <summary>
    /// The DNS resolver for MX and address lookups: <c>ip:port</c> or <c>[ipv6]:port</c> (port defaults to 53).
    /// Default: empty, which means the system's resolvers (<c>/etc/resolv.conf</c>).
    /// </summary>
    public string? DnsServer { get; set; }

    /// <summary>
    /// TCP port used for MX delivery (hosts found via MX or implicit MX, and address literals). Default: 25. Lets
    /// tests deliver to a sink on a loopback port. Not used for the smarthost, which carries its own port.
    /// </summary>
    public int MxPort { get; set; } = 25;

    /// <summary>
    /// Destinations that must be reached over TLS: recipient domains (exact match, e.g. <c>example.org</c>), or the
    /// smarthost as configured (<c>host:port</c>). A host that does not offer STARTTLS is skipped and, if none does,
    /// the recipients are deferred (4.7.4) rather than sent in clear. Default: empty (opportunistic TLS everywhere).
    /// </summary>
    public List<string> RequireTlsDomains { get; set; } = [];

    /// <summary>
    /// The relay's own outbound addresses, as receivers see them: IP addresses or CIDR networks (<c>192.0.2.10</c>,
    /// <c>2001:db8::/64</c>). <c>dns check</c> expects SPF to authorise them, and <c>dmarc report</c>/<c>advise</c> count
    /// mail from them as the relay's. Delivery does not bind to them. Default: empty.
    /// </summary>
    public List<string> SourceAddresses { get; set; } = [];

    /// <summary>The name sent in EHLO/HELO. Default: empty, which means the machine's host name.</summary>
    public string? HeloName { get; set; }

    /// <summary>Limit for establishing one TCP connection (per IP address tried). Default: 30 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Limit for each read or write on an established SMTP connection (greeting, each reply, each chunk of DATA):
    /// the MailKit <c>Timeout</c>, also enforced on asynchronous I/O. Default: 5 minutes.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Delays between attempts for recipients that are still pending; the last entry repeats. Default: empty, which
    /// means <see cref="DefaultRetrySchedule"/> (1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h). Read it through
    /// <see cref="EffectiveRetrySchedule"/>: configuration binding appends to a list, so the defaults are not
    /// stored here.
    /// </summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    /// <summary>
    /// How long a message may stay in the queue; recipients still pending after this fail (DSN). Default: 5 days.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(5);

    /// <summary>
    /// A recipient still pending this long after the message arrived gets its sender one delay warning (a DSN with
    /// <c>Action: delayed</c> and Will-Retry-Until, RFC 3464), at most once per message, unless its NOTIFY excludes
    /// DELAY or the sender is <c>&lt;&gt;</c>. Default: 4 hours; zero turns warnings off.
    /// </summary>
    public TimeSpan DelayWarningAfter { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// Spread of each retry delay: a delay d becomes a random time in [d × (1 − RetryJitter), d × (1 + RetryJitter)],
    /// so messages deferred together (a destination outage) do not all come back in the same second. 0 to 0.5.
    /// Default: 0.1 (±10 %).
    /// </summary>
    public double RetryJitter { get; set; } = 0.1;

    /// <summary>
    /// Most SMTP sessions open at once to one destination (a recipient domain, or the smarthost); more wait their turn.
    /// Default: 10.
    /// </summary>
    public int MaxConnectionsPerDestination { get; set; } = 10;

    /// <summary>
    /// Most messages per second handed to one destination (sessions started); 0 means no rate limit. Default: 0.
    /// </summary>
    public double MessagesPerSecondPerDestination { get; set; }

    /// <summary>
    /// Sessions in a row (within a minute) that reached no host of a destination before its circuit opens and
    /// deliveries there are deferred without trying, for <see cref="CircuitBreakDuration"/>. At least 2. Default: 5.
    /// </summary>
    public int CircuitBreakerFailures { get; set; } = 5;

    /// <summary>How long an open circuit defers deliveries to an unreachable destination. Default: 1 minute.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a session stays open after a transaction, for the next message to the same host (RSET in between, no
    /// new TCP/TLS handshake). 0 closes every session after its message. Default: 5 seconds.
    /// </summary>
    public TimeSpan ConnectionReuseTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most outbound SMTP sessions open at once, all destinations together. Default: 100.</summary>
    public int MaxConnections { get; set; } = 100;

    /// <summary>How many SMTP deliveries may run at the same time. Default: 20.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 20;

    /// <summary>
    /// How long a claimed message is leased to one delivery worker; if the worker dies, the message is due again
    /// after this. Must exceed the longest attempt (connect timeouts per address plus command timeouts). Default:
    /// 15 minutes.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The configured <see cref="RetrySchedule"/>, or <see cref="DefaultRetrySchedule"/> when none is configured.</summary>
    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule =>
        RetrySchedule.Count > 0 ? RetrySchedule : DefaultRetrySchedule;

    /// <summary>The configured <see cref="HeloName"/>, or the machine's host name.</summary>
    public string EffectiveHeloName =>
        string.IsNullOrWhiteSpace(HeloName) ? Dns.GetHostName() : HeloName.Trim();

    /// <summary>One <see cref="SourceAddresses"/> entry: a CIDR network, or an address as its own /32 or /128.</summary>
    public static bool TryParseSourceAddress(string value, out IPNetwork network)
    {
        if (IPAddress.TryParse(value, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(value, out network);
    }

}
