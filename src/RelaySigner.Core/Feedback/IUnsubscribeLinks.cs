namespace RelaySigner.Core.Feedback;

/// <summary>
/// The one-click unsubscribe (RFC 8058) of bulk mail as the signing stage asks for it: the feedback stage makes the
/// links, whose tokens its HTTPS endpoint and mailto handler accept.
/// </summary>
public interface IUnsubscribeLinks
{
    /// <summary>Bulk mail must bring a usable unsubscribe of its own; the relay refuses it rather than adding one.</summary>
    bool RequireOwn { get; }

    /// <summary>
    /// The value of the List-Unsubscribe field for one recipient: <c>&lt;https://BASE/u/TOKEN&gt;</c>, then, with a
    /// return-path domain, <c>&lt;mailto:u-TOKEN@returnPathDomain&gt;</c>, folded after the comma. Null when no
    /// base URL is configured.
    /// </summary>
    /// <param name="organisationalDomain">The From's organisational domain: the suppression list's domain.</param>
    string? ListUnsubscribe(string recipient, string organisationalDomain, string? returnPathDomain);
}
