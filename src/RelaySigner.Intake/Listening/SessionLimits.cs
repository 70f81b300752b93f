namespace RelaySigner.Intake.Listening;

/// <summary>What one session's reader enforces; taken from <see cref="SmtpOptions"/>.</summary>
internal sealed record SessionLimits(
    TimeSpan SessionTimeout,
    TimeSpan CommandTimeout,
    TimeSpan DataTimeout,
    TimeSpan MaxDataTime,
    int MinDataRate,
    int MaxMessageSize,
    string ServerName)
{
    /// <summary>The data rate is judged only once a message has taken this long.</summary>
    public static readonly TimeSpan DataRateGrace = TimeSpan.FromSeconds(30);

    /// <summary>Longest command line (RFC 5321 allows 512 octets, extensions a little more); longer closes the session.</summary>
    public const int MaxCommandBytes = 64 * 1024;

    public static SessionLimits From(SmtpOptions smtp) => new(
        smtp.SessionTimeout, smtp.CommandTimeout, smtp.DataTimeout, smtp.MaxDataTime, smtp.MinDataRate, smtp.MaxMessageSize, smtp.EffectiveServerName);
}
