using Microsoft.Extensions.Options;

namespace RelaySigner.Feedback.Bulk;

public sealed class BulkOptionsValidator : IValidateOptions<BulkOptions>
{
    public ValidateOptionsResult Validate(string? name, BulkOptions options)
    {
        var errors = new List<string>();
        if (options.PauseAboveComplaintRate is not (null or (> 0 and < 1)))
        {
            errors.Add($"{BulkOptions.SectionName}:PauseAboveComplaintRate must be a fraction between 0 and 1 (0.003 is 0.3 %), or absent.");
        }

        if (options.PauseMinimumDelivered < 0)
        {
            errors.Add($"{BulkOptions.SectionName}:PauseMinimumDelivered must not be negative.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
