namespace RelaySigner.Dmarc.Reports;

/// <summary>The DMARC record the reporter found for the domain.</summary>
/// <param name="Adkim">DKIM alignment mode: "r" (relaxed, the default) or "s" (strict).</param>
/// <param name="Aspf">SPF alignment mode: "r" or "s".</param>
public sealed record PublishedPolicy(string Domain, string P, string? Sp, int Pct, string Adkim, string Aspf);
