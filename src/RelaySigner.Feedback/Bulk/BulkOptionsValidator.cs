using Microsoft.Extensions.Options;

namespace RelaySigner.Feedback.Bulk;

public sealed class BulkOptionsValidator : IValidateOptions<BulkOptions>
{
    public ValidateOptionsResult Validate(string? name, BulkOptions options) =>
        options.PauseAboveComplaintRate is null or (> 0 and < 1)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{BulkOptions.SectionName}:PauseAboveComplaintRate must be a fraction between 0 and 1 (0.003 is 0.3 %), or absent.");
}
