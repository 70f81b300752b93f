using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RelaySigner.Admin.Auth;
using RelaySigner.Admin.Dashboard;
using RelaySigner.Core.Telemetry;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Admin;

/// <summary>
/// The admin HTTP listener: <c>/healthz</c> (the process answers), <c>/readyz</c> (<see cref="ReadinessCheck"/>,
/// 503 listing what failed), <c>/metrics</c> (Prometheus text, by OpenTelemetry; behind the login when
/// <see cref="AdminOptions.ProtectMetrics"/>), and the dashboard (<c>/</c>, <c>/domains/…</c>, <c>/delivery</c>) behind
/// the login (<c>/login</c>: <see cref="AdminLoginEndpoints"/>; or the bearer token).
/// </summary>
/// <remarks>
/// A small Kestrel app of its own, started and stopped as one hosted service of the relay host rather than turning
/// the relay into a web host: the relay stays a Generic Host whose builder and services tests and the CLI use as
/// they are, nothing of ASP.NET (middleware, routing) sits near the SMTP pipeline, and an empty
/// <see cref="AdminOptions.Urls"/> leaves Kestrel out entirely. It shares the relay's logger factory. Its
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
    ILogger<AdminListenerService> logger) : IHostedService, IAsyncDisposable
{
    private static readonly string[] ReadOnlyMethods = [HttpMethods.Get, HttpMethods.Head];

    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var urls = options.Value.UrlList;
        if (urls.Count == 0)
        {
            return;
        }

        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.TokenPath) && token.Load(settings.TokenPath))
        {
            AdminLog.TokenCreated(logger, settings.TokenPath);
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls([.. urls]);
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(Options.Create(settings));
        builder.Services.AddSingleton(dashboard);
        builder.Services.AddSingleton(token);
        builder.Services.AddSingleton(new AdminUserDirectory(options));
        builder.Services.AddSingleton(new AuthFailureThrottle(settings.MaxLoginFailures, settings.LoginFailureWindow, time));
        builder.Services.AddAdminAuthentication();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("relaysigner"))
            .WithMetrics(metrics => metrics.AddMeter(RelayMetrics.MeterName).AddPrometheusExporter());

        var app = builder.Build();
        app.Use(SecurityHeaders);
        app.UseAuthentication();
        app.UseAuthorization();
        // Read-only endpoints: anything but GET and HEAD gets 405 with an Allow header (RFC 9110 §15.5.6) from
        // routing; the Prometheus endpoint alone would answer every method.
        app.MapMethods("/healthz", ReadOnlyMethods, () => "ok\n");
        app.MapMethods("/readyz", ReadOnlyMethods, ReadyAsync);
        var metrics = app.MapPrometheusScrapingEndpoint().WithMetadata(new HttpMethodMetadata(ReadOnlyMethods));
        if (settings.ProtectMetrics)
        {
            metrics.RequireAuthorization();
        }

        app.MapAdminLogin();
        app.MapDashboard();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;

        addresses.Set(app.Urls);
        foreach (var url in app.Urls)
        {
            AdminLog.Listening(logger, url);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
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
