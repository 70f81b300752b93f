using System.Net;
using System.Text;
using MimeKit;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>
/// Header fields that MimeKit, dkimpy and Python's email package read differently are refused over SMTP, never
/// signed; the legitimate forms still arrive signed, and Python reads the same From domain the signature names.
/// </summary>
public sealed class AmbiguousHeaderTests(AmbiguousHeaderTests.Relay relay) : IClassFixture<AmbiguousHeaderTests.Relay>
{
    private const string Rest = "To: rcpt@example.org\r\nSubject: x\r\n\r\nbody\r\n";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("From\r\n : ceo@victim.org\r\n", "550 5.6.0 header line 1 is malformed")]
    [InlineData("From : ceo@victim.org\r\n", "550 5.6.0 header line 1 is malformed")]
    [InlineData("From: app@example.com\r\nFrom\u000b: ceo@victim.org\r\n", "550 5.6.0 header line 2 is malformed")]
    [InlineData("From: app@example.com\r\n\t\r\nFrom: ceo@victim.org\r\n", "550 5.6.0 header line 2 is malformed")]
    [InlineData("From: ceo@victim.org <app@example.com>\r\n", "550 5.6.0 From header is ambiguous (an @ outside quotes")]
    [InlineData("From: <app@example.com>@victim.org\r\n", "550 5.6.0 From header is ambiguous (text after the address)")]
    [InlineData("From: App <app@example.com> <ceo@victim.org>\r\n", "550 5.6.0 From header is ambiguous (text after the address)")]
    [InlineData("From: <@victim.org:app@example.com>\r\n", "550 5.6.0 From header is ambiguous (a source route")]
    [InlineData("From: app@example.com (ceo@victim.org)\r\n", "550 5.6.0 From header is ambiguous (a comment")]
    [InlineData("From: =?utf-8?q?ceo=40victim.org?= <app@example.com>\r\n", "550 5.6.0 From header is ambiguous (an encoded word")]
    [InlineData("From: \"ceo@victim.org\"@example.com\r\n", "550 5.6.0 From header is ambiguous (an @ inside a quoted local part)")]
    [InlineData("From: group: app@example.com;\r\n", "550 5.6.0 From header must hold exactly one mailbox")]
    public async Task A_header_that_parsers_read_differently_is_refused_at_the_end_of_data(string from, string reply)
    {
        var answer = await RawSmtpClient.SendMessageAsync(relay.Port, "app@example.com", "rcpt@example.org", Encoding.UTF8.GetBytes(from + Rest));

        Assert.StartsWith(reply, answer);
    }

    [Theory]
    [InlineData("From: app@example.com\r\n")]
    [InlineData("From: App Example <app@example.com>\r\n")]
    [InlineData("From: \"ceo@victim.org\" <app@example.com>\r\n")]
    [InlineData("From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <app@example.com>\r\n")]
    [InlineData("From: Jörg Müller <jörg@example.com>\r\n")]
    [InlineData("From: J. R. Example\r\n <app@example.com>\r\n")]
    public async Task A_legitimate_from_arrives_signed_and_python_reads_the_domain_the_signature_names(string from)
    {
        var messageId = $"Message-ID: <{Guid.NewGuid():N}@example.com>\r\n";
        var answer = await RawSmtpClient.SendMessageAsync(relay.Port, "app@example.com", "rcpt@example.org", Encoding.UTF8.GetBytes(from + messageId + Rest), smtpUtf8: true);
        Assert.StartsWith("250 2.0.0", answer);
        var received = await relay.ReceivedWithAsync(messageId);

        var (exitCode, verdict) = await Dkimpy.VerifyAsync(received);
        Assert.True(exitCode == 0, verdict);
        Assert.Contains("pass d=example.com", verdict);
        var (_, python) = await PythonVerifier.RunAsync("python_email_from.py", received);
        Assert.Equal(["default example.com", "compat32 example.com"], python.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Why the unquoted @ is refused: the relay's parser and Python's show different domains for the same bytes.</summary>
    [Fact]
    public async Task Python_reads_an_unquoted_at_in_the_display_name_as_another_domain_than_mimekit_does()
    {
        var message = Encoding.ASCII.GetBytes("From: ceo@victim.org <app@example.com>\r\n" + Rest);

        var mimeKit = (MailboxAddress)MimeMessage.Load(new MemoryStream(message)).From.Single();
        var (_, python) = await PythonVerifier.RunAsync("python_email_from.py", message);

        Assert.Equal("example.com", mimeKit.Domain);
        Assert.Contains("default victim.org", python);
    }

    /// <summary>One relay and sink for the class: its rows send one after another.</summary>
    public sealed class Relay : IAsyncLifetime
    {
        private readonly TempFolder _queue = new();
        private RelayUnderTest? _relay;

        public SmtpSink Sink { get; } = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));

        public int Port => _relay!.Port;

        /// <summary>The next message the sink received that holds <paramref name="text"/>; others (a row's that should have been refused) are skipped.</summary>
        public async Task<byte[]> ReceivedWithAsync(string text)
        {
            while (true)
            {
                var received = await Sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
                if (Encoding.UTF8.GetString(received.Content).Contains(text, StringComparison.Ordinal))
                {
                    return received.Content;
                }
            }
        }

        public async Task InitializeAsync() => _relay = await RelayUnderTest.StartAsync(_queue.Path, Sink.Endpoint);

        public async Task DisposeAsync()
        {
            await _relay!.DisposeAsync();
            await Sink.DisposeAsync();
            _queue.Dispose();
        }
    }
}
