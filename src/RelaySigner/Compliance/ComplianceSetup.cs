using System.Net;
using RelaySigner.Core.Feedback;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Compliance;

/// <summary>What the compliance rules judge besides DNS: the relay's own settings and data for one From domain.</summary>
/// <param name="FromDomain">The From domain of the mail.</param>
/// <param name="ReturnPathDomain">The domain of the envelope sender (MAIL FROM) the mail goes out with.</param>
/// <param name="RelayNetworks">The relay's outbound addresses as receivers see them.</param>
/// <param name="Signing">The d= and keys the relay signs the domain's mail with; null when it would refuse it.</param>
/// <param name="HeloName">The name the relay says in EHLO.</param>
/// <param name="Smarthost">The smarthost everything goes to, or null for MX delivery.</param>
/// <param name="RequireTlsDestinations">Destinations that get mail only over STARTTLS.</param>
/// <param name="UnsubscribeBaseUrl">Where the relay hosts one-click unsubscribe, or null.</param>
/// <param name="FeedbackRates">The relay's delivery and feedback counts, or null when no store keeps them.</param>
public sealed record ComplianceSetup(
    string FromDomain,
    string ReturnPathDomain,
    IReadOnlyList<IPNetwork> RelayNetworks,
    SigningDomain? Signing,
    string HeloName,
    string? Smarthost,
    IReadOnlyList<string> RequireTlsDestinations,
    string? UnsubscribeBaseUrl,
    IFeedbackRates? FeedbackRates);
