using Microsoft.Extensions.Options;

using RelaySigner.Dmarc;

namespace RelaySigner.Dmarc.Reports.Collection;

/// <summary>Checks <see cref="DmarcOptions"/> at start and reports every problem at once.</summary>
public sealed class DmarcReportOptionsValidator : IValidateOptions<DmarcOptions>
{
    public ValidateOptionsResult Validate(string? name, DmarcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = DmarcOptions.SectionName;
        var errors = new List<string>();
        foreach (var address in options.ReportAddresses.Where(a => a.Split('@') is not [{ Length: > 0 }, { Length: > 0 }]))
        {
            errors.Add($"{Section}:ReportAddresses '{address}' is not an address (local@domain)");
        }

        var imap = options.Imap;
        if (imap.Enabled)
        {
            const string Imap = Section + ":Imap";
            if (imap.User.Length == 0)
            {
                errors.Add($"{Imap}:User is required with {Imap}:Host");
            }

            if (imap.PasswordPath.Length == 0)
            {
                errors.Add($"{Imap}:PasswordPath is required with {Imap}:Host");
            }

            if (imap.Port is < 1 or > 65535)
            {
                errors.Add($"{Imap}:Port {imap.Port} is not from 1 to 65535");
            }

            if (imap.Interval < TimeSpan.FromSeconds(1))
            {
                errors.Add($"{Imap}:Interval {imap.Interval} is shorter than a second");
            }

            string[] folders = [imap.Folder, imap.ProcessedFolder, imap.FailedFolder];
            if (folders.Any(f => f.Trim().Length == 0) || folders.Distinct(StringComparer.OrdinalIgnoreCase).Count() < 3)
            {
                errors.Add($"{Imap}:Folder, ProcessedFolder and FailedFolder must be three different folder names");
            }

            if (imap.TrustedCertificatePath is { Length: > 0 } trusted && !File.Exists(trusted))
            {
                errors.Add($"{Imap}:TrustedCertificatePath {trusted}: no such file");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
