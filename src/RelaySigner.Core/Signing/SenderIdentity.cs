namespace RelaySigner.Core.Signing;

/// <summary>Who handed the message in: the client's address and, once AUTH exists, its user name.</summary>
public sealed record SenderIdentity(System.Net.IPAddress? ClientAddress, string? UserName);
