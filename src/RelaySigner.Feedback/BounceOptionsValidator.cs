using Microsoft.Extensions.Options;
using MimeKit;

namespace RelaySigner.Feedback;

/// <summary>Checks <see cref="BounceOptions"/> and reports every problem at once.</summary>
public sealed class BounceOptionsValidator : IValidateOptions<BounceOptions>
{
    public ValidateOptionsResult Validate(string? name, BounceOptions options)
    {
        var errors = new List<string>();
        var prefix = BounceOptions.SectionName;

        if (string.IsNullOrWhiteSpace(options.SecretPath))
        {
            errors.Add($"{prefix}:SecretPath must name the bounce token key file.");
        }
        else if (Directory.Exists(options.SecretPath))
        {
            errors.Add($"{prefix}:SecretPath '{options.SecretPath}' is a folder; it must name a file.");
        }

        for (var i = 0; i < options.FeedbackAddresses.Count; i++)
        {
            var address = options.FeedbackAddresses[i];
            if (!IsPlainAddress(address))
            {
                errors.Add($"{prefix}:FeedbackAddresses:{i} '{address}' is not a mailbox address (local@domain).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsPlainAddress(string? address) =>
        !string.IsNullOrWhiteSpace(address) &&
        MailboxAddress.TryParse(address, out var mailbox) &&
        string.IsNullOrEmpty(mailbox.Name) &&
        mailbox.Address == address!.Trim() &&
        mailbox.Domain.Length > 0 && mailbox.LocalPart.Length > 0;
}
