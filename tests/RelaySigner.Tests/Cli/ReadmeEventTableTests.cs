using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Cli;

/// <summary>The README's event table lists every event the relay logs, with its level and message.</summary>
public sealed partial class ReadmeEventTableTests
{
    private static readonly Assembly[] Stages =
    [
        typeof(RelayHost).Assembly, typeof(global::RelaySigner.Intake.SmtpOptions).Assembly, typeof(global::RelaySigner.Signing.DkimOptions).Assembly,
        typeof(global::RelaySigner.Queue.QueueOptions).Assembly, typeof(global::RelaySigner.Delivery.DeliveryOptions).Assembly, typeof(global::RelaySigner.Dmarc.Checks.CheckResult).Assembly,
        typeof(global::RelaySigner.Feedback.BounceOptions).Assembly,
    ];

    [Fact]
    public void Every_logged_event_is_in_the_readme_with_its_level_and_message()
    {
        var logged = Stages
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => $"{a.EventId} {a.Level} {a.Message}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));

        var documented = EventRow().Matches(readme).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value} {m.Groups[3].Value}").Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(logged);
        Assert.Equal(logged, documented);
    }

    [GeneratedRegex(@"(?m)^\| (\d{4}) \| (\w+) \| `([^`]*)`")]
    private static partial Regex EventRow();
}
