using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RelaySigner.Hosting;

/// <summary>
/// A small Kestrel app of its own, started and stopped as one hosted service of the relay host rather than turning
/// the relay into a web host: the relay stays a Generic Host whose builder and services tests and the CLI use as
/// they are, nothing of ASP.NET (middleware, routing) sits near the SMTP pipeline, and no configured URL leaves
/// Kestrel out entirely. It shares the relay's logger factory. The admin and the unsubscribe listeners are two.
/// </summary>
public abstract class EmbeddedWebListener(ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Where to listen; none: no listener.</summary>
    protected abstract IReadOnlyList<string> Urls { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var urls = Urls;
        if (urls.Count == 0)
        {
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls([.. urls]);
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        Configure(builder);

        var app = builder.Build();
        Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Listening(app.Urls);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Adds what the listener needs besides Kestrel and routing.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    protected abstract void Map(WebApplication app);

    /// <summary>Called with the addresses bound (port 0 becomes a real port).</summary>
    protected abstract void Listening(ICollection<string> urls);
}
