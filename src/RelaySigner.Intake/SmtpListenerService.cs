using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Intake.Listening;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Storage;

namespace RelaySigner.Intake;

/// <summary>
/// Runs the SmtpServer listeners for the host's lifetime; a failure to bind stops the start. Stopping drains first
/// (<see cref="IntakeDrain"/>, bounded by <see cref="ShutdownOptions.Timeout"/>), then closes the listeners and any session left.
/// </summary>
public sealed class SmtpListenerService(
    IOptions<SmtpOptions> options,
    IMessageStore messageStore,
    IMailboxFilter mailboxFilter,
    IUserAuthenticator authenticator,
    RelayCommandFactory commandFactory,
    NoDelayEndpointListenerFactory listenerFactory,
    BoundEndpoints bound,
    IntakeDrain drain,
    IOptions<ShutdownOptions> shutdown,
    ServerCertificateSource certificates,
    ILogger<SmtpListenerService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new SmtpServer.SmtpServer(BuildServerOptions(options.Value, certificates.Current), BuildServices());
        _server.SessionFaulted += (_, e) => ListenerLifetime.LogSessionFault(logger, e);
        _running = _server.StartAsync(_stopping.Token);

        // Listeners are created synchronously inside StartAsync; a bind failure has already faulted the task.
        if (_running.IsFaulted)
        {
            return _running;
        }

        foreach (var endpoint in bound.All)
        {
            IntakeLog.Listening(logger, endpoint.ToString());
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null || _running is null)
        {
            return;
        }

        await ListenerLifetime.StopAsync(_server, _running, _stopping, drain, shutdown.Value.Timeout, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One endpoint per configured port. Every endpoint: no session lifetime of SmtpServer's (its 2-minute default
    /// is absolute and cuts a DATA in progress with 554; the session reader ends sessions between commands
    /// instead), TLS 1.2 and 1.3 (its default is 1.2 only), and AUTH passed through without TLS only so that our
    /// check can answer it with 538 (see <see cref="RelayEhloCommand"/>). The greeting names the server, not
    /// SmtpServer's version.
    /// </summary>
    public static ISmtpServerOptions BuildServerOptions(SmtpOptions smtp, X509Certificate2? certificate)
    {
        var address = IPAddress.Parse(smtp.Address);
        var serverName = smtp.EffectiveServerName;
        var builder = new SmtpServerOptionsBuilder()
            .ServerName(serverName)
            .CustomSmtpGreeting(_ => $"220 {serverName} ESMTP RelaySigner")
            .MaxMessageSize(smtp.MaxMessageSize, MaxMessageSizeHandling.Strict)
            // Our session reader bounds every wait (command and data timeouts, on the injected TimeProvider).
            .CommandWaitTimeout(Timeout.InfiniteTimeSpan)
            // SmtpServer would end a session silently after this many errors in a row; our SessionGuard ends it
            // after MaxBadCommands errors with 421 4.7.0, so SmtpServer's count must never run out first.
            .MaxRetryCount(int.MaxValue)
            .Endpoint(e => Configure(e, new IPEndPoint(address, smtp.Port), certificate));
        if (smtp.SubmissionPort is { } submission)
        {
            builder.Endpoint(e => Configure(e, new IPEndPoint(address, submission), certificate).AuthenticationRequired());
        }

        if (smtp.ImplicitTlsPort is { } implicitTls)
        {
            builder.Endpoint(e => Configure(e, new IPEndPoint(address, implicitTls), certificate).AuthenticationRequired().IsSecure(true));
        }

        return builder.Build();
    }

    internal static EndpointDefinitionBuilder Configure(EndpointDefinitionBuilder endpoint, IPEndPoint at, X509Certificate2? certificate)
    {
        endpoint.Endpoint(at)
            .SessionTimeout(Timeout.InfiniteTimeSpan)
            .SupportedSslProtocols(SmtpOptions.TlsProtocols)
            .AllowUnsecureAuthentication(true);
        return certificate is null ? endpoint : endpoint.Certificate(certificate);
    }

    /// <summary>SmtpServer's own service provider, so only these parts (and not its accept-anything authenticator) are used.</summary>
    private SmtpServer.ComponentModel.ServiceProvider BuildServices()
    {
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(messageStore);
        services.Add(mailboxFilter);
        services.Add(authenticator);
        services.Add(commandFactory);
        services.Add(listenerFactory);
        return services;
    }
}
