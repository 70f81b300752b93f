using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Cli;
using RelaySigner.Core.Feedback;
using RelaySigner.Queue;
using RelaySigner.Queue.Feedback;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue.Feedback;

/// <summary>
/// <c>relaysigner suppress</c> on the queue of a running relay (its queue holds the file open with its writer): what the
/// verbs change is what the relay's own list then finds, and bad input is refused with its exit code and line.
/// </summary>
public sealed class SuppressCommandTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private SqliteMessageQueue _relay = null!;
    private ISuppressionList _relayList = null!;

    public Task InitializeAsync()
    {
        _relay = new SqliteMessageQueue(Options.Create(new QueueOptions { Path = _folder.Path }), TimeProvider.System,
            NullLogger<SqliteMessageQueue>.Instance);
        _relayList = new SqliteFeedbackStore(_relay, TimeProvider.System, new EventsOptions());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _relay.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Add_suppresses_for_the_relay_and_adding_again_keeps_the_first_entry()
    {
        var added = await RunAsync("suppress", "add", "--domain", "Example.COM", "--recipient", "gone@example.org", "--reason", "hard-bounce");
        var again = await RunAsync("suppress", "add", "--domain", "example.com", "--recipient", "gone@EXAMPLE.org");

        Assert.Equal((0, "example.com: <gone@example.org> suppressed"), (added.Exit, added.Output.Trim()));
        Assert.Equal(0, again.Exit);
        Assert.Contains("already suppressed", again.Output);
        var entry = Assert.Single(await _relayList.FindAsync("example.com", ["gone@example.org"], CancellationToken.None)).Value;
        Assert.Equal(SuppressionReason.HardBounce, entry.Reason);
    }

    [Fact]
    public async Task Add_refuses_an_unknown_reason_or_an_address_without_a_domain_with_exit_code_2()
    {
        var reason = await RunAsync("suppress", "add", "--domain", "example.com", "--recipient", "a@example.org", "--reason", "annoyed");
        var address = await RunAsync("suppress", "add", "--domain", "example.com", "--recipient", "nobody");

        Assert.Equal(2, reason.Exit);
        Assert.Contains("'annoyed' is not a reason", reason.Error);
        Assert.Equal(2, address.Exit);
        Assert.Contains("'nobody' is not an address", address.Error);
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task List_shows_entries_by_domain_as_text_or_json()
    {
        await RunAsync("suppress", "add", "--domain", "example.org", "--recipient", "b@example.net");
        await RunAsync("suppress", "add", "--domain", "example.com", "--recipient", "a@example.net", "--reason", "complaint");

        var text = await RunAsync("suppress", "list");
        var json = await RunAsync("suppress", "list", "--domain", "example.com", "--json");

        Assert.Equal(0, text.Exit);
        var lines = text.Output.Trim().Split('\n');
        Assert.StartsWith("example.com  <a@example.net>  complaint  since ", lines[0]);
        Assert.StartsWith("example.org  <b@example.net>  manual  since ", lines[1]);
        Assert.Equal("-- 2 suppressed recipients.", lines[2]);
        using var document = JsonDocument.Parse(json.Output);
        var entry = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal(("a@example.net", "complaint"), (entry.GetProperty("recipient").GetString(), entry.GetProperty("reason").GetString()));
        Assert.Equal("No suppressed recipients.", (await RunAsync("suppress", "list", "--domain", "example.net")).Output.Trim());
    }

    [Fact]
    public async Task Remove_delivers_again_and_exits_1_when_there_is_nothing_to_remove()
    {
        await RunAsync("suppress", "add", "--domain", "example.com", "--recipient", "gone@example.org");

        var removed = await RunAsync("suppress", "remove", "--domain", "example.com", "--recipient", "gone@example.org");
        var again = await RunAsync("suppress", "remove", "--domain", "example.com", "--recipient", "gone@example.org");

        Assert.Equal(0, removed.Exit);
        Assert.Equal(1, again.Exit);
        Assert.Contains("is not suppressed", again.Error);
        Assert.Empty(await _relayList.FindAsync("example.com", ["gone@example.org"], CancellationToken.None));
    }

    [Fact]
    public async Task Import_is_durable_and_idempotent_and_export_writes_what_import_reads_back()
    {
        var file = Path.Combine(_folder.Path, "list.csv");
        await File.WriteAllTextAsync(file,
            "domain,recipient,reason,since,status\n" +
            "example.com,gone@example.org,hard-bounce,2026-12-01T08:00:00Z,5.1.1\n" +
            ",\"\"\"odd,one\"\"@example.org\",complaint,,\n");

        var first = await RunAsync("suppress", "import", file, "--domain", "example.net");
        var second = await RunAsync("suppress", "import", file, "--domain", "example.net");
        var export = await RunAsync("suppress", "export");

        Assert.Equal((0, "2 entries read, 2 new, 0 already suppressed"), (first.Exit, first.Output.Trim()));
        Assert.Equal((0, "2 entries read, 0 new, 2 already suppressed"), (second.Exit, second.Output.Trim()));
        Assert.Single(await _relayList.FindAsync("example.net", ["\"odd,one\"@example.org"], CancellationToken.None));
        var exported = export.Output.Split('\n');
        Assert.Equal("domain,recipient,reason,since,status", exported[0]);
        Assert.Equal("example.com,gone@example.org,hard-bounce,2026-12-01T08:00:00Z,5.1.1", exported[1]);
        Assert.StartsWith("example.net,\"\"\"odd,one\"\"@example.org\",complaint,", exported[2]);

        await _relayList.RemoveAsync("example.com", "gone@example.org", CancellationToken.None);
        await File.WriteAllTextAsync(file, export.Output);
        Assert.Equal("2 entries read, 1 new, 1 already suppressed", (await RunAsync("suppress", "import", file)).Output.Trim());
    }

    [Fact]
    public async Task Import_names_the_line_it_cannot_use_and_imports_nothing()
    {
        var file = Path.Combine(_folder.Path, "bad.csv");
        await File.WriteAllTextAsync(file,
            "domain,recipient,reason,since,status\nexample.com,a@example.org,manual,,\nexample.com,b@example.org,bored,,\n");
        var header = Path.Combine(_folder.Path, "header.csv");
        await File.WriteAllTextAsync(header, "address\na@example.org\n");

        var bad = await RunAsync("suppress", "import", file);
        var wrongHeader = await RunAsync("suppress", "import", header);

        Assert.Equal(2, bad.Exit);
        Assert.Contains("bad.csv: line 3: 'bored' is not a reason", bad.Error);
        Assert.Equal(2, wrongHeader.Exit);
        Assert.Contains("line 1: the header must be domain,recipient,reason,since,status", wrongHeader.Error);
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task An_unreachable_database_exits_3_and_a_folder_without_a_queue_exits_78()
    {
        var unreachable = await RunAsync("suppress", "list", "--Relay:Queue:Provider=PostgreSql",
            "--Relay:Queue:ConnectionString=Host=127.0.0.1;Port=1;Username=relay;Timeout=2");
        using var empty = new TempFolder();
        var (missing, _, _) = await RelaySigner.Tests.Cli.CliRun.RunAsync("suppress", "list", $"--Relay:Queue:Path={empty.Path}");

        Assert.Equal(3, unreachable.Exit);
        Assert.Contains("the queue database cannot be used", unreachable.Error);
        Assert.Equal(78, missing);
    }

    private async Task<List<Suppression>> ListAsync()
    {
        var entries = new List<Suppression>();
        await foreach (var entry in _relayList.ListAsync(null, CancellationToken.None))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await RelayCommandLine.Build().Parse([.. args, $"--Relay:Queue:Path={_folder.Path}"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
