using System.Text.Json;
using RelaySigner.Feedback.Parsing;
using Xunit.Abstractions;

namespace RelaySigner.Tests.Feedback;

/// <summary>
/// The parser against the corpus: the recipient must be found, and the suppress decision agree with the manifest,
/// in at least 95 % of the expected rows each. The figures (and the kind agreement) are printed.
/// </summary>
public sealed class FeedbackCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void Recipients_are_found_and_suppress_decisions_agree_in_at_least_95_percent_of_the_corpus()
    {
        var parser = new FeedbackParser();
        var reports = FeedbackCorpus.Files.ToDictionary(file => file, file =>
        {
            using var stream = File.OpenRead(Path.Combine(FeedbackCorpus.Folder, file));
            return parser.Parse(stream);
        });

        int withRecipient = 0, found = 0, agreed = 0, sameKind = 0;
        var disagreements = new List<string>();
        foreach (var expected in FeedbackCorpus.Expectations)
        {
            var rows = reports[expected.File].Recipients;
            var actual = expected.Recipient.Length == 0
                ? rows.Count == 1 ? rows[0] : null
                : rows.FirstOrDefault(row => string.Equals(row.Recipient, expected.Recipient, StringComparison.OrdinalIgnoreCase));
            if (expected.Recipient.Length > 0)
            {
                withRecipient++;
                found += actual is null ? 0 : 1;
            }

            var suppress = actual?.Suppress ?? false;
            agreed += suppress == expected.Suppress ? 1 : 0;
            var kind = actual is null ? "unknown" : JsonNamingPolicy.KebabCaseLower.ConvertName(actual.Kind.ToString());
            sameKind += kind == expected.Kind ? 1 : 0;
            if (actual is null && expected.Recipient.Length > 0 || suppress != expected.Suppress || kind != expected.Kind)
            {
                disagreements.Add($"{expected.File}: expected {expected.Recipient} {expected.Kind}, got {string.Join("; ", rows.Select(r => $"{r.Recipient} {r.Status} {r.Kind}"))}");
            }
        }

        var total = FeedbackCorpus.Expectations.Count;
        output.WriteLine($"{reports.Count} messages, {total} expected recipients");
        output.WriteLine($"recipient found: {found}/{withRecipient} = {100.0 * found / withRecipient:F1} %");
        output.WriteLine($"suppress agrees: {agreed}/{total} = {100.0 * agreed / total:F1} %");
        output.WriteLine($"kind agrees:     {sameKind}/{total} = {100.0 * sameKind / total:F1} %");
        disagreements.ForEach(output.WriteLine);

        Assert.True(reports.Count >= 150, $"{reports.Count} messages");
        Assert.True(found >= 0.95 * withRecipient, $"recipient found in {found} of {withRecipient}");
        Assert.True(agreed >= 0.95 * total, $"suppress agrees in {agreed} of {total}");
    }

    [Fact]
    public void Truncated_and_mutated_messages_never_make_the_parser_fail()
    {
        var random = new Random(3464);
        var parser = new FeedbackParser();
        var runs = 0;
        foreach (var file in FeedbackCorpus.Files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(FeedbackCorpus.Folder, file));
            for (var i = 0; i < 16; i++)
            {
                var mutated = i < 4 ? bytes[..random.Next(bytes.Length)] : Mutate(bytes, random);
                var report = parser.Parse(new MemoryStream(mutated));
                Assert.NotNull(report.Recipients);
                runs++;
            }
        }

        output.WriteLine($"{runs} mutated messages parsed");
    }

    [Fact]
    public void Random_bytes_with_or_without_a_report_s_header_never_make_the_parser_fail()
    {
        var random = new Random(5965);
        var parser = new FeedbackParser();
        var header = "From: MAILER-DAEMON@mx.example.net\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\n"u8.ToArray();
        for (var i = 0; i < 500; i++)
        {
            var noise = new byte[random.Next(0, 8192)];
            random.NextBytes(noise);
            Assert.NotNull(parser.Parse(new MemoryStream(i % 2 == 0 ? noise : [.. header, .. noise])).Recipients);
        }
    }

    private static byte[] Mutate(byte[] bytes, Random random)
    {
        var copy = bytes.ToArray();
        byte[] interesting = [(byte)'\r', (byte)'\n', (byte)'-', (byte)':', (byte)';', (byte)'"', (byte)'=', 0, 0xFF, (byte)'@', (byte)'<'];
        for (var n = random.Next(1, 40); n > 0; n--)
        {
            var at = random.Next(copy.Length);
            copy[at] = random.Next(2) == 0 ? interesting[random.Next(interesting.Length)] : (byte)random.Next(256);
        }

        if (random.Next(3) == 0)
        {
            // a slice of the message repeated: boundaries and headers out of place
            var start = random.Next(copy.Length);
            var slice = copy[start..Math.Min(copy.Length, start + random.Next(1, 400))];
            copy = [.. copy[..random.Next(copy.Length)], .. slice, .. slice, .. copy];
        }

        return copy;
    }
}
