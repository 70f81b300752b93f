using System.Text.Json;
using System.Text.Json.Serialization;
using RelaySigner.Dmarc.Checks;

namespace RelaySigner.Cli;

/// <summary>How the checking verbs print their verdicts: aligned PASS/WARN/FAIL lines, or JSON for scripts.</summary>
internal static class CheckResultOutput
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) }, // "status": "pass", not 0
    };

    public static string Format(IReadOnlyList<CheckResult> results, bool json)
    {
        if (json)
        {
            return JsonSerializer.Serialize(results, Json);
        }

        var subjectWidth = results.Max(r => r.Subject.Length);
        return string.Join(Environment.NewLine, results.Select(r => $"{r.Status.ToString().ToUpperInvariant(),-4}  {r.Subject.PadRight(subjectWidth)}  {r.Detail}"));
    }

    /// <returns>1 when a verdict is FAIL, else 0.</returns>
    public static int ExitCode(IReadOnlyList<CheckResult> results) => results.Any(r => r.Status == CheckStatus.Fail) ? 1 : 0;
}
