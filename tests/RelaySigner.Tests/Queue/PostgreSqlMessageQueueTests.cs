using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RelaySigner.Cli;
using RelaySigner.Core;
using RelaySigner.Core.Delivery;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;
using RelaySigner.Queue.PostgreSql;
using RelaySigner.Testing;
using static RelaySigner.Tests.Queue.QueueContractTests;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// What only the shared store does: several nodes on one database (claims, leases of a dead or stopping node,
/// fencing), its migrations, its commit setting, its wiring and the queue verbs on it. What every store does is in
/// <see cref="QueueContractTests"/>.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlMessageQueueTests(PostgreSqlServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private PostgreSqlTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgreSqlTestDatabase.CreateAsync(server);

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task Nodes_starting_at_once_on_an_empty_database_all_come_up_and_the_schema_is_created_once()
    {
        using var start = new Barrier(4);
        var nodes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            return _database.OpenNode($"node-{i}", _time);
        })));

        Assert.Equal(PostgreSqlMigrations.LatestVersion, await _database.ScalarAsync<int>("SELECT MAX(version) FROM relaysigner.schema_migrations"));
        Assert.Equal(PostgreSqlMigrations.Scripts.Count, await _database.ScalarAsync<long>("SELECT COUNT(*) FROM relaysigner.schema_migrations"));
        var id = await nodes[0].EnqueueAsync(Envelope("a@example.com"), Content("up"), CancellationToken.None);
        Assert.Equal(id, Assert.Single(await nodes[3].ClaimDueAsync(10, Lease, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task A_version_1_database_is_upgraded_with_its_queued_messages_which_then_leave_a_history()
    {
        var old = _database.OpenNode("old", _time);
        var id = await old.EnqueueAsync(Envelope("a@example.com"), Content("from version 1"), CancellationToken.None);
        await old.DisposeAsync();
        // Back to what 0001_queue.sql alone creates.
        await _database.ScalarAsync<object>(
            "DROP TABLE relaysigner.queue_attempts, relaysigner.message_history, relaysigner.destination_pace, " +
            "relaysigner.suppressions, relaysigner.events, relaysigner.feedback_counts, relaysigner.bulk_pauses; " +
            "ALTER TABLE relaysigner.queue_messages DROP COLUMN header_message_id, " +
            "DROP COLUMN dsn_ret, DROP COLUMN dsn_envid, DROP COLUMN dsn_delay_warned, " +
            "DROP COLUMN from_domain, DROP COLUMN from_org_domain; " +
            "ALTER TABLE relaysigner.queue_recipients DROP COLUMN dsn_notify, DROP COLUMN dsn_orcpt; " +
            "DROP TABLE relaysigner.dmarc_records, relaysigner.dmarc_reports, relaysigner.dmarc_source_days, relaysigner.dmarc_reporter_source_days; " +
            "DELETE FROM relaysigner.schema_migrations WHERE version > 1");

        var node = _database.OpenNode("new", _time);
        var lease = Assert.Single(await node.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        await node.RecordAttemptAsync(lease, [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok"))],
            _time.GetUtcNow(), null, CancellationToken.None);

        Assert.Equal(PostgreSqlMigrations.LatestVersion, await _database.ScalarAsync<int>("SELECT MAX(version) FROM relaysigner.schema_migrations"));
        var history = Assert.Single(_database.Administration.FindHistory(HistoryQuery.Parse("a@example.com"), null));
        Assert.Equal(id, history.Id);
        Assert.Equal("250 2.0.0 ok", Assert.Single(history.Attempts).Reply);
    }

    [Fact]
    public async Task The_content_toast_table_is_vacuumed_after_the_same_share_of_dead_rows_as_its_table()
    {
        await _database.OpenNode("node", _time).DisposeAsync();

        var options = await _database.ScalarAsync<string[]>(
            "SELECT t.reloptions FROM pg_class m JOIN pg_class t ON t.oid = m.reltoastrelid " +
            "WHERE m.oid = 'relaysigner.queue_messages'::regclass");

        Assert.Contains("autovacuum_vacuum_scale_factor=0.02", options!);
        Assert.Contains("autovacuum_vacuum_insert_scale_factor=0.02", options!);
    }

    [Fact]
    public async Task A_database_written_by_a_newer_build_is_refused()
    {
        await _database.OpenNode("old", _time).DisposeAsync();
        await _database.ScalarAsync<object>("INSERT INTO relaysigner.schema_migrations (version) VALUES (9999)");

        var refused = Assert.Throws<NotSupportedException>(() => _database.OpenNode("new", _time));
        Assert.Contains("schema version 9999", refused.Message);
    }

    [Fact]
    public async Task Sessions_commit_synchronously_even_when_the_database_default_turns_it_off()
    {
        var database = new NpgsqlConnectionStringBuilder(_database.ConnectionString).Database;
        await _database.ScalarAsync<object>($"ALTER DATABASE {database} SET synchronous_commit = off");
        await using var plain = NpgsqlDataSource.Create(_database.ConnectionString);
        await using var queue = PostgreSqlDataSource.Create(_database.Options("node-a"));

        Assert.Equal("off", await Show(plain));
        Assert.Equal("on", await Show(queue));

        static async Task<string?> Show(NpgsqlDataSource pool)
        {
            await using var command = pool.CreateCommand("SHOW synchronous_commit");
            return (string?)await command.ExecuteScalarAsync();
        }
    }

    [Theory]
    [InlineData("", 1L)]
    [InlineData(";No Reset On Close=false;Max Auto Prepare=0", 0L)] // the operator's connection string wins
    public async Task A_pooled_session_keeps_the_statements_it_prepared_when_it_goes_back_to_the_pool(string settings, long kept)
    {
        var options = _database.Options("node-a");
        options.ConnectionString += ";Maximum Pool Size=1" + settings; // one session, back in the pool after each command
        await using var pool = PostgreSqlDataSource.Create(options);
        for (var i = 0; i < 6; i++)
        {
            await using var count = pool.CreateCommand("SELECT COUNT(*) FROM pg_class");
            await count.ExecuteScalarAsync();
        }

        await using var prepared = pool.CreateCommand("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM pg_class'");
        Assert.Equal(kept, await prepared.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_killed_nodes_lease_passes_to_another_node_after_the_lease_duration_and_its_late_attempt_is_refused()
    {
        var killed = _database.OpenNode("node-a", _time);
        var survivor = _database.OpenNode("node-b", _time);
        var id = await killed.EnqueueAsync(Envelope("a@example.com", "b@example.com"), Content("failover"), CancellationToken.None);
        var stale = Assert.Single(await killed.ClaimDueAsync(10, Lease, CancellationToken.None)).Lease;
        Assert.Equal("node-a", Assert.Single(_database.Administration.List()).LeasedBy);

        // node-a stops answering (no dispose: kill -9 releases nothing); node-b waits out the lease.
        Assert.Empty(await survivor.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(_time.GetUtcNow() + Lease, await survivor.NextDueAtAsync(CancellationToken.None));
        _time.Advance(Lease);
        var taken = Assert.Single(await survivor.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(id, taken.Id);
        Assert.True(taken.LeaseToken > stale.Token);
        Assert.Equal("node-b", Assert.Single(_database.Administration.List()).LeasedBy);

        // node-a's late report is fenced off by the token; node-b's counts.
        await Assert.ThrowsAsync<LeaseLostException>(() => killed.RecordAttemptAsync(stale,
            [new RecipientOutcome("a@example.com", RecipientStatus.Failed, new SmtpReply(550, "5.1.1", "late"))],
            _time.GetUtcNow(), null, CancellationToken.None));
        await survivor.RecordAttemptAsync(taken.Lease, [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, null)],
            _time.GetUtcNow() + TimeSpan.FromMinutes(1), null, CancellationToken.None);
        var entry = Assert.Single(_database.Administration.List());
        Assert.Equal([RecipientStatus.Delivered, RecipientStatus.Pending], entry.Recipients.Select(r => r.Status));
        Assert.Null(entry.LeasedBy);
    }

    [Fact]
    public async Task A_node_that_stops_releases_its_leases_at_once_but_not_one_another_node_took_over()
    {
        var stopping = _database.OpenNode("node-a", _time);
        var other = _database.OpenNode("node-b", _time);
        var first = await stopping.EnqueueAsync(Envelope("a@example.com"), Content("1"), CancellationToken.None);
        Assert.Single(await stopping.ClaimDueAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await stopping.EnqueueAsync(Envelope("b@example.com"), Content("2"), CancellationToken.None);
        Assert.Single(await stopping.ClaimDueAsync(1, Lease, CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(1)); // the first lease expires; node-b takes that message over
        var takenOver = Assert.Single(await other.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(first, takenOver.Id);

        await stopping.DisposeAsync();

        // The second is due for node-b at once, without waiting out its lease; the first stays node-b's.
        Assert.Equal(second, Assert.Single(await other.ClaimDueAsync(10, Lease, CancellationToken.None)).Id);
        await other.RecordAttemptAsync(takenOver.Lease, [new RecipientOutcome("a@example.com", RecipientStatus.Delivered, null)],
            _time.GetUtcNow(), null, CancellationToken.None);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => stopping.ClaimDueAsync(1, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Nodes_claiming_at_the_same_time_never_get_the_same_message()
    {
        const int count = 300;
        var nodes = new[] { _database.OpenNode("node-a", TimeProvider.System), _database.OpenNode("node-b", TimeProvider.System) };
        await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            nodes[i % 2].EnqueueAsync(Envelope($"r{i}@example.com"), Content($"m{i}"), CancellationToken.None)));

        // Four workers per node, each claiming small batches until the queue is drained.
        var claims = await Task.WhenAll(nodes.SelectMany(node => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var mine = new List<QueueId>();
            while (await node.ClaimDueAsync(7, Lease, CancellationToken.None) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(m => m.Id));
            }

            return mine;
        }))));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(count, all.Count);
        Assert.Equal(count, all.Distinct().Count());
        Assert.True(claims.Count(c => c.Count > 0) > 1, "more than one worker got messages");
    }

    [Fact]
    public async Task Retry_all_makes_a_backlog_of_several_batches_due_and_leaves_leased_messages_alone()
    {
        var node = _database.OpenNode("node-a", _time);
        await node.EnqueueAsync(Envelope("a@example.com"), Content("leased"), CancellationToken.None);
        Assert.Single(await node.ClaimDueAsync(1, Lease, CancellationToken.None));
        await _database.ScalarAsync<object>("""
            INSERT INTO relaysigner.queue_messages (id, sender, received_at, next_attempt_at, attempts, size, content)
            SELECT 'backlog' || n, 's@example.com', now(), now() + interval '1 day', 1, 1, '\x00' FROM generate_series(1, 2500) n
            """);

        Assert.Equal((2500, 1), _database.Administration.RetryAll(_time.GetUtcNow()));
        Assert.Equal(2500, await _database.ScalarAsync<long>(
            $"SELECT COUNT(*) FROM relaysigner.queue_messages WHERE id LIKE 'backlog%' AND next_attempt_at = '{_time.GetUtcNow():O}'"));
    }

    [Fact]
    public async Task AddRelayQueue_with_the_PostgreSql_provider_registers_the_shared_store()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Relay:Queue:Provider"] = "PostgreSql",
            ["Relay:Queue:ConnectionString"] = _database.ConnectionString,
            ["Relay:Queue:NodeName"] = "node-di",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_time).AddRelayQueue(configuration);

        await using (var provider = services.BuildServiceProvider())
        {
            var queue = provider.GetRequiredService<IMessageQueue>();
            Assert.IsType<PostgreSqlMessageQueue>(queue);
            Assert.Same(queue, provider.GetRequiredService<IQueueProbe>());
            Assert.IsType<PostgreSqlQueueAdministration>(provider.GetRequiredService<IQueueAdministration>());
            Assert.IsType<PostgreSqlDestinationSlots>(provider.GetRequiredService<IDestinationSlots>());
            Assert.IsType<PostgreSqlDestinationRate>(provider.GetRequiredService<IDestinationRate>());
            Assert.Contains(provider.GetServices<IHostedService>(), s => s is PostgreSqlQueueListener);
            Assert.Contains(provider.GetServices<IHostedService>(), s => s is PostgreSqlQueueNotifier);
            await queue.EnqueueAsync(Envelope("a@example.com"), Content("di"), CancellationToken.None);
            Assert.Single(await queue.ClaimDueAsync(1, Lease, CancellationToken.None));
            Assert.Equal("node-di", Assert.Single(_database.Administration.List()).LeasedBy);
        }

        // Disposing the container stopped the node: its lease is released.
        Assert.Null(Assert.Single(_database.Administration.List()).LeasedUntil);
    }

    [Fact]
    public void Options_with_the_PostgreSql_provider_need_a_valid_connection_string()
    {
        var missing = new QueueOptionsValidator().Validate(null, new QueueOptions { Provider = QueueProvider.PostgreSql });
        var malformed = new QueueOptionsValidator().Validate(null,
            new QueueOptions { Provider = QueueProvider.PostgreSql, ConnectionString = "Hots=db;Password=secret" });

        Assert.Equal(["Relay:Queue:ConnectionString must be set when Relay:Queue:Provider is PostgreSql."], missing.Failures);
        var failure = Assert.Single(malformed.Failures!);
        Assert.StartsWith("Relay:Queue:ConnectionString is not a valid Npgsql connection string", failure);
        Assert.DoesNotContain("secret", failure);
    }

    [Fact]
    public async Task The_queue_verbs_read_and_change_the_shared_database()
    {
        var node = _database.OpenNode("node-a", TimeProvider.System);
        var leased = await node.EnqueueAsync(Envelope("a@example.com"), Content("leased"), CancellationToken.None);
        Assert.Single(await node.ClaimDueAsync(1, Lease, CancellationToken.None));
        var waiting = await node.EnqueueAsync(Envelope("b@example.net"), Content("waiting"), CancellationToken.None);

        var list = await RunAsync("queue", "list", "--json");
        var show = await RunAsync("queue", "show", leased.Value);
        var deleteLeased = await RunAsync("queue", "delete", leased.Value);
        var deleteWaiting = await RunAsync("queue", "delete", waiting.Value);
        var stats = await RunAsync("queue", "stats");
        var unconfigured = await RunWithAsync(["queue", "list", "--Relay:Queue:Provider=PostgreSql"]);

        using (var document = JsonDocument.Parse(list.Output))
        {
            Assert.Equal([leased.Value, waiting.Value], document.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
            Assert.Equal("node-a", document.RootElement[0].GetProperty("leasedBy").GetString());
        }

        Assert.Contains("being delivered by node-a", show.Output);
        Assert.Equal(2, deleteLeased.Exit);
        Assert.Equal((0, $"{waiting}: deleted"), (deleteWaiting.Exit, deleteWaiting.Output.Trim()));
        Assert.StartsWith("example.com  messages 1  recipients 1", stats.Output);
        Assert.Equal(78, unconfigured.Exit);
        Assert.Contains("ConnectionString must be set", unconfigured.Error);
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => RunWithAsync(
        [.. args, "--Relay:Queue:Provider=PostgreSql", $"--Relay:Queue:ConnectionString={_database.ConnectionString}"]);

    private static async Task<(int Exit, string Output, string Error)> RunWithAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await RelayCommandLine.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
