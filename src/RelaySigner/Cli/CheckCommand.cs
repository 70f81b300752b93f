using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RelaySigner.Dmarc.Checks;
using RelaySigner.Operations;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner check</c> (postfix check + postconf -n): validates the configuration exactly as a start would, prints
/// the effective settings with secrets masked, then each key, the listeners, the delivery mode and the certificate.
/// Exit code 0 when nothing fails, 1 when something does.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var noDns = new Option<bool>("--no-dns") { Description = "Do not look up whether DNS publishes the keys" };
        var dnsServer = DnsServerOption.Create();
        var command = new Command("check", "Validate the configuration, show the effective settings (secrets masked), keys, listeners, delivery and certificate. Exit code 1 when a check fails.")
        {
            noDns, dnsServer,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            // The stages' own log lines (keys loaded …) would interleave with the report: warnings and worse only.
            var builder = RelayHost.CreateBuilder(["--Logging:LogLevel:Default=Warning", .. CliConfiguration.Overrides(parseResult)], CliConfiguration.Folder(parseResult));
            output.WriteLine($"configuration {builder.Environment.ContentRootPath} (environment {builder.Environment.EnvironmentName})");
            foreach (var line in SettingsListing.Lines(builder.Configuration))
            {
                output.WriteLine($"  {line}");
            }

            var results = new List<CheckResult>();
            using var host = builder.Build();
            if (await ValidateAsync(host.Services, cancellationToken).ConfigureAwait(false) is { Count: > 0 } problems)
            {
                // Nothing else can be judged from settings that do not bind.
                results.AddRange(problems.Select(p => new CheckResult("configuration", CheckStatus.Fail, p)));
            }
            else
            {
                results.Add(new("configuration", CheckStatus.Pass, "valid"));
                var lookup = parseResult.GetValue(noDns) ? null : new DkimSelectorCheck(new Dmarc.Lookup.TxtLookup(DnsServerOption.Resolve(parseResult, dnsServer)));
                results.AddRange(await SetupCheck.RunAsync(host.Services, lookup, cancellationToken).ConfigureAwait(false));
            }

            var width = results.Max(r => r.Subject.Length);
            foreach (var result in results)
            {
                output.WriteLine($"{result.Status.ToString().ToUpperInvariant(),-4}  {result.Subject.PadRight(width)}  {result.Detail}");
            }

            return results.Any(r => r.Status == CheckStatus.Fail) ? 1 : 0;
        });
        return command;
    }

    /// <summary>Every configuration error a start would report (unknown keys included), or none.</summary>
    private static async Task<List<string>> ValidateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            if (services.GetService<IAsyncStartupValidator>() is { } validator)
            {
                await validator.ValidateAsync(cancellationToken).ConfigureAwait(false);
            }

            return [];
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException)
        {
            var all = ex is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [ex];
            return [.. all.OfType<OptionsValidationException>().SelectMany(invalid => invalid.Failures)];
        }
    }
}
