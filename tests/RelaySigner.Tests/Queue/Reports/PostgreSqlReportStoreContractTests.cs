using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Queue.PostgreSql;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue.Reports;

/// <summary>The report store contract on PostgreSQL: each test on a fresh database of the run's throwaway cluster.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlReportStoreContractTests(PostgreSqlServer server) : ReportStoreContractTests
{
    private PostgreSqlTestDatabase _database = null!;
    private IReportStore _store = null!;

    protected override IReportStore Store => _store;

    public override async Task InitializeAsync()
    {
        _database = await PostgreSqlTestDatabase.CreateAsync(server);
        _store = PostgreSqlReportStore.Open(_database.Pool, Time);
    }

    [Fact]
    public Task The_relay_registers_this_store_for_the_PostgreSql_provider() =>
        AssertTheRelayRegistersAsync<PostgreSqlReportStore>(
            [new("Relay:Queue:Provider", "PostgreSql"), new("Relay:Queue:ConnectionString", _database.ConnectionString)]);

    public override Task DisposeAsync() => _database.DisposeAsync().AsTask();
}
