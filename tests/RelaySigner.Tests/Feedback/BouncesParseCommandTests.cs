using System.CommandLine;
using System.Text.Json;
using Mono.Unix.Native;
using RelaySigner.Cli;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Feedback;

/// <summary><c>bounces parse</c> as an operator runs it: rows, JSON, exit codes.</summary>
public sealed class BouncesParseCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await RelayCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
        return (exit, output.ToString(), errors.ToString());
    }

    private static string Corpus(string file) => Path.Combine(FeedbackCorpus.Folder, file);

    [Fact]
    public async Task Json_has_one_object_per_recipient_in_camel_case_with_the_kind_as_a_word()
    {
        var (exit, output, errors) = await RunAsync("bounces", "parse", Corpus("postfix-multi-1.eml"), Corpus("arf-abuse-1.eml"), "--json");

        Assert.Equal(0, exit);
        Assert.Empty(errors);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        var complaint = rows[3];
        Assert.Equal(Corpus("arf-abuse-1.eml"), complaint.GetProperty("file").GetString());
        Assert.Equal(FeedbackCorpus.Expectations.Single(e => e.File == "arf-abuse-1.eml").Recipient, complaint.GetProperty("recipient").GetString());
        Assert.Equal("complaint", complaint.GetProperty("kind").GetString());
        Assert.True(complaint.GetProperty("suppress").GetBoolean());
        Assert.Equal(JsonValueKind.Null, complaint.GetProperty("status").ValueKind);
        Assert.All(rows.Take(3), row => Assert.Matches(@"^[245]\.\d+\.\d+$", row.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_file_that_is_not_a_message_is_an_unknown_row_and_the_run_still_succeeds()
    {
        var junk = Path.Combine(_folder.Path, "junk.bin");
        await File.WriteAllBytesAsync(junk, [0, 1, 2, 0xFF, 0xFE]);

        var (exit, output, _) = await RunAsync("bounces", "parse", junk, Corpus("qmail-hard-1.eml"));

        Assert.Equal(0, exit);
        var lines = output.TrimEnd().Split('\n');
        Assert.StartsWith("FILE", lines[0]);
        Assert.Matches(@"junk\.bin\s+-\s+-\s+unknown\s+no$", lines[1]);
        Assert.Matches(@"qmail-hard-1\.eml\s+\S+@\S+\s+.*hard\s+yes$", lines[2]);
    }

    [Fact]
    public async Task An_unreadable_file_gets_an_error_line_and_exit_code_2_while_the_others_are_still_read()
    {
        var missing = Path.Combine(_folder.Path, "missing.eml");

        var (exit, output, errors) = await RunAsync("bounces", "parse", missing, Corpus("autoreply-1.eml"));

        Assert.Equal(2, exit);
        Assert.Equal($"error: {missing}: no such file", errors.TrimEnd());
        Assert.Contains("autoreply", output);
    }

    [Fact(Timeout = 10_000)] // before the fix, opening the FIFO waited for a writer forever
    public async Task A_fifo_or_a_device_is_refused_unread_and_the_others_are_still_read()
    {
        var fifo = Path.Combine(_folder.Path, "bounce.fifo");
        Assert.Equal(0, Syscall.mkfifo(fifo, FilePermissions.S_IRUSR | FilePermissions.S_IWUSR));

        var (exit, output, errors) = await RunAsync("bounces", "parse", fifo, "/dev/zero", Corpus("autoreply-1.eml"));

        Assert.Equal(2, exit);
        Assert.Equal([$"error: {fifo}: a FIFO, not a regular file; refusing it", "error: /dev/zero: a device, not a regular file; refusing it"],
            errors.TrimEnd().Split('\n'));
        Assert.Contains("autoreply", output);
    }

    [Fact]
    public async Task Without_a_file_it_is_a_usage_error()
    {
        var (exit, _, errors) = await RunAsync("bounces", "parse");

        Assert.NotEqual(0, exit);
        Assert.NotEmpty(errors);
    }
}
