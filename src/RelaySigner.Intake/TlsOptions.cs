namespace RelaySigner.Intake;

/// <summary>The server certificate, bound from <c>Relay:Smtp:Tls</c>: PEM files, or a PFX file.</summary>
public sealed class TlsOptions
{
    /// <summary>PEM certificate (chain) file. Default: none.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key file of <see cref="CertificatePath"/>. Default: none.</summary>
    public string? KeyPath { get; set; }

    /// <summary>PKCS#12 file holding certificate and key, instead of the PEM files. Default: none.</summary>
    public string? PfxPath { get; set; }

    /// <summary>Password of <see cref="PfxPath"/>. Default: none.</summary>
    public string? PfxPassword { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(PfxPath);
}
