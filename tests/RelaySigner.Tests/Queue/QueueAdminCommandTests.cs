using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Cli;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// The queue verbs against a store that a live queue (as in the running relay) holds open, with its own
/// connection, leases and writer: what they change, and that a message under a delivery lease is left alone.
/// </summary>
public sealed class QueueAdminCommandTests : IAsyncLifetime
{
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("Subject: secret subject\r\n\r\nsecret body\r\n");
    private readonly TempFolder _folder = new();
    private SqliteMessageQueue _relay = null!;

    public Task InitializeAsync()
    {
        _relay = new SqliteMessageQueue(Options.Create(new QueueOptions { Path = _folder.Path }), TimeProvider.System, NullLogger<SqliteMessageQueue>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _relay.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Retry_makes_a_deferred_message_due_now_and_the_relay_claims_it()
    {
        var id = await DeferredAsync("rcpt@example.org", TimeSpan.FromHours(1));

        var (exit, output, _) = await RunAsync("queue", "retry", id.Value);

        Assert.Equal(0, exit);
        Assert.Equal($"{id}: due now", output.Trim());
        Assert.True(await _relay.NextDueAtAsync(CancellationToken.None) <= DateTimeOffset.UtcNow);
        Assert.Equal(id, Assert.Single(await _relay.ClaimDueAsync(10, TimeSpan.FromMinutes(5), CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Retry_and_delete_leave_a_message_under_a_delivery_lease_alone_and_the_worker_still_records_its_attempt()
    {
        var id = await _relay.EnqueueAsync(new Envelope("app@example.com", ["rcpt@example.org"]), Content, CancellationToken.None);
        var leased = Assert.Single(await _relay.ClaimDueAsync(1, TimeSpan.FromMinutes(5), CancellationToken.None));

        var retry = await RunAsync("queue", "retry", id.Value);
        var delete = await RunAsync("queue", "delete", id.Value);
        var all = await RunAsync("queue", "retry", "--all");

        Assert.Equal(2, retry.Exit);
        Assert.Equal(2, delete.Exit);
        Assert.Contains("being delivered right now, nothing changed", delete.Error);
        Assert.Equal("0 messages due now; 1 being delivered right now were left alone.", all.Output.Trim());
        await _relay.RecordAttemptAsync(leased.Lease, [new RecipientOutcome("rcpt@example.org", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok"))],
            DateTimeOffset.UtcNow, null, CancellationToken.None);
        Assert.Empty(QueueListing.Read(_folder.Path));
    }

    [Fact]
    public async Task Delete_removes_the_message_and_its_recipients_and_a_missing_id_exits_1()
    {
        var gone = await DeferredAsync("rcpt@example.org", TimeSpan.FromHours(1));
        var kept = await DeferredAsync("other@example.net", TimeSpan.FromHours(1));

        var delete = await RunAsync("queue", "delete", gone.Value);
        var again = await RunAsync("queue", "delete", gone.Value);

        Assert.Equal((0, $"{gone}: deleted"), (delete.Exit, delete.Output.Trim()));
        Assert.Equal((1, $"{gone}: not in the queue"), (again.Exit, again.Error.Trim()));
        Assert.Equal(kept, Assert.Single(QueueListing.Read(_folder.Path)).Id);
        Assert.Null(QueueListing.ReadContent(_folder.Path, gone));
        // The relay's own writer goes on working on the same file after the second writer's change.
        var next = await _relay.EnqueueAsync(new Envelope("app@example.com", ["new@example.org"]), Content, CancellationToken.None);
        Assert.Equal([kept, next], QueueListing.Read(_folder.Path).Select(e => e.Id));
    }

    [Fact]
    public async Task Retry_all_makes_every_message_due()
    {
        await DeferredAsync("a@example.org", TimeSpan.FromHours(1));
        await DeferredAsync("b@example.net", TimeSpan.FromHours(2));

        var (exit, output, _) = await RunAsync("queue", "retry", "--all");

        Assert.Equal(0, exit);
        Assert.Equal("2 messages due now; 0 being delivered right now were left alone.", output.Trim());
        Assert.Equal(2, (await _relay.ClaimDueAsync(10, TimeSpan.FromMinutes(5), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Retry_needs_an_id_or_all()
    {
        var (exit, _, error) = await RunAsync("queue", "retry");

        Assert.NotEqual(0, exit);
        Assert.Contains("Give a queue id or --all.", error);
    }

    [Fact]
    public async Task Show_prints_the_envelope_and_recipient_states_and_the_message_only_with_body()
    {
        var id = await DeferredAsync("rcpt@example.org", TimeSpan.FromHours(1));

        var plain = await RunAsync("queue", "show", id.Value);
        var withBody = await RunAsync("queue", "show", id.Value, "--with-body");
        var json = await RunAsync("queue", "show", id.Value, "--json");
        var missing = await RunAsync("queue", "show", "0000");

        Assert.Equal(0, plain.Exit);
        Assert.StartsWith($"{id}  ", plain.Output);
        Assert.Contains("    pending   <rcpt@example.org> (451 4.7.1 greylisted)", plain.Output);
        Assert.DoesNotContain("secret", plain.Output);
        Assert.EndsWith("\r\nsecret body\r\n", withBody.Output);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(id.Value, document.RootElement.GetProperty("id").GetString());
        Assert.Equal(1, document.RootElement.GetProperty("attempts").GetInt32());
        Assert.Equal("pending", document.RootElement.GetProperty("recipients")[0].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("message").ValueKind);
        Assert.Equal(1, missing.Exit);
    }

    [Fact]
    public async Task Show_finds_an_id_typed_in_lower_case_and_lists_each_attempt_with_its_server_tls_and_reply()
    {
        var id = await DeferredAsync("rcpt@example.org", TimeSpan.FromHours(1));

        var plain = await RunAsync("queue", "show", id.Value.ToLowerInvariant());
        var json = await RunAsync("queue", "show", id.Value.ToLowerInvariant(), "--json");

        Assert.Equal(0, plain.Exit);
        Assert.Matches(
            @"\n    #1 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  pending   <rcpt@example\.org>  relay=mx\.example\.org\[192\.0\.2\.25\]:25  tls=Tls13  \(451 4\.7\.1 greylisted\)",
            plain.Output);
        using var document = JsonDocument.Parse(json.Output);
        var attempt = Assert.Single(document.RootElement.GetProperty("attemptHistory").EnumerateArray().ToList());
        Assert.Equal("mx.example.org[192.0.2.25]:25", attempt.GetProperty("server").GetString());
        Assert.Equal("Tls13", attempt.GetProperty("tls").GetString());
        Assert.Equal("451 4.7.1 greylisted", attempt.GetProperty("reply").GetString());
    }

    [Fact]
    public async Task List_filters_by_pending_domain_and_state_and_writes_json()
    {
        var deferred = await DeferredAsync("rcpt@example.org", TimeSpan.FromHours(1));
        var fresh = await _relay.EnqueueAsync(new Envelope("app@example.com", ["x@example.net"]), Content, CancellationToken.None);

        var byDomain = await RunAsync("queue", "list", "--domain", "EXAMPLE.net", "--json");
        var byState = await RunAsync("queue", "list", "--state", "deferred", "--json");
        var badState = await RunAsync("queue", "list", "--state", "stuck");

        Assert.Equal([fresh.Value], Ids(byDomain.Output));
        Assert.Equal([deferred.Value], Ids(byState.Output));
        Assert.NotEqual(0, badState.Exit);
    }

    [Fact]
    public async Task Stats_groups_pending_recipients_by_destination_with_the_oldest_and_last_reply()
    {
        await DeferredAsync("a@example.org", TimeSpan.FromHours(1));
        await DeferredAsync("b@example.org", TimeSpan.FromHours(1));
        await _relay.EnqueueAsync(new Envelope("app@example.com", ["c@example.net"]), Content, CancellationToken.None);

        var text = await RunAsync("queue", "stats");
        var json = await RunAsync("queue", "stats", "--json");

        var lines = text.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^example\.org  messages 2  recipients 2  oldest \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  last reply: 451 4\.7\.1 greylisted$", lines[0]);
        Assert.EndsWith("last reply: none yet", lines[1]);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal("example.org", document.RootElement[0].GetProperty("destination").GetString());
        Assert.Equal(2, document.RootElement[0].GetProperty("recipients").GetInt32());
    }

    private static string[] Ids(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }

    /// <summary>A message that had one attempt, greylisted, next attempt after <paramref name="wait"/>.</summary>
    private async Task<QueueId> DeferredAsync(string recipient, TimeSpan wait)
    {
        var id = await _relay.EnqueueAsync(new Envelope("app@example.com", [recipient]), Content, CancellationToken.None);
        var claimed = await _relay.ClaimDueAsync(10, TimeSpan.FromMinutes(5), CancellationToken.None);
        var message = claimed.Single(m => m.Id == id);
        await _relay.RecordAttemptAsync(message.Lease, [new RecipientOutcome(recipient, RecipientStatus.Pending, new SmtpReply(451, "4.7.1", "greylisted"),
            new RemoteServer("mx.example.org", "192.0.2.25", 25, "Tls13"))],
            DateTimeOffset.UtcNow + wait, null, CancellationToken.None);
        return id;
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
