using Microsoft.Extensions.Logging;
using RelaySigner.Intake.Policy;
using RelaySigner.Intake.Session;
using SmtpServer;

namespace RelaySigner.Intake.Listening;

/// <summary>How every SmtpServer instance of the relay stops and reports a session that ended badly.</summary>
internal static class ListenerLifetime
{
    /// <summary>
    /// Drains (<see cref="IntakeDrain"/>: new clients get 421, messages in DATA finish), bounded by
    /// <paramref name="timeout"/>, then closes the listeners and any session left.
    /// </summary>
    public static async Task StopAsync(
        SmtpServer.SmtpServer server, Task running, CancellationTokenSource stopping, IntakeDrain drain, TimeSpan timeout, ILogger logger,
        CancellationToken cancellationToken)
    {
        // DrainAsync closes the door before its first await: once this line is logged, new clients get 421.
        var drained = drain.DrainAsync(cancellationToken);
        IntakeLog.Draining(logger, timeout, drain.InData);
        try
        {
            await drained.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            IntakeLog.DrainTimedOut(logger, timeout, drain.InData);
        }

        server.Shutdown();
        await stopping.CancelAsync().ConfigureAwait(false);
        await running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public static void LogSessionFault(ILogger logger, SessionFaultedEventArgs e)
    {
        // A session we closed ourselves ends with an I/O error on the closed connection: log why we closed it.
        var client = ClientAddress.Of(e.Context)?.ToString();
        if (SessionGuard.Of(e.Context)?.ClosedWith is { } reply)
        {
            IntakeLog.SessionClosed(logger, client, reply);
        }
        else if (ConnectionLoss.Of(e.Exception) is { } loss)
        {
            // A client that resets or drops its connection is the network's ordinary business, not a fault.
            IntakeLog.ConnectionLost(logger, client, loss);
        }
        else if (e.Exception is System.Security.Authentication.AuthenticationException tls)
        {
            // A client (or a scanner) whose TLS does not match ours: its problem, told in one line.
            IntakeLog.TlsHandshakeFailed(logger, client, tls.Message);
        }
        else
        {
            IntakeLog.SessionFaulted(logger, e.Exception, client);
        }
    }
}
