using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json;
using RelaySigner.Cli;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Operations;

/// <summary>
/// "Did my invoice to X go out, and what did their server say?": a message goes through the relay to a sink over
/// real sockets, leaves the queue, and <c>relaysigner history</c> finds it by Message-ID and by recipient with the
/// sink's reply.
/// </summary>
public sealed class MessageHistoryTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _queue = new();

    [Fact]
    public async Task A_delivered_message_is_found_by_message_id_and_by_recipient_with_the_sinks_reply()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint);
        var messageId = $"invoice-{Guid.NewGuid():N}@billing.example.com";
        var content = Encoding.ASCII.GetBytes(
            $"From: Billing <app@example.com>\r\nTo: <ap@customer.example.org>\r\nSubject: Invoice 2026-117\r\n" +
            $"Message-ID: <{messageId}>\r\n\r\nPlease find the invoice attached.\r\n");

        var reply = await Submission.SendAsync(relay.Port, "app@example.com", ["ap@customer.example.org"], content);
        var queueId = reply[(reply.LastIndexOf(' ') + 1)..];
        await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        await relay.Logs.WaitForEventAsync(EventIds.Queue.Removed, e => e.Text("QueueId") == queueId, Patience);

        foreach (var query in new[] { $"<{messageId}>", "AP@customer.example.org" })
        {
            var (exit, output, errors) = await HistoryAsync(query, "--json");
            Assert.Equal("", errors);
            Assert.Equal(0, exit);
            var message = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray().ToList());
            Assert.Equal(queueId, message.GetProperty("id").GetString());
            Assert.Equal(messageId, message.GetProperty("messageId").GetString());
            Assert.Equal("done", message.GetProperty("state").GetString());
            var attempt = Assert.Single(message.GetProperty("attempts").EnumerateArray().ToList());
            Assert.Equal("ap@customer.example.org", attempt.GetProperty("recipient").GetString());
            Assert.Equal("delivered", attempt.GetProperty("status").GetString());
            Assert.Equal($"{sink.Endpoint.Address}[{sink.Endpoint.Address}]:{sink.Endpoint.Port}", attempt.GetProperty("server").GetString());
            Assert.Equal(JsonValueKind.Null, attempt.GetProperty("tls").ValueKind); // the sink offers no STARTTLS
            Assert.Equal("250 2.0.0 Ok", attempt.GetProperty("reply").GetString());
            Assert.DoesNotContain("Invoice 2026-117", output, StringComparison.Ordinal);
        }

        // The text form, by queue id typed in lower case.
        var (status, text, _) = await HistoryAsync(queueId.ToLowerInvariant());
        Assert.Equal(0, status);
        Assert.Contains($"{queueId} ", text, StringComparison.Ordinal);
        Assert.Contains("delivered <ap@customer.example.org>", text, StringComparison.Ordinal);
        Assert.Contains("(250 2.0.0 Ok)", text, StringComparison.Ordinal);

        var (missing, _, complaint) = await HistoryAsync("nobody@example.org");
        Assert.Equal(1, missing);
        Assert.Contains("no message found", complaint, StringComparison.Ordinal);
    }

    public void Dispose() => _queue.Dispose();

    private async Task<(int Exit, string Output, string Errors)> HistoryAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await RelayCommandLine.Build().Parse(["history", .. args, $"--Relay:Queue:Path={_queue.Path}"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
        return (exit, output.ToString(), errors.ToString());
    }
}
