using System.Net.Sockets;
using Microsoft.Extensions.Options;
using RelaySigner.Configuration;

namespace RelaySigner.Cli;

/// <summary>
/// Why the relay did not start, as the operator needs it: one line per reason, no stack trace (the reasons are
/// configuration and environment, not bugs), and an exit code a service manager can act on.
/// </summary>
internal static class StartupFailure
{
    public static bool IsExpected(Exception ex) => ex is OptionsValidationException or AggregateException or ConfigurationProblemException
        or IOException or SocketException or UnauthorizedAccessException or InvalidOperationException or InvalidDataException
        or System.Security.Cryptography.CryptographicException;

    /// <returns>The exit code: <see cref="ExitCodes.Configuration"/> for invalid settings, else <see cref="ExitCodes.StartFailed"/>.</returns>
    public static int Report(Exception ex, TextWriter errors)
    {
        var reasons = Reasons(ex).Distinct().ToList();
        foreach (var reason in reasons)
        {
            errors.WriteLine($"relaysigner: {reason}");
        }

        return Flatten(ex).Any(e => e is OptionsValidationException or ConfigurationProblemException) ? ExitCodes.Configuration : ExitCodes.StartFailed;
    }

    private static IEnumerable<string> Reasons(Exception ex) =>
        Flatten(ex).SelectMany(e => e switch
        {
            OptionsValidationException invalid => invalid.Failures.Select(f => $"invalid configuration: {f}"),
            ConfigurationProblemException problem => problem.Message.Split(Environment.NewLine).Select(line => $"invalid configuration: {line}"),
            // A JSON file that does not parse: the loader's message names the file, its inner one the line.
            InvalidDataException { InnerException: { } inner } data => [$"{data.Message} {inner.Message}"],
            _ => [$"cannot start: {e.Message}"],
        });

    private static IEnumerable<Exception> Flatten(Exception ex) => ex switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Flatten),
        _ => [ex],
    };
}
