using Microsoft.Extensions.Options;
using RelaySigner.Delivery.Routing;

namespace RelaySigner.Delivery;

/// <summary>Checks <see cref="DeliveryOptions"/> and reports every problem at once.</summary>
public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var errors = new List<string>();
        var prefix = DeliveryOptions.SectionName;

        if (!string.IsNullOrWhiteSpace(options.Smarthost) &&
            !HostEndpoint.TryParse(options.Smarthost, 25, out _))
        {
            errors.Add($"{prefix}:Smarthost '{options.Smarthost}' is not host:port, ip:port or [ipv6]:port.");
        }

        if (!string.IsNullOrWhiteSpace(options.DnsServer) &&
            (!HostEndpoint.TryParse(options.DnsServer, 53, out var dns) || dns.Address is null))
        {
            errors.Add($"{prefix}:DnsServer '{options.DnsServer}' is not ip:port or [ipv6]:port.");
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

        if (options.MaxAge <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}:MaxAge must be positive.");
        }

        if (options.LeaseDuration <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}:LeaseDuration must be positive.");
        }

        if (options.MaxConcurrentDeliveries < 1)
        {
            errors.Add($"{prefix}:MaxConcurrentDeliveries must be at least 1.");
        }

        if (options.HeloName is { } helo && !string.IsNullOrWhiteSpace(helo) &&
            helo.Trim().Any(c => c <= ' ' || c >= 127))
        {
            errors.Add($"{prefix}:HeloName must be a host name without spaces or non-ASCII characters.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
