namespace RelaySigner.Signing.Keys;

/// <summary>A key just written: where it is, and the TXT record to publish for it.</summary>
/// <param name="RecordName">e.g. <c>s2026._domainkey.example.com</c>.</param>
/// <param name="RecordValue">The TXT data as one string, e.g. <c>v=DKIM1; k=ed25519; p=…</c>.</param>
/// <param name="ZoneLine">The record as a zone-file line, split into strings of at most 255 octets.</param>
public sealed record GeneratedKey(string Path, string RecordName, string RecordValue, string ZoneLine);
