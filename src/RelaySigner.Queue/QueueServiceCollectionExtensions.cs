using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using RelaySigner.Core.Delivery;
using RelaySigner.Core.Queue;
using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Queue.PostgreSql;
using RelaySigner.Queue.Reports;

namespace RelaySigner.Queue;

public static class QueueServiceCollectionExtensions
{
    /// <summary>
    /// Registers the queue of <c>Relay:Queue:Provider</c> — the embedded SQLite file (default) or the shared
    /// PostgreSQL database — as <see cref="IMessageQueue"/>, <see cref="IQueueProbe"/> and
    /// <see cref="IQueueAdministration"/> and <see cref="IHistoryPruning"/> with <see cref="HistoryPruner"/> running in the background, the DMARC <see cref="IReportStore"/> in the same database, with <see cref="QueueOptions"/> bound from <c>Relay:Queue</c> and validated
    /// at start, <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is already registered, and the
    /// queue's gauges (<see cref="QueueGauges"/>) on the host's meter factory.
    /// </summary>
    public static IServiceCollection AddRelayQueue(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<QueueOptions>()
            .Bind(configuration.GetSection(QueueOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        // An unknown provider registers the embedded queue here; the options validation then stops the start.
        var provider = Enum.TryParse<QueueProvider>(configuration[$"{QueueOptions.SectionName}:Provider"], ignoreCase: true, out var configured)
            ? configured
            : QueueProvider.Sqlite;
        if (provider == QueueProvider.PostgreSql)
        {
            services.AddSingleton(sp => PostgreSqlDataSource.Create(sp.GetRequiredService<IOptions<QueueOptions>>().Value));
            services.AddSingleton<IQueueAdministration>(sp => new PostgreSqlQueueAdministration(sp.GetRequiredService<NpgsqlDataSource>()));
            // The per-destination session limit then holds over every node (delivery registers a local count otherwise).
            services.AddSingleton<IDestinationSlots>(sp => new PostgreSqlDestinationSlots(
                sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
            AddQueue<PostgreSqlMessageQueue>(services);
            services.AddSingleton<IReportStore>(sp => PostgreSqlReportStore.Open(
                sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            services.AddSingleton<IQueueAdministration>(sp =>
                new SqliteQueueAdministration(sp.GetRequiredService<IOptions<QueueOptions>>().Value.Path));
            AddQueue<SqliteMessageQueue>(services);
            // In the queue's file, opened after the queue (which holds the folder lock and brings the schema up to date).
            services.AddSingleton<IReportStore>(sp => SqliteReportStore.Open(
                sp.GetRequiredService<SqliteMessageQueue>().DatabasePath, sp.GetRequiredService<TimeProvider>()));
        }

        return services;
    }

    private static void AddQueue<TQueue>(IServiceCollection services)
        where TQueue : class, IMessageQueue, IQueueProbe, IHistoryPruning
    {
        services.AddSingleton(sp =>
        {
            var queue = ActivatorUtilities.CreateInstance<TQueue>(sp);
            QueueGauges.Register(sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<IQueueAdministration>(),
                sp.GetRequiredService<TimeProvider>());
            return queue;
        });
        services.AddSingleton<IMessageQueue>(sp => sp.GetRequiredService<TQueue>());
        services.AddSingleton<IQueueProbe>(sp => sp.GetRequiredService<TQueue>());
        services.AddSingleton<IHistoryPruning>(sp => sp.GetRequiredService<TQueue>());
        services.AddHostedService<HistoryPruner>();
    }
}
