namespace RelaySigner.Delivery.Routing;

/// <summary>One MX record: its preference (lower is tried first) and the exchange host name as published.</summary>
internal sealed record MxEntry(int Preference, string Exchange);
