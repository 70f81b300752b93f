using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RelaySigner.Core.Telemetry;
using RelaySigner.Hosting;

namespace RelaySigner.Admin;

/// <summary>
/// The admin HTTP listener: <c>/healthz</c> (the process answers), <c>/readyz</c> (<see cref="ReadinessCheck"/>,
/// 503 listing what failed) and <c>/metrics</c> (Prometheus text, by OpenTelemetry).
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
    ILoggerFactory loggerFactory,
    ILogger<AdminListenerService> logger) : EmbeddedWebListener(loggerFactory)
{
    private static readonly string[] ReadOnlyMethods = [HttpMethods.Get, HttpMethods.Head];

    protected override IReadOnlyList<string> Urls => options.Value.UrlList;

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("relaysigner"))
            .WithMetrics(metrics => metrics.AddMeter(RelayMetrics.MeterName).AddPrometheusExporter());

    protected override void Map(WebApplication app)
    {
        // Read-only endpoints: anything but GET and HEAD gets 405 with an Allow header (RFC 9110 §15.5.6) from
        // routing; the Prometheus endpoint alone would answer every method.
        app.MapMethods("/healthz", ReadOnlyMethods, () => "ok\n");
        app.MapMethods("/readyz", ReadOnlyMethods, ReadyAsync);
        app.MapPrometheusScrapingEndpoint().WithMetadata(new HttpMethodMetadata(ReadOnlyMethods));
    }

    protected override void Listening(ICollection<string> urls)
    {
        addresses.Set(urls);
        foreach (var url in urls)
        {
            AdminLog.Listening(logger, url);
        }
    }

    private async Task<IResult> ReadyAsync(CancellationToken cancellationToken)
    {
        var results = await readiness.RunAsync(cancellationToken).ConfigureAwait(false);
        var body = string.Concat(results.Select(r => r + "\n"));
        return Results.Text(body, "text/plain", statusCode: results.All(r => r.IsReady) ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
