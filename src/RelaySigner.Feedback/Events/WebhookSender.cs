using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Feedback.Events;

/// <summary>
/// POSTs the events of the outbox to <see cref="EventsOptions.WebhookUrl"/>, one event per POST, signed
/// (<see cref="WebhookSignature"/>). Promise: an event leaves the outbox only after the receiver answered 2xx; any
/// other answer, a timeout or a lost connection sets its next try by <see cref="WebhookBackoff"/>, with no last try.
/// Delivery is at least once: an event sent but not marked done (a crash, the outbox down at that moment) is sent
/// again once its lease ends, with the same <c>id</c>. Events are claimed with a lease, so on a cluster each is sent
/// by one node at a time.
/// </summary>
public sealed class WebhookSender(
    IEventOutbox outbox,
    EventsWakeup wakeup,
    IHttpClientFactory httpClients,
    IOptions<EventsOptions> options,
    TimeProvider time,
    RelayMetrics metrics,
    ILogger<WebhookSender> logger,
    Random? random = null) : BackgroundService
{
    public const string HttpClientName = "RelaySigner.Events";

    /// <summary>Beyond the POSTs' own timeouts, how long a claimed batch stays leased (for the outbox's writes).</summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromMinutes(1);

    private readonly EventsOptions _settings = options.Value;
    private readonly WebhookBackoff _backoff = new(options.Value, random ?? Random.Shared);
    private readonly WebhookSignature _signature = new(options.Value.Secret ?? "");
    private readonly Uri _url = new(options.Value.WebhookUrl ?? throw new InvalidOperationException($"{EventsOptions.SectionName}:WebhookUrl is not set"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The URL's user info, path or query may hold a receiver's token: only the scheme, host and port are logged.
        EventsLog.Started(logger, $"{_url.Scheme}://{_url.Authority}", _settings.MaxConcurrentRequests);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var due = await ClaimAsync(stoppingToken).ConfigureAwait(false);
                if (due is null)
                {
                    continue;
                }

                if (due.Count == 0)
                {
                    await wakeup.WaitAsync(_settings.PollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                // A client per batch, as the factory intends: its pooled handlers are renewed, so a change of the
                // receiver's DNS is followed.
                using var client = httpClients.CreateClient(HttpClientName);
                var accepted = new ConcurrentBag<long>();
                try
                {
                    await Parallel.ForEachAsync(
                        due,
                        new ParallelOptions { MaxDegreeOfParallelism = _settings.MaxConcurrentRequests, CancellationToken = stoppingToken },
                        async (entry, cancellationToken) =>
                        {
                            if (await SendAsync(client, entry, cancellationToken).ConfigureAwait(false))
                            {
                                accepted.Add(entry.Id);
                            }
                        }).ConfigureAwait(false);
                }
                finally
                {
                    // Also when stopping: what the receiver took is not sent again after the restart. In id order, so
                    // two nodes completing at once lock the outbox's rows in the same order.
                    await CompleteAsync([.. accepted.Order()], stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: events in flight stay leased and are sent again when the lease ends.
        }
    }

    /// <returns>The due events; null after an outbox failure (the loop pauses, then tries again).</returns>
    private async Task<IReadOnlyList<OutboxEvent>?> ClaimAsync(CancellationToken stoppingToken)
    {
        // A batch is sent MaxConcurrentRequests at a time, each POST within Timeout.
        var rounds = (_settings.MaxBatch + _settings.MaxConcurrentRequests - 1) / _settings.MaxConcurrentRequests;
        try
        {
            return await outbox.ClaimAsync(_settings.MaxBatch, (_settings.Timeout * rounds) + LeaseMargin, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            EventsLog.OutboxUnavailable(logger, ex, "claim", _settings.PollInterval);
            await wakeup.WaitAsync(_settings.PollInterval, stoppingToken).ConfigureAwait(false);
            return null;
        }
    }

    /// <returns>True when the receiver answered 2xx; otherwise the event's next try is recorded.</returns>
    private async Task<bool> SendAsync(HttpClient client, OutboxEvent entry, CancellationToken stoppingToken)
    {
        var body = EventPayload.Write(entry.Id, entry.Event);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.HeaderName, _signature.HeaderValue(time.GetUtcNow(), body));

        // The timeout runs on the injected clock (HttpClient.Timeout is off), so tests can drive it.
        using var timeout = new CancellationTokenSource(_settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        WebhookResult result;
        string reason;
        try
        {
            // Headers only: the answer's body is not wanted, and a large one must not be buffered.
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                metrics.WebhookRequest(Label(WebhookResult.Accepted));
                EventsLog.Accepted(logger, entry.Event.QueueId?.Value, entry.Id, EventPayload.TypeName(entry.Event.Type), entry.Event.Recipient, status);
                return true;
            }

            result = status >= 500 ? WebhookResult.ServerError : WebhookResult.Refused;
            reason = $"HTTP {status}";
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            result = WebhookResult.Timeout;
            reason = $"no answer within {_settings.Timeout}";
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // HttpRequestException mostly (refused, reset, TLS); whatever it is, the event is kept and tried again.
            result = WebhookResult.Unreachable;
            reason = ex.Message;
        }

        metrics.WebhookRequest(Label(result));
        await RetryLaterAsync(entry, result, reason, stoppingToken).ConfigureAwait(false);
        return false;
    }

    private async Task RetryLaterAsync(OutboxEvent entry, WebhookResult result, string reason, CancellationToken stoppingToken)
    {
        var failures = entry.Attempts + 1;
        var next = time.GetUtcNow() + _backoff.DelayAfter(failures);
        EventsLog.NotAccepted(logger, entry.Event.QueueId?.Value, entry.Id, EventPayload.TypeName(entry.Event.Type), entry.Event.Recipient, result, reason, failures, next);
        try
        {
            await outbox.RetryAsync(entry.Id, next, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The event stays leased and is due again when the lease ends: later than planned, never lost.
            EventsLog.OutboxUnavailable(logger, ex, "retry", _settings.PollInterval);
        }
    }

    private async Task CompleteAsync(IReadOnlyList<long> ids, CancellationToken stoppingToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            // Not cancelled by the stop: marking done what was sent is quick and spares the receiver the repeats.
            await outbox.CompleteAsync(ids, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The receiver has them; they are sent again when their lease ends, and it drops them by id.
            EventsLog.OutboxUnavailable(logger, ex, "complete", _settings.PollInterval);
            await wakeup.WaitAsync(_settings.PollInterval, stoppingToken).ConfigureAwait(false);
        }
    }

    private static string Label(WebhookResult result) => result switch
    {
        WebhookResult.Accepted => "accepted",
        WebhookResult.Refused => "refused",
        WebhookResult.ServerError => "server_error",
        WebhookResult.Timeout => "timeout",
        _ => "unreachable",
    };
}
