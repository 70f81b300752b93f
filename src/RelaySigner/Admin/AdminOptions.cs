namespace RelaySigner.Admin;

/// <summary>The admin HTTP listener (health, metrics, the dashboard), bound from <c>Relay:Admin</c>.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Relay:Admin";

    /// <summary>
    /// Where the admin listener binds, separated by ';' (as ASPNETCORE_URLS), e.g. <c>http://127.0.0.1:8025</c>;
    /// port 0 picks a free port (see <see cref="AdminAddresses"/>). Empty: no admin listener. An address other than
    /// loopback needs <see cref="Users"/> or <see cref="TokenPath"/>. Default: <c>http://127.0.0.1:8025</c>.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:8025";

    /// <summary>Longest a readiness check may take before it counts as failed. Default: 5 seconds.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// People who may log in to the dashboard (a form, then a cookie). Kept apart from the SMTP AUTH users: those
    /// passwords sit in applications' configuration, and a postmaster's login should not be able to send mail.
    /// Default: none.
    /// </summary>
    public List<AdminUserOptions> Users { get; set; } = [];

    /// <summary>
    /// A file holding a bearer token (one line) for scripts and Prometheus: <c>Authorization: Bearer &lt;token&gt;</c>.
    /// Made with a random token (mode 0600) at start when missing. Default: none.
    /// </summary>
    public string? TokenPath { get; set; }

    /// <summary>When true, <c>/metrics</c> needs a login or the token too; <c>/healthz</c> and <c>/readyz</c> stay open
    /// for load balancers and orchestrators. Default: false.</summary>
    public bool ProtectMetrics { get; set; }

    /// <summary>Failed logins (form or token) per client IP within <see cref="LoginFailureWindow"/> before the address
    /// gets 429 until its failures age out. Default: 5.</summary>
    public int MaxLoginFailures { get; set; } = 5;

    /// <summary>The window of <see cref="MaxLoginFailures"/>. Default: 15 minutes.</summary>
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    public IReadOnlyList<string> UrlList => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether anyone can log in at all.</summary>
    public bool HasAuthentication => Users.Count > 0 || !string.IsNullOrWhiteSpace(TokenPath);
}
