using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using RelaySigner.Core.Feedback;
using RelaySigner.Queue;
using RelaySigner.Queue.PostgreSql;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// A fresh database on the shared server and the nodes a test opens on it, each with a pool of its own as separate
/// relay processes would have. Disposing stops the nodes (releasing their leases), then closes every pool.
/// </summary>
internal sealed class PostgreSqlTestDatabase : IAsyncDisposable
{
    private readonly List<PostgreSqlMessageQueue> _nodes = [];
    private readonly List<NpgsqlDataSource> _pools = [];
    private readonly Dictionary<string, NpgsqlDataSource> _poolsByNode = [];

    private PostgreSqlTestDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        Pool = Track(PostgreSqlDataSource.Create(Options("operator")));
        Administration = new PostgreSqlQueueAdministration(Pool);
    }

    public string ConnectionString { get; }

    /// <summary>A pool of the test's own, for operators' access and for looking at the tables.</summary>
    public NpgsqlDataSource Pool { get; }

    public IQueueAdministration Administration { get; }

    public static async Task<PostgreSqlTestDatabase> CreateAsync(PostgreSqlServer server) => new(await server.CreateDatabaseAsync());

    public QueueOptions Options(string node) =>
        new() { Provider = QueueProvider.PostgreSql, ConnectionString = ConnectionString, NodeName = node };

    /// <summary>Starts a node: its own pool, the schema brought up to date, its queue.</summary>
    /// <param name="events">Whether its attempts write events; not when not given.</param>
    public PostgreSqlMessageQueue OpenNode(string node, TimeProvider time, IOptions<EventsOptions>? events = null, EventsWakeup? eventsWakeup = null)
    {
        var pool = Track(PostgreSqlDataSource.Create(Options(node)));
        _poolsByNode[node] = pool;
        var queue = new PostgreSqlMessageQueue(pool, Microsoft.Extensions.Options.Options.Create(Options(node)), time,
            NullLogger<PostgreSqlMessageQueue>.Instance, events: events, eventsWakeup: eventsWakeup);
        _nodes.Add(queue);
        return queue;
    }

    /// <summary>The pool of a node <see cref="OpenNode"/> started.</summary>
    public NpgsqlDataSource PoolOf(string node) => _poolsByNode[node];

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var command = Pool.CreateCommand(sql);
        return (T?)await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        foreach (var pool in _pools)
        {
            await pool.DisposeAsync();
        }
    }

    private NpgsqlDataSource Track(NpgsqlDataSource pool)
    {
        _pools.Add(pool);
        return pool;
    }
}
