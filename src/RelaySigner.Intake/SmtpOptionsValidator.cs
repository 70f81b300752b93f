using System.Net;
using Microsoft.Extensions.Options;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Intake;

/// <summary>Checks <see cref="SmtpOptions"/> and reports every problem at once.</summary>
public sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var errors = new List<string>();
        var prefix = SmtpOptions.SectionName;

        if (!IPAddress.TryParse(options.Address, out _))
        {
            errors.Add($"{prefix}:Address '{options.Address}' is not an IP address.");
        }

        foreach (var (key, port) in new[] { ("Port", (int?)options.Port), ("SubmissionPort", options.SubmissionPort), ("ImplicitTlsPort", options.ImplicitTlsPort) })
        {
            if (port is < 0 or > 65535)
            {
                errors.Add($"{prefix}:{key} must be between 0 and 65535.");
            }
        }

        if ((options.SubmissionPort is not null || options.ImplicitTlsPort is not null) && !options.Tls.IsConfigured)
        {
            errors.Add($"{prefix}:SubmissionPort and {prefix}:ImplicitTlsPort need a certificate ({prefix}:Tls:CertificatePath and KeyPath, or PfxPath).");
        }

        if (!string.IsNullOrWhiteSpace(options.Tls.CertificatePath) && string.IsNullOrWhiteSpace(options.Tls.KeyPath))
        {
            errors.Add($"{prefix}:Tls:KeyPath is required with {prefix}:Tls:CertificatePath.");
        }

        foreach (var path in new[] { options.Tls.CertificatePath, options.Tls.KeyPath, options.Tls.PfxPath })
        {
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
            {
                errors.Add($"{prefix}:Tls: file '{path}' does not exist.");
            }
        }

        foreach (var network in options.EffectiveAllowedNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            errors.Add($"{prefix}:AllowedNetworks '{network}' is not a CIDR network such as 10.0.0.0/8.");
        }

        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            if (client.Networks.Length == 0 || client.Networks.Any(n => !IPNetwork.TryParse(n, out _)))
            {
                errors.Add($"{prefix}:Clients:{i}:Networks must list CIDR networks such as 10.1.2.0/24.");
            }

            if (client.AllowedFromDomains.Length == 0)
            {
                errors.Add($"{prefix}:Clients:{i}:AllowedFromDomains must list domains (or *).");
            }
        }

        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            if (string.IsNullOrWhiteSpace(user.Name))
            {
                errors.Add($"{prefix}:Users:{i}:Name is required.");
            }

            if (!PasswordHash.IsWellFormed(user.PasswordHash))
            {
                errors.Add($"{prefix}:Users:{i}:PasswordHash is not a hash from 'relaysigner users hash-password'.");
            }

            if (user.AllowedFromDomains.Length == 0)
            {
                errors.Add($"{prefix}:Users:{i}:AllowedFromDomains must list domains (or *).");
            }
        }

        if (options.Users.GroupBy(u => u.Name, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            errors.Add($"{prefix}:Users: user names must be unique.");
        }

        foreach (var (key, value) in new[]
                 {
                     ("MaxMessageSize", options.MaxMessageSize), ("MaxHeaderSize", options.MaxHeaderSize), ("MaxRecipients", options.MaxRecipients),
                     ("MaxConnections", options.MaxConnections), ("MaxConnectionsPerClient", options.MaxConnectionsPerClient),
                     ("MaxBadCommands", options.MaxBadCommands), ("MaxAuthFailures", options.MaxAuthFailures),
                 })
        {
            if (value <= 0)
            {
                errors.Add($"{prefix}:{key} must be positive.");
            }
        }

        if (options.MinDataRate < 0)
        {
            errors.Add($"{prefix}:MinDataRate must be 0 (off) or positive.");
        }

        foreach (var (key, value) in new[]
                 {
                     ("SessionTimeout", options.SessionTimeout), ("CommandTimeout", options.CommandTimeout),
                     ("DataTimeout", options.DataTimeout), ("MaxDataTime", options.MaxDataTime), ("AuthFailureWindow", options.AuthFailureWindow),
                 })
        {
            if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
            {
                errors.Add($"{prefix}:{key} must be positive and below 24 days.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
