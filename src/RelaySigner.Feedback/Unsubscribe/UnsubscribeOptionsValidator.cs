using Microsoft.Extensions.Options;

namespace RelaySigner.Feedback.Unsubscribe;

/// <summary>Checks <see cref="UnsubscribeOptions"/> and reports every problem at once.</summary>
public sealed class UnsubscribeOptionsValidator : IValidateOptions<UnsubscribeOptions>
{
    public ValidateOptionsResult Validate(string? name, UnsubscribeOptions options)
    {
        var errors = new List<string>();
        var prefix = UnsubscribeOptions.SectionName;
        if (!string.IsNullOrWhiteSpace(options.BaseUrl) &&
            !(Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUrl) && baseUrl.Scheme == Uri.UriSchemeHttps &&
              string.IsNullOrEmpty(baseUrl.Query) && string.IsNullOrEmpty(baseUrl.Fragment)))
        {
            errors.Add($"{prefix}:BaseUrl '{options.BaseUrl}' must be an absolute https URL without query or fragment (RFC 8058 section 3.1).");
        }

        if (options.UrlList.Any(u => !(Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")))
        {
            errors.Add($"{prefix}:Urls must be absolute http(s) URLs separated by ';'.");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPath))
        {
            errors.Add($"{prefix}:KeyPath must name the unsubscribe token key file.");
        }
        else if (Directory.Exists(options.KeyPath))
        {
            errors.Add($"{prefix}:KeyPath '{options.KeyPath}' is a folder; it must name a file.");
        }

        if (options.MaxRequestBodySize is < 64 or > 1024 * 1024)
        {
            errors.Add($"{prefix}:MaxRequestBodySize must be between 64 and 1048576 bytes.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
