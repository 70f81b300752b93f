namespace RelaySigner.Tools;

/// <summary>A message as a sink received it: envelope and the exact bytes after DATA (dot-unstuffed).</summary>
public sealed record ReceivedMessage(string Sender, IReadOnlyList<string> Recipients, byte[] Content);
