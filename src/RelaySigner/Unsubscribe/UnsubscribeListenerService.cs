using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Feedback.Unsubscribe;
using RelaySigner.Hosting;
using RelaySigner.Intake;

namespace RelaySigner.Unsubscribe;

/// <summary>
/// The one-click unsubscribe endpoint (RFC 8058) on <c>Relay:Unsubscribe:Urls</c>, an <see cref="EmbeddedWebListener"/>:
/// <list type="bullet">
/// <item><c>POST /u/TOKEN</c> with <c>List-Unsubscribe=One-Click</c> (form-urlencoded or multipart, as §3.1 allows)
/// suppresses the recipient and emits the event (<see cref="UnsubscribeRecorder"/>), answering 200 only once that is
/// durable; a store failure answers 503, so the receiver's retry (or the user's click) comes back.</item>
/// <item><c>GET /u/TOKEN</c> shows a confirmation page whose button makes that POST, and changes nothing: link
/// scanners and mail previews follow GETs (§1).</item>
/// <item>A token that is not one (length, alphabet) gets 400, one that fails authentication 404; neither changes
/// anything. Other methods get 405 from routing.</item>
/// </list>
/// Every answer carries <c>Cache-Control: no-store</c> (a cached page would hide a later change) and
/// <c>Referrer-Policy: no-referrer</c> (the token must not travel to another site). The body is bounded by
/// <see cref="UnsubscribeOptions.MaxRequestBodySize"/>, headers by Kestrel's limits. HTTPS uses the certificate of
/// <c>Relay:Smtp:Tls</c>, re-read when renewed; plain HTTP is meant for a TLS proxy in front.
/// </summary>
public sealed class UnsubscribeListenerService(
    IOptions<UnsubscribeOptions> options,
    IServiceProvider services,
    ServerCertificateSource certificates,
    UnsubscribeAddresses addresses,
    ILoggerFactory loggerFactory,
    ILogger<UnsubscribeListenerService> logger) : EmbeddedWebListener(loggerFactory)
{
    private const string Channel = "https";

    protected override IReadOnlyList<string> Urls => options.Value.UrlList;

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.WebHost.UseKestrelHttpsConfiguration().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Value.MaxRequestBodySize;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestLineSize = 4 * 1024;
            kestrel.ConfigureHttpsDefaults(https => https.ServerCertificateSelector = (_, _) => certificates.Current);
        });
        // Resolved here, not per request: a relay without the suppression list fails its start, not its first click.
        builder.Services.AddSingleton(services.GetRequiredService<UnsubscribeTokenCodec>());
        builder.Services.AddSingleton(services.GetRequiredService<UnsubscribeRecorder>());
        builder.Services.Configure<FormOptions>(form =>
        {
            form.ValueCountLimit = 8;
            form.MultipartBodyLengthLimit = options.Value.MaxRequestBodySize;
        });
    }

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'";
            await next(context).ConfigureAwait(false);
        });
        app.MapGet("/u/{token}", (string token, UnsubscribeTokenCodec codec) =>
            Open(codec, token) is { } opened ? Results.Content(UnsubscribePages.Confirm(opened.Domain), "text/html; charset=utf-8") : Rejected(token));
        app.MapPost("/u/{token}", UnsubscribeAsync);
    }

    protected override void Listening(ICollection<string> urls)
    {
        addresses.Set(urls);
        foreach (var url in urls)
        {
            UnsubscribeLog.Listening(logger, url);
        }
    }

    private async Task<IResult> UnsubscribeAsync(string token, HttpRequest request, UnsubscribeTokenCodec codec, UnsubscribeRecorder recorder, CancellationToken cancellationToken)
    {
        if (Open(codec, token) is not { } opened)
        {
            return Rejected(token);
        }

        if (!request.HasFormContentType)
        {
            return Results.Text("the body must be List-Unsubscribe=One-Click (RFC 8058)\n", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            // 413 for a body over the limit, 400 for one that breaks off.
            return Results.Text("the body is not a form within the size limit\n", statusCode: ex.StatusCode);
        }
        catch (InvalidDataException)
        {
            return Results.Text("the body is not a form within the size limit\n", statusCode: StatusCodes.Status400BadRequest);
        }

        if (form["List-Unsubscribe"] is not ["One-Click"])
        {
            return Results.Text("the body must be List-Unsubscribe=One-Click (RFC 8058)\n", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            await recorder.RecordAsync([opened], Channel, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            UnsubscribeLog.Failed(logger, ex, opened.Recipient, opened.Domain);
            return Results.Text("temporary failure, try again later\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Content(UnsubscribePages.Done(opened.Domain), "text/html; charset=utf-8");
    }

    private static UnsubscribeToken? Open(UnsubscribeTokenCodec codec, string token) =>
        UnsubscribeTokenCodec.TryParseUrlToken(token, out var sealedToken) && codec.TryOpen(sealedToken, out var opened) ? opened : null;

    private IResult Rejected(string token)
    {
        var malformed = !UnsubscribeTokenCodec.TryParseUrlToken(token, out _);
        UnsubscribeLog.TokenRejected(logger, Channel, malformed ? "malformed" : "not authentic");
        return malformed
            ? Results.Text("not an unsubscribe link\n", statusCode: StatusCodes.Status400BadRequest)
            : Results.Text("unknown or expired unsubscribe link\n", statusCode: StatusCodes.Status404NotFound);
    }
}
