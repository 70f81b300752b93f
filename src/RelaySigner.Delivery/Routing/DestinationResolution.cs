using System.Diagnostics.CodeAnalysis;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Delivery.Transport;

namespace RelaySigner.Delivery.Routing;

/// <summary>
/// The result of resolving a recipient domain: a <see cref="Route"/>, or a <see cref="Failure"/> whose reply code
/// says whether it is permanent (5xx: NXDOMAIN, null MX) or temporary (4xx: SERVFAIL, timeout, no answer).
/// </summary>
public sealed record DestinationResolution
{
    private DestinationResolution(Destination? route, SmtpReply? failure)
    {
        Route = route;
        Failure = failure;
    }

    public Destination? Route { get; }

    public SmtpReply? Failure { get; }

    [MemberNotNullWhen(true, nameof(Route))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsResolved => Route is not null;

    /// <summary>True when the failure is final: the recipients of this domain fail now (DSN).</summary>
    public bool IsPermanentFailure => Failure is { IsPermanent: true };

    public static DestinationResolution Resolved(Destination route) => new(route, null);

    /// <summary>A failure that will not heal by retrying; <paramref name="enhancedCode"/> is 5.x.x.</summary>
    public static DestinationResolution Permanent(int code, string enhancedCode, string text) =>
        new(null, new SmtpReply(code, enhancedCode, text));

    /// <summary>A failure worth retrying later; <paramref name="enhancedCode"/> is 4.x.x.</summary>
    public static DestinationResolution Temporary(string enhancedCode, string text) =>
        new(null, new SmtpReply(451, enhancedCode, text));

    /// <summary>
    /// The outcome of this attempt for recipients that could not be routed: Failed for a permanent failure,
    /// Pending for a temporary one, each carrying <see cref="Failure"/>.
    /// </summary>
    public IReadOnlyList<RecipientOutcome> OutcomesFor(IEnumerable<string> recipients)
    {
        if (Failure is null)
        {
            throw new InvalidOperationException("The destination was resolved; there is no failure to report.");
        }

        return recipients.Select(recipient => OutcomeClassifier.Outcome(recipient, Failure)).ToList();
    }
}
