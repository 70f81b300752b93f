using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

public static class QueueServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded SQLite queue as the <see cref="IMessageQueue"/> singleton, with
    /// <see cref="QueueOptions"/> bound from <c>Relay:Queue</c> and validated at start, and
    /// <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is already registered, and the
    /// queue's gauges (<see cref="QueueGauges"/>) on the host's meter factory.
    /// </summary>
    public static IServiceCollection AddRelayQueue(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<QueueOptions>()
            .Bind(configuration.GetSection(QueueOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), $"{QueueOptions.SectionName}:Path must not be empty.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton(sp =>
        {
            var queue = ActivatorUtilities.CreateInstance<SqliteMessageQueue>(sp);
            QueueGauges.Register(sp.GetRequiredService<IMeterFactory>(), queue, sp.GetRequiredService<TimeProvider>());
            return queue;
        });
        services.AddSingleton<IMessageQueue>(sp => sp.GetRequiredService<SqliteMessageQueue>());
        return services;
    }
}
