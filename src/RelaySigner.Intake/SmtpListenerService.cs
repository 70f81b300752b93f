using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Intake.Listening;
using RelaySigner.Intake.Policy;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Storage;

namespace RelaySigner.Intake;

/// <summary>Runs the SmtpServer listener for the host's lifetime; a failure to bind stops the start.</summary>
public sealed class SmtpListenerService(
    IOptions<SmtpOptions> options,
    IMessageStore messageStore,
    IMailboxFilter mailboxFilter,
    IUserAuthenticator authenticator,
    NoDelayEndpointListenerFactory listenerFactory,
    BoundEndpoints bound,
    ILogger<SmtpListenerService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var smtp = options.Value;
        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName(smtp.ServerName ?? Dns.GetHostName())
            .MaxMessageSize(smtp.MaxMessageSize, MaxMessageSizeHandling.Strict)
            .CommandWaitTimeout(smtp.CommandTimeout)
            .Endpoint(endpoint => endpoint
                .Endpoint(new IPEndPoint(IPAddress.Parse(smtp.Address), smtp.Port))
                .SessionTimeout(smtp.SessionTimeout)
                .AllowUnsecureAuthentication(false))
            .Build();

        // SmtpServer's own service provider, so only these parts (and not its accept-anything authenticator) are used.
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(messageStore);
        services.Add(mailboxFilter);
        services.Add(authenticator);
        services.Add(listenerFactory);

        _server = new SmtpServer.SmtpServer(serverOptions, services);
        _server.SessionFaulted += (_, e) => IntakeLog.SessionFaulted(logger, e.Exception, ClientAddress.Of(e.Context)?.ToString());
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

        _server.Shutdown();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
