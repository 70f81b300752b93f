namespace RelaySigner.Admin;

/// <summary>The admin HTTP listener (<c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>), bound from <c>Relay:Admin</c>.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Relay:Admin";

    /// <summary>
    /// Where the admin listener binds, separated by ';' (as ASPNETCORE_URLS), e.g. <c>http://127.0.0.1:8025</c>;
    /// port 0 picks a free port (see <see cref="AdminAddresses"/>). Empty: no admin listener. It has no
    /// authentication: keep it on loopback or a management network. Default: <c>http://127.0.0.1:8025</c>.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:8025";

    /// <summary>Longest a readiness check may take before it counts as failed. Default: 5 seconds.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<string> UrlList => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
