namespace RelaySigner.Signing.Keys;

/// <summary>A d= the relay can sign for: its keys (one signature each) and the extra header fields it signs.</summary>
public sealed record SigningDomain(string Domain, IReadOnlyList<DkimKey> Keys, IReadOnlyList<string> ExtraHeaders);
