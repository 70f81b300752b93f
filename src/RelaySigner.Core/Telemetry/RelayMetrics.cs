using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace RelaySigner.Core.Telemetry;

/// <summary>
/// The relay's instruments, all on the one <see cref="MeterName"/> meter, in one place so the names and labels stay
/// consistent. Labels are reason codes, domains and algorithms only: never an address, a Subject or a body, and no
/// per-recipient label (that would also make the series count unbounded); the destination domains are bounded by
/// <see cref="DestinationLabels"/>, and so are the sending domains of bounces and complaints. The queue gauges read
/// the store and are defined beside it (<c>RelaySigner.Queue.QueueGauges</c>), the feedback gauges likewise
/// (<c>RelaySigner.Feedback.Metrics.FeedbackGauges</c>).
/// </summary>
/// <remarks>Prometheus names: the exporter appends the unit and <c>_total</c> to counters, e.g.
/// <c>relaysigner_messages_received_total</c>, <c>relaysigner_delivery_latency_seconds_bucket</c>.</remarks>
public sealed class RelayMetrics
{
    public const string MeterName = "RelaySigner";

    /// <summary>The <c>kind</c> label values of bounces, as <c>relaysigner bounces parse</c> names the kinds.</summary>
    private static readonly FrozenSet<string> BounceKinds = FrozenSet.Create(StringComparer.Ordinal, "hard", "soft", "block", "autoreply", "auth-failure", "unknown");

    private readonly Counter<long> _received;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _signed;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _deferred;
    private readonly Counter<long> _bounced;
    private readonly Histogram<double> _deliveryLatency;
    private readonly UpDownCounter<long> _activeSessions;
    private readonly Counter<long> _bounces;
    private readonly Counter<long> _complaints;
    private readonly Counter<long> _webhookRequests;
    private readonly DestinationLabels _destinations;
    private readonly DestinationLabels _sendingDomains = new([]);

    /// <param name="destinations">Bounds the <c>destination</c> label; by default the first <see cref="DestinationLabels.DefaultMaxOthers"/> seen.</param>
    public RelayMetrics(IMeterFactory meterFactory, DestinationLabels? destinations = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _destinations = destinations ?? new DestinationLabels([]);
        var meter = meterFactory.Create(MeterName);
        _received = meter.CreateCounter<long>("relaysigner.messages.received", "{message}", "Messages accepted with 250 and queued");
        _refused = meter.CreateCounter<long>("relaysigner.messages.refused", "{message}", "Messages refused at the end of DATA, by reply code and enhanced status code");
        _signed = meter.CreateCounter<long>("relaysigner.messages.signed", "{signature}", "DKIM signatures made, by signing domain and algorithm");
        _delivered = meter.CreateCounter<long>("relaysigner.recipients.delivered", "{recipient}", "Recipients delivered, by destination domain");
        _deferred = meter.CreateCounter<long>("relaysigner.recipients.deferred", "{recipient}", "Recipient attempts deferred for a later retry, by destination domain");
        _bounced = meter.CreateCounter<long>("relaysigner.recipients.bounced", "{recipient}", "Recipients failed for good, by destination domain");
        _deliveryLatency = meter.CreateHistogram<double>("relaysigner.delivery.latency", "s", "Time from acceptance to delivery, per delivered recipient",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600] });
        _activeSessions = meter.CreateUpDownCounter<long>("relaysigner.smtp.sessions.active", "{session}", "Open inbound SMTP connections");
        _bounces = meter.CreateCounter<long>("relaysigner.bounces", "{recipient}", "Bounces that came back, by kind and sending (organisational From) domain");
        _complaints = meter.CreateCounter<long>("relaysigner.complaints", "{recipient}", "Complaints (ARF reports) that came back, by sending (organisational From) domain");
        _webhookRequests = meter.CreateCounter<long>("relaysigner.webhook.requests", "{request}", "Event POSTs to the webhook, by result");
    }

    public void MessageReceived() => _received.Add(1);

    public void MessageRefused(SmtpReply reply) =>
        _refused.Add(1, new("code", reply.Code), new("enhanced_code", reply.EnhancedCode));

    public void MessageSigned(string domain, string algorithm) =>
        _signed.Add(1, new("domain", domain), new("algorithm", algorithm));

    public void RecipientDelivered(string destinationDomain, TimeSpan sinceAccepted)
    {
        _delivered.Add(1, Destination(destinationDomain));
        _deliveryLatency.Record(Math.Max(0, sinceAccepted.TotalSeconds));
    }

    public void RecipientDeferred(string destinationDomain) =>
        _deferred.Add(1, Destination(destinationDomain));

    public void RecipientBounced(string destinationDomain) =>
        _bounced.Add(1, Destination(destinationDomain));

    private KeyValuePair<string, object?> Destination(string domain) => new("destination", _destinations.For(domain));

    /// <summary>
    /// One recipient's feedback that came back (a bounce, a complaint) for mail of <paramref name="domain"/>.
    /// </summary>
    /// <param name="kind">As <c>bounces parse</c> names it (<c>hard</c>, <c>soft</c>, <c>block</c>, <c>complaint</c>,
    /// <c>autoreply</c>, <c>auth-failure</c>, <c>unknown</c>; the enum member name works too): a complaint counts in
    /// <c>relaysigner_complaints_total</c>, any other kind in <c>relaysigner_bounces_total</c>, an unknown word as <c>unknown</c>.</param>
    /// <param name="domain">The organisational From domain of the message; the first
    /// <see cref="DestinationLabels.DefaultMaxOthers"/> seen get their own label, later ones count as <c>other</c>.</param>
    public void RecordFeedback(string kind, string domain)
    {
        var label = new KeyValuePair<string, object?>("domain", _sendingDomains.For(domain));
        var name = JsonNamingPolicy.KebabCaseLower.ConvertName(kind.Trim());
        if (name == "complaint")
        {
            _complaints.Add(1, label);
            return;
        }

        _bounces.Add(1, new KeyValuePair<string, object?>("kind", BounceKinds.Contains(name) ? name : "unknown"), label);
    }

    /// <param name="result">A fixed word: <c>accepted</c>, <c>refused</c>, <c>server_error</c>, <c>timeout</c>, <c>unreachable</c>.</param>
    public void WebhookRequest(string result) => _webhookRequests.Add(1, new KeyValuePair<string, object?>("result", result));

    public void SessionOpened() => _activeSessions.Add(1);

    public void SessionClosed() => _activeSessions.Add(-1);
}
