using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Intake.Auth;
using RelaySigner.Intake.Listening;
using RelaySigner.Intake.Policy;
using SmtpServer;

namespace RelaySigner.Intake.Inbound;

/// <summary>
/// The inbound listener (<c>Relay:Inbound:Port</c>; none by default): a second SmtpServer beside intake's, on the
/// same defences — the relay's listener (NoDelay, connection caps, 421 while stopping), session reader (timeouts,
/// size, line screens), replies, and the message checks at DATA — but with no AUTH (not offered, and refused with
/// 502), STARTTLS when the relay has a certificate, recipients only its handlers own (<see cref="InboundMailboxFilter"/>),
/// and messages handed to those handlers instead of the queue (<see cref="InboundMessageStore"/>).
/// </summary>
public sealed class InboundListenerService(
    IOptions<InboundOptions> options,
    IOptions<SmtpOptions> smtp,
    IServiceProvider services,
    BoundEndpoints bound,
    ConnectionLimiter limiter,
    IntakeDrain drain,
    IOptions<ShutdownOptions> shutdown,
    ServerCertificateSource certificates,
    TimeProvider time,
    ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _logger = loggers.CreateLogger<InboundListenerService>();
    private readonly CancellationTokenSource _stopping = new();
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Port is not { } port)
        {
            return Task.CompletedTask;
        }

        var serverName = smtp.Value.EffectiveServerName;
        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName(serverName)
            .CustomSmtpGreeting(_ => $"220 {serverName} ESMTP RelaySigner")
            .MaxMessageSize(smtp.Value.MaxMessageSize, MaxMessageSizeHandling.Strict)
            .CommandWaitTimeout(Timeout.InfiniteTimeSpan)
            .MaxRetryCount(int.MaxValue)
            .Endpoint(e => SmtpListenerService.Configure(e, new IPEndPoint(IPAddress.Parse(options.Value.Address), port), certificates.Current))
            .Build();

        // The handlers (and what they need: the suppression list…) are resolved only when the listener is on.
        var parts = new SmtpServer.ComponentModel.ServiceProvider();
        parts.Add(services.GetRequiredService<InboundMessageStore>());
        parts.Add(services.GetRequiredService<InboundMailboxFilter>());
        // Never SmtpServer's default authenticator, which accepts any password; AUTH is refused before it anyway.
        parts.Add(new RefusingUserAuthenticator());
        // No users: EHLO never advertises AUTH here, not even after STARTTLS.
        parts.Add(new RelayCommandFactory(new UserDirectory(Options.Create(new SmtpOptions()))));
        parts.Add(new NoDelayEndpointListenerFactory(bound, limiter, drain, smtp, time, loggers.CreateLogger<NoDelayEndpointListenerFactory>(), certificates)
        {
            Kind = ListenerKind.Inbound,
            OffersAuth = false,
        });

        _server = new SmtpServer.SmtpServer(serverOptions, parts);
        _server.SessionFaulted += (_, e) => ListenerLifetime.LogSessionFault(_logger, e);
        _running = _server.StartAsync(_stopping.Token);
        if (_running.IsFaulted)
        {
            return _running;
        }

        InboundLog.Listening(_logger, bound.Of(ListenerKind.Inbound).ToString());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        _server is null || _running is null
            ? Task.CompletedTask
            : ListenerLifetime.StopAsync(_server, _running, _stopping, drain, shutdown.Value.Timeout, _logger, cancellationToken);
}
