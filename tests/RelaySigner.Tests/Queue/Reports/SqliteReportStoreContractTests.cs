using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Queue;
using RelaySigner.Queue.Reports;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue.Reports;

/// <summary>The report store contract on the embedded queue's file, a new one per test.</summary>
public sealed class SqliteReportStoreContractTests : ReportStoreContractTests
{
    private readonly TempFolder _folder = new();
    private SqliteReportStore _store = null!;

    protected override IReportStore Store => _store;

    public override Task InitializeAsync()
    {
        _store = SqliteReportStore.Open(Path.Combine(_folder.Path, QueueOptions.DatabaseFileName), Time);
        return Task.CompletedTask;
    }

    [Fact]
    public Task The_relay_registers_this_store_in_the_queue_file_by_default() =>
        AssertTheRelayRegistersAsync<SqliteReportStore>([new("Relay:Queue:Path", Path.Combine(_folder.Path, "relay"))]);

    public override Task DisposeAsync()
    {
        _store.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }
}
