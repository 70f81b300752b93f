using Microsoft.Extensions.Options;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Headers;
using RelaySigner.Signing.Policy;

namespace RelaySigner.Signing;

/// <summary>Checks <c>Relay:Dkim</c> at start and reports every error at once.</summary>
public sealed class DkimOptionsValidator(PublicSuffixList suffixes) : IValidateOptions<DkimOptions>
{
    public DkimOptionsValidator()
        : this(PublicSuffixList.Shipped)
    {
    }

    public ValidateOptionsResult Validate(string? name, DkimOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.KeysPath))
        {
            errors.Add("Relay:Dkim:KeysPath must name a folder");
        }

        foreach (var (domain, settings) in options.Domains)
        {
            var prefix = $"Relay:Dkim:Domains:{domain}";
            if (Canonicalization.Parse(settings.Canonicalization) is null)
            {
                errors.Add($"{prefix}:Canonicalization '{settings.Canonicalization}' must be relaxed/relaxed, relaxed/simple, simple/relaxed or simple/simple");
            }

            foreach (var header in settings.ExtraHeaders.Where(SignedHeaders.Forbidden.Contains))
            {
                errors.Add($"{prefix}:ExtraHeaders may not contain {header}: it changes in transit or must not be signed");
            }

            foreach (var header in settings.ExtraHeaders.Where(h => h.Length == 0 || h.Any(c => c <= ' ' || c == ':' || c > '~')))
            {
                errors.Add($"{prefix}:ExtraHeaders '{header}' is not a header field name");
            }

            if (settings.SignatureLifetime is { } lifetime && lifetime <= TimeSpan.Zero)
            {
                errors.Add($"{prefix}:SignatureLifetime must be positive");
            }

            if (settings.ReturnPathDomain is { } returnPath && ReturnPathDomains.Problem(domain, returnPath, suffixes) is { } problem)
            {
                errors.Add($"{prefix}:ReturnPathDomain '{returnPath}' {problem}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
