using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RelaySigner.Admin.Auth;
using RelaySigner.Admin.Dashboard;
using RelaySigner.Core.Telemetry;
using RelaySigner.Hosting;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Admin;

/// <summary>
/// The admin HTTP listener: <c>/healthz</c> (the process answers), <c>/readyz</c> (<see cref="ReadinessCheck"/>,
/// 503 listing what failed), <c>/metrics</c> (Prometheus text, by OpenTelemetry; behind the login when
/// <see cref="AdminOptions.ProtectMetrics"/>), and the dashboard (<c>/</c>, <c>/domains/…</c>, <c>/delivery</c>) behind
/// the login (<c>/login</c>: <see cref="AdminLoginEndpoints"/>; or the bearer token).
/// </summary>
/// <remarks>
/// An <see cref="EmbeddedWebListener"/>; an empty <see cref="AdminOptions.Urls"/> leaves Kestrel out entirely. Its
/// OpenTelemetry meter provider listens to the <see cref="RelayMetrics.MeterName"/> meter the stages write to.
/// Registered first (<see cref="RelayHost"/>), so it stops last and <c>/readyz</c> reports the shutdown meanwhile.
/// </remarks>
public sealed class AdminListenerService(
    IOptions<AdminOptions> options,
    ReadinessCheck readiness,
    AdminAddresses addresses,
    DashboardSources dashboard,
    AdminToken token,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    ILogger<AdminListenerService> logger) : EmbeddedWebListener(loggerFactory)
{
    private static readonly string[] ReadOnlyMethods = [HttpMethods.Get, HttpMethods.Head];

    protected override IReadOnlyList<string> Urls => options.Value.UrlList;

    protected override void Configure(WebApplicationBuilder builder)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.TokenPath) && token.Load(settings.TokenPath))
        {
            AdminLog.TokenCreated(logger, settings.TokenPath);
        }

        builder.Services.AddSingleton(Options.Create(settings));
        builder.Services.AddSingleton(dashboard);
        builder.Services.AddSingleton(token);
        builder.Services.AddSingleton(new AdminUserDirectory(options));
        builder.Services.AddSingleton(new AuthFailureThrottle(settings.MaxLoginFailures, settings.LoginFailureWindow, time));
        builder.Services.AddAdminAuthentication();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("relaysigner"))
            .WithMetrics(metrics => metrics.AddMeter(RelayMetrics.MeterName).AddPrometheusExporter());
    }

    protected override void Map(WebApplication app)
    {
        app.Use(SecurityHeaders);
        app.UseAuthentication();
        app.UseAuthorization();
        // Read-only endpoints: anything but GET and HEAD gets 405 with an Allow header (RFC 9110 §15.5.6) from
        // routing; the Prometheus endpoint alone would answer every method.
        app.MapMethods("/healthz", ReadOnlyMethods, () => "ok\n");
        app.MapMethods("/readyz", ReadOnlyMethods, ReadyAsync);
        var metrics = app.MapPrometheusScrapingEndpoint().WithMetadata(new HttpMethodMetadata(ReadOnlyMethods));
        if (options.Value.ProtectMetrics)
        {
            metrics.RequireAuthorization();
        }

        app.MapAdminLogin();
        app.MapDashboard();
    }

    protected override void Listening(ICollection<string> urls)
    {
        addresses.Set(urls);
        foreach (var url in urls)
        {
            AdminLog.Listening(logger, url);
        }
    }

    /// <summary>
    /// No script runs on these pages and nothing loads from elsewhere: the policy says so, so an injected tag could not
    /// run or send anything even if some value escaped encoding. Pages are never cached (they show live data).
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        return next(context);
    }

    private async Task<IResult> ReadyAsync(CancellationToken cancellationToken)
    {
        var results = await readiness.RunAsync(cancellationToken).ConfigureAwait(false);
        var body = string.Concat(results.Select(r => r + "\n"));
        return Results.Text(body, "text/plain", statusCode: results.All(r => r.IsReady) ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
