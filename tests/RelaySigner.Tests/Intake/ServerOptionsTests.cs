using System.Security.Authentication;
using RelaySigner.Intake;
using SmtpServer.Authentication;

namespace RelaySigner.Tests.Intake;

/// <summary>SmtpServer's defaults that would hurt, each replaced.</summary>
public sealed class ServerOptionsTests
{
    [Fact]
    public void No_listener_has_smtpservers_session_lifetime_and_every_one_gets_tls_1_2_and_1_3_and_submission_ports_require_auth()
    {
        var options = SmtpListenerService.BuildServerOptions(new SmtpOptions { SubmissionPort = 587, ImplicitTlsPort = 465, ServerName = "relay.test" }, certificate: null);

        Assert.Equal(3, options.Endpoints.Count);
        Assert.All(options.Endpoints, e =>
        {
            // SmtpServer's lifetime is absolute and cuts a DATA in progress with 554: the session reader ends sessions instead.
            Assert.Equal(Timeout.InfiniteTimeSpan, e.SessionTimeout);
            // SmtpServer's default is TLS 1.2 only.
            Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, e.SupportedSslProtocols);
        });
        Assert.Equal([false, true, true], options.Endpoints.Select(e => e.AuthenticationRequired));
        Assert.Equal([false, false, true], options.Endpoints.Select(e => e.IsSecure));
        Assert.Equal(Timeout.InfiniteTimeSpan, options.CommandWaitTimeout);
        // SmtpServer's own greeting shows its version: "220 relay.test v11.1.0.0 ESMTP ready".
        Assert.Equal("220 relay.test ESMTP RelaySigner", options.CustomSmtpGreeting(null!));
    }

    /// <summary>Why the relay always registers its own authenticator.</summary>
    [Fact]
    public async Task Smtpservers_default_authenticator_accepts_any_credentials()
    {
        Assert.True(await UserAuthenticator.Default.AuthenticateAsync(null!, "anyone", "anything", CancellationToken.None));
    }
}
