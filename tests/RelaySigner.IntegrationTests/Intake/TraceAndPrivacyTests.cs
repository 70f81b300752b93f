using System.Net;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>The Received header, the loop limit, and logs that never carry a Subject or body.</summary>
public sealed class TraceAndPrivacyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_received_header_from_the_session_only_is_added_under_the_dkim_signature_and_the_signature_verifies()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        var sent = Submission.Message("app@example.com", "rcpt@example.org", subject: "secret-subject-7", body: "secret-body-7\r\n");

        await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], sent);
        var received = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);

        var prepended = Encoding.ASCII.GetString(received.Content[..^sent.Length]);
        var fields = prepended.Split("\r\n").Where(l => l.Length > 0 && l[0] is not (' ' or '\t')).ToList();
        Assert.Equal(2, fields.Count);
        Assert.StartsWith("DKIM-Signature:", fields[0]);
        Assert.StartsWith("Received: from ", fields[1]);
        var trace = prepended[prepended.IndexOf("Received:", StringComparison.Ordinal)..];
        Assert.Matches(@"^Received: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby relay\.test \(RelaySigner\) with ESMTP;\r\n\t\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\n$", trace);
        Assert.DoesNotContain("secret", trace);
        var (exitCode, output) = await Dkimpy.VerifyAsync(received.Content);
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task The_received_header_can_be_turned_off()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:AddReceivedHeader", "false"));
        var sent = Submission.Message("app@example.com", "rcpt@example.org");

        await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], sent);
        var received = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);

        Assert.DoesNotContain("Received:", Encoding.ASCII.GetString(received.Content[..^sent.Length]));
    }

    [Theory]
    [InlineData(50, true)]
    [InlineData(51, false)]
    public async Task More_than_50_received_headers_get_554_5_4_6(int hops, bool accepted)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        var trace = string.Concat(Enumerable.Range(0, hops).Select(i => $"Received: from hop{i}.example.net\r\n\tby hop{i + 1}.example.net; Sat, 28 Nov 2026 10:00:00 +0000\r\n"));
        var message = Encoding.ASCII.GetBytes(trace + Encoding.ASCII.GetString(Submission.Message("app@example.com", "rcpt@example.org")));

        if (accepted)
        {
            Assert.Contains("queued as", await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], message));
            return;
        }

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], message));
        Assert.Equal(554, (int)refused.StatusCode);
        Assert.StartsWith("5.4.6", refused.Message);
    }

    [Fact]
    public async Task The_logs_of_full_sessions_carry_ids_addresses_user_and_size_but_never_the_subject_or_body()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, IntakeRelay.User(0, "app", "example.com"));
        using (var client = await TlsSubmission.ConnectAsync(relay.SubmissionPort, SecureSocketOptions.StartTls, "app", IntakeRelay.Password))
        {
            await TlsSubmission.SendAsync(client, "app@example.com", ["rcpt@example.org"],
                Submission.Message("app@example.com", "rcpt@example.org", subject: "Quarterly-Figures-XYZZY", body: "Confidential-Body-PLUGH\r\n"));
            await Assert.ThrowsAsync<SmtpCommandException>(() => TlsSubmission.SendAsync(client, "app@example.com", ["rcpt@example.org"],
                Submission.Message("app@example.org", "rcpt@example.org", subject: "Refused-Subject-XYZZY", body: "Refused-Body-PLUGH\r\n")));
            await client.DisconnectAsync(quit: true);
        }

        await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        var accepted = await relay.Logs.WaitForEventAsync(EventIds.Intake.Accepted, e => Equals(e["Sender"], "app@example.com"), Patience);
        var refused = await relay.Logs.WaitForEventAsync(EventIds.Intake.Refused, Patience);

        Assert.Matches("^[0-9A-F]+$", accepted.Text("QueueId"));
        Assert.Equal((1, "127.0.0.1", "app", "example.com"), (accepted["RecipientCount"], accepted["ClientAddress"], accepted["User"], accepted["SigningDomain"]));
        Assert.True((int)accepted["Size"]! > 0);
        Assert.Equal(("127.0.0.1", "app", "app@example.com"), (refused["ClientAddress"], refused["User"], refused["Sender"]));
        Assert.True((int)refused["Size"]! > 0);
        Assert.DoesNotContain(relay.Logs.Lines, l => l.Contains("XYZZY") || l.Contains("PLUGH") || l.Contains(IntakeRelay.Password));
    }
}
