namespace RelaySigner.Signing.Dkim;

/// <summary>One header field as received: its name as written and where the whole field lies in the message, folded lines and final CRLF included.</summary>
/// <param name="Name">The name before the colon, without trailing white space; empty for a line without a colon.</param>
public readonly record struct RawHeaderField(string Name, int Start, int Length);
