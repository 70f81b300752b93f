namespace RelaySigner.Feedback.Events;

/// <summary>What became of one POST: the <c>result</c> label of <c>relaysigner_webhook_requests_total</c>.</summary>
public enum WebhookResult
{
    /// <summary>A 2xx answer: the event is done.</summary>
    Accepted,

    /// <summary>A 1xx, 3xx or 4xx answer (redirects are not followed): retried, since only a 2xx ends an event.</summary>
    Refused,

    /// <summary>A 5xx answer.</summary>
    ServerError,

    /// <summary>No answer within <c>Relay:Events:Timeout</c>.</summary>
    Timeout,

    /// <summary>No connection, TLS failure, connection lost.</summary>
    Unreachable,
}
