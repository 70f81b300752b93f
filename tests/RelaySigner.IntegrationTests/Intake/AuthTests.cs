using System.Net;
using System.Security.Authentication;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>AUTH only over TLS, only for configured users with the right password, throttled per IP.</summary>
public sealed class AuthTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static Task<IntakeRelay> StartOutsiderRelayAsync(IPEndPoint sink, params (string, string)[] settings) =>
        IntakeRelay.StartAsync(sink, null, [("Relay:Smtp:AllowedNetworks:0", "192.0.2.0/24"), .. IntakeRelay.User(0, "app", "example.com"), .. settings]);

    [Theory]
    [InlineData(SecureSocketOptions.StartTls, false)]
    [InlineData(SecureSocketOptions.SslOnConnect, true)]
    public async Task A_configured_user_authenticates_over_tls_with_tls_1_3_and_relays_from_outside_the_allowed_networks(SecureSocketOptions security, bool implicitTls)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartOutsiderRelayAsync(sink.Endpoint);
        var port = implicitTls ? relay.ImplicitTlsPort : relay.SubmissionPort;
        using var client = await TlsSubmission.ConnectAsync(port, security, "app", IntakeRelay.Password, SslProtocols.Tls13);

        var reply = await TlsSubmission.SendAsync(client, "app@example.com", ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org"));

        Assert.Equal(SslProtocols.Tls13, client.SslProtocol);
        Assert.Contains("queued as", reply);
        var received = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["rcpt@example.org"], received.Recipients);
        await relay.Logs.WaitForEventAsync(EventIds.Intake.AuthSucceeded, e => Equals(e["ClientAddress"], "127.0.0.1") && Equals(e["User"], "app"), Patience);
    }

    [Fact]
    public async Task Auth_before_tls_gets_538_5_7_11_and_is_not_advertised_until_tls()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartOutsiderRelayAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.ConnectAsync(relay.SubmissionPort);
        await client.ReadReplyAsync();

        var ehlo = await client.CommandAsync("EHLO client.test");
        var plain = await client.CommandAsync("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0app\0" + IntakeRelay.Password)));
        var login = await client.CommandAsync("AUTH LOGIN");

        Assert.Contains("STARTTLS", ehlo);
        Assert.DoesNotContain("AUTH", ehlo);
        Assert.StartsWith("538 5.7.11", plain);
        Assert.StartsWith("538 5.7.11", login);
        Assert.StartsWith("530 5.7.0", await client.CommandAsync("MAIL FROM:<app@example.com>"));

        Assert.StartsWith("220", await client.CommandAsync("STARTTLS"));
        await client.StartTlsAsync();
        Assert.Contains("AUTH PLAIN LOGIN", await client.CommandAsync("EHLO client.test"));
    }

    [Fact]
    public async Task Auth_login_works_over_tls_and_lets_the_user_relay()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartOutsiderRelayAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        await client.CommandAsync("STARTTLS");
        await client.StartTlsAsync();
        await client.CommandAsync("EHLO client.test");

        Assert.StartsWith("334", await client.CommandAsync("AUTH LOGIN"));
        Assert.StartsWith("334", await client.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("app"))));
        Assert.StartsWith("235", await client.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(IntakeRelay.Password))));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<rcpt@example.org>"));
    }

    [Theory]
    [InlineData("app", "wrong password")]
    [InlineData("nobody", IntakeRelay.Password)]
    [InlineData("", "")]
    public async Task Wrong_credentials_get_535_5_7_8_and_do_not_allow_relaying(string user, string password)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartOutsiderRelayAsync(sink.Endpoint);
        using var client = await TlsSubmission.ConnectAsync(relay.SubmissionPort, SecureSocketOptions.StartTls);

        var failed = await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => client.AuthenticateAsync(user, password));
        Assert.Contains("5.7.8", failed.Message);
        var refused = await Assert.ThrowsAsync<ServiceNotAuthenticatedException>(() =>
            TlsSubmission.SendAsync(client, "app@example.com", ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org")));
        Assert.StartsWith("5.7.0 Authentication required", refused.Message);
    }

    [Fact]
    public async Task After_max_failures_from_one_ip_even_the_right_password_gets_421_4_7_0_on_a_new_connection()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartOutsiderRelayAsync(sink.Endpoint, ("Relay:Smtp:MaxAuthFailures", "2"));
        await using var first = await RawSmtpClient.GreetedAsync(relay.SubmissionPort);
        await first.CommandAsync("STARTTLS");
        await first.StartTlsAsync();
        await first.CommandAsync("EHLO client.test");

        Assert.StartsWith("535 5.7.8", await first.CommandAsync("AUTH PLAIN " + Plain("app", "guess 1")));
        Assert.StartsWith("421 4.7.0", await first.CommandAsync("AUTH PLAIN " + Plain("app", "guess 2")));
        Assert.True(await first.IsClosedAsync());

        await using var second = await RawSmtpClient.GreetedAsync(relay.SubmissionPort);
        await second.CommandAsync("STARTTLS");
        await second.StartTlsAsync();
        await second.CommandAsync("EHLO client.test");
        Assert.StartsWith("421 4.7.0", await second.CommandAsync("AUTH PLAIN " + Plain("app", IntakeRelay.Password)));
    }

    [Theory]
    [InlineData(SecureSocketOptions.StartTls, false)]
    [InlineData(SecureSocketOptions.SslOnConnect, true)]
    public async Task The_submission_and_implicit_tls_ports_require_auth_even_from_an_allowed_network(SecureSocketOptions security, bool implicitTls)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, IntakeRelay.User(0, "app", "example.com"));
        using var client = await TlsSubmission.ConnectAsync(implicitTls ? relay.ImplicitTlsPort : relay.SubmissionPort, security);

        var refused = await Assert.ThrowsAsync<ServiceNotAuthenticatedException>(() =>
            TlsSubmission.SendAsync(client, "app@example.com", ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org")));

        Assert.StartsWith("5.7.0 Authentication required", refused.Message);
    }

    /// <summary>SmtpServer decoded these itself: the FormatException ended the session without a reply and logged a stack trace.</summary>
    [Fact]
    public async Task A_malformed_or_cancelled_auth_response_gets_501_and_the_session_goes_on()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartOutsiderRelayAsync(sink.Endpoint);
        await using var client = await TlsClientAsync(relay.SubmissionPort);

        Assert.StartsWith("334", await client.CommandAsync("AUTH PLAIN"));
        Assert.StartsWith("501 5.5.2", await client.CommandAsync("not base64!"));
        Assert.StartsWith("334", await client.CommandAsync("AUTH LOGIN"));
        Assert.StartsWith("334", await client.CommandAsync(Convert.ToBase64String("app"u8)));
        Assert.StartsWith("501 5.5.2", await client.CommandAsync("cGFzc3dvcmQ")); // unpadded
        Assert.StartsWith("334", await client.CommandAsync("AUTH LOGIN"));
        Assert.Equal("501 5.7.0 Authentication cancelled", await client.CommandAsync("*"));
        Assert.StartsWith("501 5.5.2", await client.CommandAsync("AUTH PLAIN %%%%"));

        Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync("AUTH PLAIN " + Plain("app", IntakeRelay.Password)));
        Assert.DoesNotContain(relay.Logs.Entries, e => e.EventId == EventIds.Intake.SessionFaulted);
    }

    /// <summary>
    /// SmtpServer read the PLAIN message with a pattern that stops at a LF: the first case was checked as the right
    /// password alone and got 235. A credential the relay cannot check whole is refused.
    /// </summary>
    [Theory]
    [InlineData("\0app\0" + IntakeRelay.Password + "\nanything")]
    [InlineData("\0app\0" + IntakeRelay.Password + "\r")]
    [InlineData("\0app\0" + IntakeRelay.Password + "\0more")]
    [InlineData("\0app\0")]
    [InlineData("app" + IntakeRelay.Password)]
    public async Task An_auth_plain_message_with_a_cr_lf_or_misplaced_nul_is_refused_with_501_5_5_2(string message)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartOutsiderRelayAsync(sink.Endpoint);
        await using var client = await TlsClientAsync(relay.SubmissionPort);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(message));

        Assert.StartsWith("501 5.5.2", await client.CommandAsync("AUTH PLAIN " + encoded));
        Assert.StartsWith("334", await client.CommandAsync("AUTH PLAIN"));
        Assert.StartsWith("501 5.5.2", await client.CommandAsync(encoded));
        Assert.StartsWith("530 5.7.0", await client.CommandAsync("MAIL FROM:<app@example.com>"));
    }

    [Fact]
    public async Task An_auth_login_password_with_a_line_feed_is_refused_with_501_5_5_2()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartOutsiderRelayAsync(sink.Endpoint);
        await using var client = await TlsClientAsync(relay.SubmissionPort);

        Assert.StartsWith("334", await client.CommandAsync("AUTH LOGIN " + Convert.ToBase64String("app"u8)));
        Assert.StartsWith("501 5.5.2", await client.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(IntakeRelay.Password + "\n"))));
        Assert.StartsWith("530 5.7.0", await client.CommandAsync("MAIL FROM:<app@example.com>"));
    }

    /// <summary>Connected, TLS started with STARTTLS, greeted again.</summary>
    private static async Task<RawSmtpClient> TlsClientAsync(int port)
    {
        var client = await RawSmtpClient.GreetedAsync(port);
        Assert.StartsWith("220", await client.CommandAsync("STARTTLS"));
        await client.StartTlsAsync();
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"));
        return client;
    }

    private static string Plain(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
}
