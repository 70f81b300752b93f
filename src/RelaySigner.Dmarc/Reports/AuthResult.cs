namespace RelaySigner.Dmarc.Reports;

/// <summary>A raw DKIM or SPF result the reporter saw, before alignment (selector only for DKIM).</summary>
public sealed record AuthResult(string Domain, string? Selector, string Result);
