using Microsoft.Extensions.Options;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Feedback.Events;

/// <summary>Checks <see cref="EventsOptions"/> and reports every problem at once.</summary>
public sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
{
    /// <summary>
    /// Anyone holding one signed POST can test guesses of the secret offline, so it must be random and long: 32
    /// characters are 128 bits even as hex digits, the least RFC 2104 §3 advises for an HMAC key (its output length,
    /// 256 bits here, is better: the README suggests 64 hex digits).
    /// </summary>
    public const int MinSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, EventsOptions options)
    {
        var errors = new List<string>();
        var prefix = EventsOptions.SectionName;

        if (options.Enabled)
        {
            if (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add($"{prefix}:WebhookUrl '{options.WebhookUrl}' must be an absolute http or https URL.");
            }

            if (string.IsNullOrEmpty(options.Secret))
            {
                errors.Add($"{prefix}:Secret is required with {prefix}:WebhookUrl (it signs every POST); give it in the environment as Relay__Events__Secret.");
            }
            else if (options.Secret.Length < MinSecretLength)
            {
                errors.Add($"{prefix}:Secret must be at least {MinSecretLength} characters (it has {options.Secret.Length}), e.g. the output of `openssl rand -hex 32`.");
            }
        }

        Positive(errors, options.Timeout, "Timeout");
        Positive(errors, options.PollInterval, "PollInterval");
        Positive(errors, options.RetryDelay, "RetryDelay");
        if (options.MaxRetryDelay < options.RetryDelay)
        {
            errors.Add($"{prefix}:MaxRetryDelay ({options.MaxRetryDelay}) must be at least {prefix}:RetryDelay ({options.RetryDelay}).");
        }

        if (options.MaxBatch is < 1 or > 1000)
        {
            errors.Add($"{prefix}:MaxBatch must be between 1 and 1000 (it is {options.MaxBatch}).");
        }

        if (options.MaxConcurrentRequests is < 1 or > 64)
        {
            errors.Add($"{prefix}:MaxConcurrentRequests must be between 1 and 64 (it is {options.MaxConcurrentRequests}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{EventsOptions.SectionName}:{key} must be positive (it is {value}).");
        }
    }
}
