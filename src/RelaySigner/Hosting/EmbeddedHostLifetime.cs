using Microsoft.Extensions.Hosting;

namespace RelaySigner.Hosting;

/// <summary>
/// The admin web host runs inside the relay host, which owns the console: without this its default ConsoleLifetime
/// would log "Application started" a second time and register its own Ctrl+C/SIGTERM handlers.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
