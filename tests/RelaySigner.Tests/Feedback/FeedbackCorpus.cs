using RelaySigner.Testing;

namespace RelaySigner.Tests.Feedback;

/// <summary>The messages under Feedback/Corpus and the careful reading of each in its manifest.csv.</summary>
internal static class FeedbackCorpus
{
    public static string Folder => Path.Combine(RepositoryRoot.Path, "tests", "RelaySigner.Tests", "Feedback", "Corpus");

    public static IReadOnlyList<Expectation> Expectations { get; } = File.ReadAllLines(Path.Combine(Folder, "manifest.csv"))
        .Skip(1)
        .Where(line => line.Length > 0)
        .Select(line => line.Split(','))
        .Select(cells => new Expectation(cells[0], cells[1], cells[2], bool.Parse(cells[3])))
        .ToList();

    public static IEnumerable<string> Files => Expectations.Select(e => e.File).Distinct();

    /// <param name="Recipient">Empty when the message names none (a redacted complaint, not feedback at all).</param>
    public sealed record Expectation(string File, string Recipient, string Kind, bool Suppress);
}
