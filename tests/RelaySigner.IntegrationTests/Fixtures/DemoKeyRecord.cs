using System.Text.RegularExpressions;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>The DNS record of the demo key keys.example/example.com/demo2026, for the test DNS server.</summary>
internal static partial class DemoKeyRecord
{
    /// <summary>The record's character-strings as zone-file RDATA: <c>"v=DKIM1; k=rsa; p=…" "…"</c>.</summary>
    public static string ZoneData { get; } = string.Join(' ',
        QuotedString().Matches(File.ReadAllText(Path.Combine(RepositoryRoot.KeysExample, "example.com", "demo2026.txt"))).Select(m => m.Value));

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex QuotedString();
}
