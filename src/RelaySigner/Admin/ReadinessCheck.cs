using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Intake;
using RelaySigner.Intake.Inbound;
using RelaySigner.Intake.Listening;
using RelaySigner.Queue;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Admin;

/// <summary>
/// What <c>/readyz</c> answers: the relay can take mail now. The queue takes a write (as every enqueue needs), at
/// least one DKIM key is loaded, every configured SMTP listener is bound, and the relay is
/// not shutting down (so a load balancer stops sending new connections before the listeners close).
/// </summary>
public sealed class ReadinessCheck(
    IQueueProbe queue,
    DkimKeyStore keys,
    BoundEndpoints listeners,
    IOptions<SmtpOptions> smtp,
    IOptions<InboundOptions> inbound,
    IOptions<AdminOptions> admin,
    IHostApplicationLifetime lifetime,
    ILogger<ReadinessCheck> logger)
{
    public async Task<IReadOnlyList<ReadinessResult>> RunAsync(CancellationToken cancellationToken)
    {
        ReadinessResult[] results =
        [
            await QueueAsync(cancellationToken).ConfigureAwait(false),
            Keys(),
            Listeners(),
            new("shutdown", lifetime.ApplicationStopping.IsCancellationRequested ? "the relay is stopping" : null),
        ];
        foreach (var failed in results.Where(r => !r.IsReady))
        {
            AdminLog.NotReady(logger, failed.Check, failed.Problem!);
        }

        return results;
    }

    private async Task<ReadinessResult> QueueAsync(CancellationToken cancellationToken)
    {
        try
        {
            await queue.ProbeWritableAsync(cancellationToken).WaitAsync(admin.Value.ReadinessTimeout, cancellationToken).ConfigureAwait(false);
            return new("queue", null);
        }
        catch (TimeoutException)
        {
            return new("queue", $"no write within {admin.Value.ReadinessTimeout}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new("queue", $"not writable: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private ReadinessResult Keys() =>
        new("keys", keys.SigningKeys.Any() ? null : $"no DKIM key loaded from {keys.KeysPath}");

    private ReadinessResult Listeners()
    {
        var options = smtp.Value;
        var expected = 1 + (options.SubmissionPort is null ? 0 : 1) + (options.ImplicitTlsPort is null ? 0 : 1) + (inbound.Value.Port is null ? 0 : 1);
        var bound = listeners.All.Count;
        return new("listeners", bound == expected ? null : $"{bound} of {expected} SMTP listeners bound");
    }
}
