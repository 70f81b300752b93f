using System.Net;
using System.Text;
using MailKit.Net.Smtp;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Operations;

/// <summary>The admin listener of a real relay (port 0): health, readiness and the Prometheus scrape after real traffic.</summary>
public sealed class AdminEndpointTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _queue = new();

    [Fact]
    public async Task Healthz_and_readyz_answer_200_when_the_queue_keys_and_listeners_are_up()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint);
        using var admin = new AdminClient(relay.Services);

        var health = await admin.GetAsync("/healthz");
        var ready = await admin.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("queue: ok\nkeys: ok\nlisteners: ok\nshutdown: ok\n", ready.Body);
    }

    [Fact]
    public async Task Every_admin_endpoint_answers_a_method_other_than_get_or_head_with_405_and_an_allow_header()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint);
        using var admin = new AdminClient(relay.Services);

        foreach (var path in new[] { "/metrics", "/healthz", "/readyz" })
        {
            foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
            {
                var (status, allow) = await admin.SendAsync(method, path);
                Assert.True(status == HttpStatusCode.MethodNotAllowed, $"{method} {path}: {status}");
                Assert.Equal(["GET", "HEAD"], allow.Order(StringComparer.Ordinal));
            }

            Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Head, path)).Status);
        }
    }

    [Fact]
    public async Task Readyz_answers_503_naming_the_failing_check_when_no_key_is_loaded()
    {
        using var emptyKeys = new TempFolder();
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint, ("Relay:Dkim:KeysPath", emptyKeys.Path));
        using var admin = new AdminClient(relay.Services);

        var ready = await admin.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Contains($"keys: no DKIM key loaded from {emptyKeys.Path}", ready.Body);
        Assert.Contains("queue: ok", ready.Body);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/healthz")).Status);
    }

    [Fact]
    public async Task Metrics_count_a_received_signed_delivered_and_a_refused_message_without_addresses_or_subjects()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint);
        using var admin = new AdminClient(relay.Services);
        // A destination domain no other test uses: every relay in this process shares the meter name, so only
        // series of our own can be asserted exactly.
        const string Recipient = "someone@metrics-e2e.example.org";
        const string Subject = "metrics-secret-subject";

        var reply = await Submission.SendAsync(relay.Port, "app@example.com", [Recipient], Submission.Message("app@example.com", Recipient, Subject));
        var queueId = reply[(reply.LastIndexOf(' ') + 1)..];
        await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        await relay.Logs.WaitForEventAsync(EventIds.Delivery.AttemptDone, e => Equals(e["QueueId"], queueId) && Equals(e["Attempt"], 1) && Equals(e["Delivered"], 1), Patience);
        await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Submission.SendAsync(relay.Port, "app@example.com", [Recipient], Encoding.ASCII.GetBytes("Subject: no author\r\n\r\nbody\r\n")));

        var (status, scrape) = await admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, AdminClient.Sample(scrape, "relaysigner_recipients_delivered_total", "destination=\"metrics-e2e.example.org\""));
        Assert.True(AdminClient.Sample(scrape, "relaysigner_delivery_latency_seconds_count") >= 1, scrape);
        Assert.True(AdminClient.Sample(scrape, "relaysigner_messages_received_total") >= 1, scrape);
        Assert.True(AdminClient.Sample(scrape, "relaysigner_messages_signed_total", "algorithm=\"rsa-sha256\"", "domain=\"example.com\"") >= 1, scrape);
        Assert.True(AdminClient.Sample(scrape, "relaysigner_messages_refused_total", "code=\"550\"", "enhanced_code=\"5.6.0\"") >= 1, scrape);
        Assert.NotNull(AdminClient.Sample(scrape, "relaysigner_queue_depth"));
        Assert.NotNull(AdminClient.Sample(scrape, "relaysigner_queue_oldest_age_seconds"));
        Assert.NotNull(AdminClient.Sample(scrape, "relaysigner_smtp_sessions_active"));
        Assert.Contains("service_name=\"relaysigner\"", scrape);
        Assert.DoesNotContain(Recipient, scrape);
        Assert.DoesNotContain("app@example.com", scrape);
        Assert.DoesNotContain(Subject, scrape);
    }

    public void Dispose() => _queue.Dispose();
}
