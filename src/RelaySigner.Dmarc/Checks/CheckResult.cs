namespace RelaySigner.Dmarc.Checks;

/// <summary>One line of a DNS check: what was checked (e.g. "DKIM s2026"), the verdict and why.</summary>
public sealed record CheckResult(string Subject, CheckStatus Status, string Detail);
