using Microsoft.Extensions.Options;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Queue.Feedback;

/// <summary>Checks <c>Relay:Events</c> at start, reporting every problem at once.</summary>
public sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
{
    public ValidateOptionsResult Validate(string? name, EventsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{EventsOptions.SectionName}:WebhookUrl must be an absolute http or https URL.");
        }

        if (string.IsNullOrWhiteSpace(options.Secret))
        {
            failures.Add($"{EventsOptions.SectionName}:Secret is required when {EventsOptions.SectionName}:WebhookUrl is set " +
                "(it signs each POST); give it e.g. as the environment variable Relay__Events__Secret.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
