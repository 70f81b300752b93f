namespace RelaySigner.Core.Dsn;

/// <summary>
/// The NOTIFY parameter of RCPT TO (RFC 3461 §4.1): when the sender wants a delivery status notification for this
/// recipient. <see cref="Never"/> is never combined with the others.
/// </summary>
[Flags]
public enum DsnNotify
{
    Never = 1,
    Success = 2,
    Failure = 4,
    Delay = 8,
}
