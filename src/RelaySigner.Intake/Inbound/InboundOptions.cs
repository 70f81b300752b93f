namespace RelaySigner.Intake.Inbound;

/// <summary>
/// The inbound listener (the way back), bound from <c>Relay:Inbound</c>: where bounces, complaints and report mail for
/// the relay's own addresses arrive. Its limits, timeouts and certificate are those of <c>Relay:Smtp</c>.
/// </summary>
public sealed class InboundOptions
{
    public const string SectionName = "Relay:Inbound";

    /// <summary>Address to listen on. Default <c>127.0.0.1</c>; <c>0.0.0.0</c> or <c>::</c> for every interface.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>
    /// Port of the inbound listener: 25 in production, where the MX of the return-path domains points. Default none:
    /// no inbound listener. 0 takes any free port (tests).
    /// </summary>
    public int? Port { get; set; }
}
