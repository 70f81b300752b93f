using Microsoft.Extensions.Options;
using RelaySigner.Core.Net;

namespace RelaySigner.Delivery;

/// <summary>Checks <see cref="DeliveryOptions"/> and reports every problem at once.</summary>
public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var errors = new List<string>();
        var prefix = DeliveryOptions.SectionName;

        if (!options.TryGetSmarthost(out _))
        {
            errors.Add($"{prefix}:Smarthost '{options.Smarthost}' is not host:port, ip:port or [ipv6]:port.");
        }

        if (!HostEndpoint.TryParseResolver(options.DnsServer, out _))
        {
            errors.Add($"{prefix}:DnsServer '{options.DnsServer}' is not ip:port or [ipv6]:port.");
        }

        if (string.IsNullOrEmpty(options.SmarthostUser) != string.IsNullOrEmpty(options.SmarthostPassword))
        {
            errors.Add($"{prefix}:SmarthostUser and {prefix}:SmarthostPassword go together.");
        }

        if (!string.IsNullOrEmpty(options.SmarthostUser) && string.IsNullOrWhiteSpace(options.Smarthost))
        {
            errors.Add($"{prefix}:SmarthostUser needs {prefix}:Smarthost (AUTH is never sent to MX hosts).");
        }

        if (options.MxPort is < 1 or > 65535)
        {
            errors.Add($"{prefix}:MxPort must be between 1 and 65535.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}:ConnectTimeout must be positive.");
        }

        if (options.CommandTimeout <= TimeSpan.Zero || options.CommandTimeout.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"{prefix}:CommandTimeout must be positive and below 24 days.");
        }

        if (options.RetrySchedule.Any(delay => delay <= TimeSpan.Zero))
        {
            errors.Add($"{prefix}:RetrySchedule entries must be positive.");
        }

        if (options.RetryJitter is < 0 or > 0.5 || double.IsNaN(options.RetryJitter))
        {
            errors.Add($"{prefix}:RetryJitter must be between 0 and 0.5.");
        }

        if (options.DelayWarningAfter < TimeSpan.Zero)
        {
            errors.Add($"{prefix}:DelayWarningAfter must be zero (off) or positive.");
        }

        if (options.MaxAge <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}:MaxAge must be positive.");
        }

        if (options.LeaseDuration <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}:LeaseDuration must be positive.");
        }

        if (options.MaxConnectionsPerDestination < 1)
        {
            errors.Add($"{prefix}:MaxConnectionsPerDestination must be at least 1.");
        }

        if (options.CircuitBreakerFailures < 2)
        {
            errors.Add($"{prefix}:CircuitBreakerFailures must be at least 2.");
        }

        if (options.CircuitBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add($"{prefix}:CircuitBreakDuration must be at least 0.5 seconds.");
        }

        if (options.ConnectionReuseTime < TimeSpan.Zero)
        {
            errors.Add($"{prefix}:ConnectionReuseTime must not be negative.");
        }

        if (options.MaxConnections < 1)
        {
            errors.Add($"{prefix}:MaxConnections must be at least 1.");
        }

        if (options.MessagesPerSecondPerDestination is < 0 or > 10000 || double.IsNaN(options.MessagesPerSecondPerDestination))
        {
            errors.Add($"{prefix}:MessagesPerSecondPerDestination must be between 0 (no limit) and 10000.");
        }

        if (options.MaxConcurrentDeliveries < 1)
        {
            errors.Add($"{prefix}:MaxConcurrentDeliveries must be at least 1.");
        }

        foreach (var source in options.SourceAddresses.Where(a => !DeliveryOptions.TryParseSourceAddress(a, out _)))
        {
            errors.Add($"{prefix}:SourceAddresses '{source}' is neither an IP address nor a CIDR network.");
        }

        if (options.HeloName is { } helo && !string.IsNullOrWhiteSpace(helo) &&
            helo.Trim().Any(c => c <= ' ' || c >= 127))
        {
            errors.Add($"{prefix}:HeloName must be a host name without spaces or non-ASCII characters.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
