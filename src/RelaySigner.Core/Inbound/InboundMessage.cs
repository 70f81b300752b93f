namespace RelaySigner.Core.Inbound;

/// <summary>A message the inbound listener accepted: its envelope sender (empty for <c>&lt;&gt;</c>, as bounces
/// have), the client's address and the complete content as received (CRLF line endings).</summary>
public sealed record InboundMessage(string Sender, System.Net.IPAddress? ClientAddress, ReadOnlyMemory<byte> Content);
