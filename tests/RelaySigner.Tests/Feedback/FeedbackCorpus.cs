using RelaySigner.Testing;

namespace RelaySigner.Tests.Feedback;

/// <summary>The messages under Feedback/Corpus and the careful reading of each in its manifest.csv.</summary>
internal static class FeedbackCorpus
{
    public static string Folder => Path.Combine(RepositoryRoot.Path, "tests", "RelaySigner.Tests", "Feedback", "Corpus");

    /// <summary>
    /// manifest.csv is written with the messages by make-corpus.py; manifest-handwritten.csv belongs to the hw-*.eml
    /// messages written one by one (other wordings, languages and mistakes than the generator's templates).
    /// </summary>
    public static IReadOnlyList<Expectation> Expectations { get; } = Directory.GetFiles(Folder, "manifest*.csv").Order(StringComparer.Ordinal)
        .SelectMany(manifest => File.ReadAllLines(manifest).Skip(1))
        .Where(line => line.Length > 0)
        .Select(line => line.Split(','))
        .Select(cells => new Expectation(cells[0], cells[1], cells[2], bool.Parse(cells[3])))
        .ToList();

    public static IEnumerable<string> Files => Expectations.Select(e => e.File).Distinct();

    /// <param name="Recipient">Empty when the message names none (a redacted complaint, not feedback at all).</param>
    public sealed record Expectation(string File, string Recipient, string Kind, bool Suppress);
}
