namespace RelaySigner.Core.Feedback;

/// <summary>What an event reports. Its JSON name is the lower-case member name (<c>delivered</c>, …).</summary>
public enum RelayEventType
{
    Delivered,
    Deferred,
    Bounced,
    Complained,
    Suppressed,
    Unsubscribed,
}
