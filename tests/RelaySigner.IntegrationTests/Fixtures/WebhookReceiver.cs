using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// An application's events endpoint on loopback (Kestrel): checks each POST's signature as the README tells
/// receivers to (401 when it fails), answers 500 to the events named in <see cref="FailuresLeft"/> as many times as
/// given there, 200 otherwise, and records every POST (<see cref="Received"/>, or awaited one by one with
/// <see cref="WaitForAsync"/>).
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _secret;
    private readonly ConcurrentQueue<ReceivedEvent> _received = new();
    private readonly Channel<ReceivedEvent> _arrivals = Channel.CreateUnbounded<ReceivedEvent>();
    private readonly List<ReceivedEvent> _waitedThrough = [];

    private WebhookReceiver(WebApplication app, string secret)
    {
        _app = app;
        _secret = secret;
        _app.MapPost("/hooks/relay", ReceiveAsync);
    }

    public string Url => $"{_app.Urls.Single()}/hooks/relay";

    /// <summary>Event id → how many more POSTs of it get a 500.</summary>
    public ConcurrentDictionary<string, int> FailuresLeft { get; } = new();

    public IReadOnlyList<ReceivedEvent> Received => [.. _received];

    /// <summary>
    /// The first POST, received already or to come, that <paramref name="match"/> accepts; each POST is matched once.
    /// For one test awaiting its events in turn.
    /// </summary>
    public async Task<ReceivedEvent> WaitForAsync(Func<ReceivedEvent, bool> match, TimeSpan patience)
    {
        var earlier = _waitedThrough.FindIndex(e => match(e));
        if (earlier >= 0)
        {
            var found = _waitedThrough[earlier];
            _waitedThrough.RemoveAt(earlier);
            return found;
        }

        using var timeout = new CancellationTokenSource(patience);
        while (true)
        {
            var arrived = await _arrivals.Reader.ReadAsync(timeout.Token);
            if (match(arrived))
            {
                return arrived;
            }

            _waitedThrough.Add(arrived);
        }
    }

    public static async Task<WebhookReceiver> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build(), secret);
        await receiver._app.StartAsync();
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var verified = WebhookVerifier.Verify(_secret, context.Request.Headers["X-RelaySigner-Signature"], body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))
            && context.Request.ContentType == "application/json; charset=utf-8";
        var json = JsonDocument.Parse(body).RootElement.Clone();
        var id = json.GetProperty("id").GetString()!;
        var fail = FailuresLeft.TryGetValue(id, out var left) && left > 0 && FailuresLeft.TryUpdate(id, left - 1, left);
        var answer = !verified ? StatusCodes.Status401Unauthorized : fail ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        var received = new ReceivedEvent(id, verified, answer, json);
        _received.Enqueue(received);
        _arrivals.Writer.TryWrite(received);
        context.Response.StatusCode = answer;
    }

    public sealed record ReceivedEvent(string Id, bool Verified, int Answer, JsonElement Body);
}
