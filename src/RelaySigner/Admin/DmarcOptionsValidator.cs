using Microsoft.Extensions.Options;
using RelaySigner.Delivery;
using RelaySigner.Dmarc;

namespace RelaySigner.Admin;

/// <summary>Checks <see cref="DmarcOptions"/> and reports every problem at once.</summary>
public sealed class DmarcOptionsValidator : IValidateOptions<DmarcOptions>
{
    public ValidateOptionsResult Validate(string? name, DmarcOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.KnownSources.Count; i++)
        {
            var source = options.KnownSources[i];
            var prefix = $"{DmarcOptions.SectionName}:KnownSources:{i}";
            if (string.IsNullOrWhiteSpace(source.Name))
            {
                errors.Add($"{prefix}:Name is required.");
            }

            if (source.Networks.Count == 0)
            {
                errors.Add($"{prefix}:Networks must list IP addresses or CIDR networks.");
            }

            errors.AddRange(source.Networks.Where(n => !DeliveryOptions.TryParseSourceAddress(n, out _))
                .Select(n => $"{prefix}:Networks: '{n}' is not an IP address or CIDR network."));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
