using System.Net;

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
    /// The DNS resolver for MX and address lookups: <c>ip:port</c> or <c>[ipv6]:port</c> (port defaults to 53).
    /// Default: empty, which means the system's resolvers (<c>/etc/resolv.conf</c>).
    /// </summary>
    public string? DnsServer { get; set; }

    /// <summary>
    /// TCP port used for MX delivery (hosts found via MX or implicit MX, and address literals). Default: 25. Lets
    /// tests deliver to a sink on a loopback port. Not used for the smarthost, which carries its own port.
    /// </summary>
    public int MxPort { get; set; } = 25;

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

    /// <summary>
    /// The delay before attempt number <paramref name="attemptsMade"/> + 1, given that
    /// <paramref name="attemptsMade"/> attempts have been made (1 or more); the last step repeats.
    /// </summary>
    public TimeSpan RetryDelay(int attemptsMade)
    {
        var schedule = EffectiveRetrySchedule;
        var index = Math.Clamp(attemptsMade - 1, 0, schedule.Count - 1);
        return schedule[index];
    }
}
