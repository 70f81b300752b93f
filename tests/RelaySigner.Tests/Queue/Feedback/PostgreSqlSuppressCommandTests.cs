using System.CommandLine;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Cli;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue.Feedback;

/// <summary><c>relaysigner suppress</c> on the shared PostgreSQL database of a cluster.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlSuppressCommandTests(PostgreSqlServer server) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private PostgreSqlTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgreSqlTestDatabase.CreateAsync(server);
        _database.OpenNode("relay", new FakeTimeProvider()); // a relay has brought the schema up to date
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Import_add_list_remove_and_export_work_on_the_shared_database()
    {
        var file = Path.Combine(_folder.Path, "list.csv");
        await File.WriteAllTextAsync(file, "domain,recipient,reason,since,status\nexample.com,gone@example.org,hard-bounce,2026-12-01T08:00:00Z,5.1.1\n");

        var imported = await RunAsync("suppress", "import", file);
        var again = await RunAsync("suppress", "import", file);
        var added = await RunAsync("suppress", "add", "--domain", "example.com", "--recipient", "Bye@Example.org", "--reason", "unsubscribe");
        var removed = await RunAsync("suppress", "remove", "--domain", "example.com", "--recipient", "bye@example.org");
        var export = await RunAsync("suppress", "export", "--domain", "example.com");

        Assert.Equal((0, "1 entries read, 1 new, 0 already suppressed"), (imported.Exit, imported.Output.Trim()));
        Assert.Equal("1 entries read, 0 new, 1 already suppressed", again.Output.Trim());
        Assert.Equal(0, added.Exit);
        Assert.Equal(1, removed.Exit); // the local part compares exactly: Bye@ is listed, bye@ is not
        Assert.StartsWith("domain,recipient,reason,since,status\nexample.com,Bye@example.org,unsubscribe,", export.Output);
        Assert.Contains("\nexample.com,gone@example.org,hard-bounce,2026-12-01T08:00:00Z,5.1.1\n", export.Output);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await RelayCommandLine.Build()
            .Parse([.. args, "--Relay:Queue:Provider=PostgreSql", $"--Relay:Queue:ConnectionString={_database.ConnectionString}"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
