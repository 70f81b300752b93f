using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using RelaySigner.Core.Delivery;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Queue;
using RelaySigner.Queue.Feedback;
using RelaySigner.Queue.PostgreSql;
using RelaySigner.Queue.PostgreSql.Feedback;
using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Queue.Reports;

namespace RelaySigner.Queue;

public static class QueueServiceCollectionExtensions
{
    /// <summary>
    /// Registers the queue of <c>Relay:Queue:Provider</c> — the embedded SQLite file (default) or the shared
    /// PostgreSQL database — as <see cref="IMessageQueue"/>, <see cref="IQueueProbe"/>, the stores of the way back in
    /// the same database (<see cref="ISuppressionList"/>, <see cref="IEventOutbox"/>, <see cref="IFeedbackRates"/>,
    /// with <see cref="EventsOptions"/> bound from <c>Relay:Events</c>), <see cref="IBulkPauseStore"/>, the DMARC <see cref="IReportStore"/> and
    /// <see cref="IQueueAdministration"/> and <see cref="IHistoryPruning"/> with <see cref="HistoryPruner"/> running in the background, with <see cref="QueueOptions"/> bound from <c>Relay:Queue</c> and validated
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
        services.AddOptions<EventsOptions>()
            .Bind(configuration.GetSection(EventsOptions.SectionName))
            .ValidateOnStart();
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
            services.AddSingleton<IBulkPauseStore>(sp => new PostgreSqlBulkPauseStore(sp.GetRequiredService<NpgsqlDataSource>()));
            // The per-destination session limit and message rate then hold over every node (delivery registers local ones otherwise).
            services.AddSingleton<IDestinationSlots>(sp => new PostgreSqlDestinationSlots(
                sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IDestinationRate>(sp => new PostgreSqlDestinationRate(
                sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
            // Enqueues wake the other nodes' delivery through LISTEN/NOTIFY instead of leaving it to their poll.
            services.TryAddSingleton<DeliveryWakeup>();
            services.AddSingleton<PostgreSqlQueueNotifier>();
            services.AddHostedService(sp => sp.GetRequiredService<PostgreSqlQueueNotifier>());
            services.AddHostedService<PostgreSqlQueueListener>();
            AddQueue<PostgreSqlMessageQueue>(services);
            // Resolving the queue first brings the schema up to date (the feedback tables are migration 5).
            AddFeedback(services, sp =>
            {
                sp.GetRequiredService<PostgreSqlMessageQueue>();
                return new PostgreSqlFeedbackStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<IOptions<EventsOptions>>().Value, sp.GetService<EventsWakeup>());
            });
            services.AddSingleton<IReportStore>(sp => PostgreSqlReportStore.Open(
                sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            services.AddSingleton<IQueueAdministration>(sp =>
                new SqliteQueueAdministration(sp.GetRequiredService<IOptions<QueueOptions>>().Value.Path));
            services.AddSingleton<IBulkPauseStore>(sp => new SqliteBulkPauseStore(sp.GetRequiredService<IOptions<QueueOptions>>().Value.Path));
            AddQueue<SqliteMessageQueue>(services);
            // Writes through the queue's writer loop (one connection, shared fsyncs, no contention for the write lock); the
            // lookup at DATA on read connections of its own.
            AddFeedback(services, sp =>
            {
                var queue = sp.GetRequiredService<SqliteMessageQueue>();
                return new SqliteFeedbackStore(queue, sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<IOptions<EventsOptions>>().Value, queue.DatabasePath, sp.GetService<EventsWakeup>());
            });
            // In the queue's file, opened after the queue (which holds the folder lock and brings the schema up to date).
            services.AddSingleton<IReportStore>(sp => SqliteReportStore.Open(
                sp.GetRequiredService<SqliteMessageQueue>().DatabasePath, sp.GetRequiredService<TimeProvider>()));
        }

        return services;
    }

    /// <summary>The suppression list, events outbox and feedback counts: one store of the queue's database.</summary>
    private static void AddFeedback<TStore>(IServiceCollection services, Func<IServiceProvider, TStore> create)
        where TStore : class, ISuppressionList, IEventOutbox, IFeedbackRates
    {
        services.AddSingleton(create);
        services.AddSingleton<ISuppressionList>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IEventOutbox>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IFeedbackRates>(sp => sp.GetRequiredService<TStore>());
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
