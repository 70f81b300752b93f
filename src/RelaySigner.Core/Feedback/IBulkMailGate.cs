namespace RelaySigner.Core.Feedback;

/// <summary>The complaint-rate guard as the signing stage asks it, for each bulk message; answered from memory.</summary>
public interface IBulkMailGate
{
    /// <summary>
    /// Whether bulk mail of <paramref name="organisationalDomain"/> may be sent now (false: paused). Also notes the
    /// domain as one that sends bulk mail, whose complaint rate the guard then watches.
    /// </summary>
    bool Admits(string organisationalDomain);
}
