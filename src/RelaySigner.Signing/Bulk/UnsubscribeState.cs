namespace RelaySigner.Signing.Bulk;

/// <summary>The one-click unsubscribe a bulk message brings of its own.</summary>
internal enum UnsubscribeState
{
    /// <summary>Neither List-Unsubscribe nor List-Unsubscribe-Post: the relay adds both.</summary>
    None,

    /// <summary>One of each, one-click and with an https URI: kept and signed.</summary>
    Usable,

    /// <summary>Something else (one without the other, no https URI, repeated fields): kept and signed as the
    /// application wrote them, or refused under <c>Relay:Unsubscribe:Require</c>.</summary>
    Unusable,
}
