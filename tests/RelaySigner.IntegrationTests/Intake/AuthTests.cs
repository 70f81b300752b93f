using System.Net;
using System.Security.Authentication;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
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
        Assert.Contains(relay.Logs.Lines, l => l.Contains("authenticated: client=127.0.0.1 user=app"));
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

    [Fact]
    public async Task The_submission_port_requires_auth_even_from_an_allowed_network()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, IntakeRelay.User(0, "app", "example.com"));
        using var client = await TlsSubmission.ConnectAsync(relay.SubmissionPort, SecureSocketOptions.StartTls);

        var refused = await Assert.ThrowsAsync<ServiceNotAuthenticatedException>(() =>
            TlsSubmission.SendAsync(client, "app@example.com", ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org")));

        Assert.StartsWith("5.7.0 Authentication required", refused.Message);
    }

    private static string Plain(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
}
