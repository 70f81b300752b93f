using System.Security.Authentication;
using RelaySigner.Intake;
using SmtpServer.Authentication;

namespace RelaySigner.Tests.Intake;

/// <summary>SmtpServer's defaults that would hurt, each replaced.</summary>
public sealed class ServerOptionsTests
{
    [Fact]
    public void Every_listener_gets_the_long_session_lifetime_tls_1_2_and_1_3_and_submission_ports_require_auth()
    {
        var options = SmtpListenerService.BuildServerOptions(new SmtpOptions { SubmissionPort = 587, ImplicitTlsPort = 465 }, certificate: null);

        Assert.Equal(3, options.Endpoints.Count);
        Assert.All(options.Endpoints, e =>
        {
            // SmtpServer's default of 2 minutes is an absolute lifetime that cuts a DATA in progress with 554.
            Assert.Equal(TimeSpan.FromHours(1), e.SessionTimeout);
            // SmtpServer's default is TLS 1.2 only.
            Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, e.SupportedSslProtocols);
        });
        Assert.Equal([false, true, true], options.Endpoints.Select(e => e.AuthenticationRequired));
        Assert.Equal([false, false, true], options.Endpoints.Select(e => e.IsSecure));
        Assert.Equal(Timeout.InfiniteTimeSpan, options.CommandWaitTimeout);
    }

    /// <summary>Why the relay always registers its own authenticator.</summary>
    [Fact]
    public async Task Smtpservers_default_authenticator_accepts_any_credentials()
    {
        Assert.True(await UserAuthenticator.Default.AuthenticateAsync(null!, "anyone", "anything", CancellationToken.None));
    }
}
