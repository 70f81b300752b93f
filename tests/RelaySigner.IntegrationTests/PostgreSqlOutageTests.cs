using System.Net;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RelaySigner.Admin;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests;

/// <summary>
/// The relay on a PostgreSQL queue whose database goes away: intake answers 451 4.3.0 at the end of DATA (never 250,
/// never 5xx), <c>/readyz</c> reports the queue, and once the database is back mail is taken and delivered again.
/// </summary>
public sealed class PostgreSqlOutageTests(PostgreSqlServer server) : IClassFixture<PostgreSqlServer>, IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_database_outage_gets_451_at_end_of_data_and_mail_flows_again_when_it_is_back()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_folder.Path, sink.Endpoint,
            ("Relay:Queue:Provider", "PostgreSql"), ("Relay:Queue:ConnectionString", connectionString), ("Relay:Queue:NodeName", "node-a"));
        var content = Submission.Message("app@example.com", "rcpt@example.org", "outage");

        // The outage: the database takes no new sessions, and the open ones are ended.
        await AdministerAsync($"ALTER DATABASE {database} ALLOW_CONNECTIONS false");
        await AdministerAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], content));
        var readiness = await relay.Services.GetRequiredService<ReadinessCheck>().RunAsync(CancellationToken.None);

        Assert.Equal(451, (int)refused.StatusCode);
        Assert.StartsWith("4.3.0", refused.Message);
        Assert.Contains(readiness, r => r.Check == "queue" && !r.IsReady);

        await AdministerAsync($"ALTER DATABASE {database} ALLOW_CONNECTIONS true");
        // A pooled session the outage ended fails once more when it is next used (and is dropped): the sender's
        // own retry, as after any 451, then goes through.
        string? reply = null;
        for (var attempt = 0; attempt < 10 && reply is null; attempt++)
        {
            try
            {
                reply = await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], content);
            }
            catch (SmtpCommandException again) when ((int)again.StatusCode == 451)
            {
            }
        }

        Assert.StartsWith("2.0.0", reply);
        var delivered = await sink.Received.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(delivered.Content.AsSpan().EndsWith(content));
    }

    public void Dispose() => _folder.Dispose();

    private async Task AdministerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
