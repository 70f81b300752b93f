using System.Net;
using Microsoft.Extensions.Options;

namespace RelaySigner.Intake.Inbound;

/// <summary>Checks <see cref="InboundOptions"/> and reports every problem at once.</summary>
public sealed class InboundOptionsValidator : IValidateOptions<InboundOptions>
{
    public ValidateOptionsResult Validate(string? name, InboundOptions options)
    {
        var errors = new List<string>();
        if (!IPAddress.TryParse(options.Address, out _))
        {
            errors.Add($"{InboundOptions.SectionName}:Address '{options.Address}' is not an IP address.");
        }

        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"{InboundOptions.SectionName}:Port {options.Port} is not a port (0-65535).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
