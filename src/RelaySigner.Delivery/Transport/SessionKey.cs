namespace RelaySigner.Delivery.Transport;

/// <summary>What an idle SMTP session can be reused for: the same address, with the same TLS and AUTH demands.</summary>
internal sealed record SessionKey(DestinationAddress Address, bool RequireTls, bool Authenticated);
