namespace RelaySigner.Core;

/// <summary>The SMTP envelope of one accepted message: the reverse path and the forward paths.</summary>
/// <param name="Sender">MAIL FROM address; empty for the null reverse path <c>&lt;&gt;</c>.</param>
/// <param name="Recipients">RCPT TO addresses, in the order the client gave them.</param>
public sealed record Envelope(string Sender, IReadOnlyList<string> Recipients);
