using System.CommandLine;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Cli;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue;

public sealed class QueueListCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Queue_list_shows_each_message_and_recipient_state_while_the_queue_is_in_use()
    {
        await using var queue = new SqliteMessageQueue(
            Options.Create(new QueueOptions { Path = _folder.Path }), TimeProvider.System, NullLogger<SqliteMessageQueue>.Instance);
        var content = Encoding.ASCII.GetBytes("Subject: secret subject\r\n\r\nsecret body\r\n");
        var first = await queue.EnqueueAsync(new Envelope("app@example.com", ["a@example.org", "b@example.net"]), content, CancellationToken.None);
        var lease = Assert.Single(await queue.ClaimDueAsync(1, TimeSpan.FromMinutes(5), CancellationToken.None)).Lease;
        await queue.RecordAttemptAsync(lease,
            [new RecipientOutcome("a@example.org", RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok")),
             new RecipientOutcome("b@example.net", RecipientStatus.Pending, new SmtpReply(451, "4.7.1", "greylisted"))],
            DateTimeOffset.UtcNow.AddMinutes(1), null, CancellationToken.None);
        var second = await queue.EnqueueAsync(new Envelope("", ["c@example.com"]), content, CancellationToken.None);
        await queue.ClaimDueAsync(1, TimeSpan.FromMinutes(5), CancellationToken.None);

        using var output = new StringWriter();
        var exit = await RelayCommandLine.Build().Parse(["queue", "list", $"--Relay:Queue:Path={_folder.Path}"])
            .InvokeAsync(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exit);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.StartsWith($"{first}  ", lines[0]);
        Assert.Matches(@"attempts 1  next attempt \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  from <app@example.com>$", lines[0]);
        Assert.Equal("    delivered <a@example.org> (250 2.0.0 ok)", lines[1]);
        Assert.Equal("    pending   <b@example.net> (451 4.7.1 greylisted)", lines[2]);
        Assert.StartsWith($"{second}  ", lines[3]);
        Assert.EndsWith("attempts 0  being delivered  from <>", lines[3]);
        Assert.Equal("    pending   <c@example.com>", lines[4]);
        Assert.Equal("-- 2 messages, 2 recipients pending.", lines[5]);
        Assert.DoesNotContain("secret", output.ToString()); // never the Subject or body
    }

    [Theory]
    [InlineData("list")]
    [InlineData("stats")]
    [InlineData("show", "0000000000000000")]
    public async Task A_queue_verb_on_a_folder_without_a_queue_is_an_error_not_an_empty_queue(params string[] verb)
    {
        var none = Path.Combine(_folder.Path, "none");

        var (status, output, errors) = await Tests.Cli.CliRun.RunAsync(["queue", .. verb, $"--Relay:Queue:Path={none}"]);

        Assert.Equal(78, status);
        Assert.Empty(output);
        Assert.StartsWith($"error: no queue at {none} ", errors);
        Assert.False(Directory.Exists(none));
    }

    public void Dispose() => _folder.Dispose();
}
