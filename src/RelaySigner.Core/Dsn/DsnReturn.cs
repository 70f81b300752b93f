namespace RelaySigner.Core.Dsn;

/// <summary>The RET parameter of MAIL FROM (RFC 3461 §4.3): what a failure notification returns of the message.</summary>
public enum DsnReturn
{
    /// <summary><c>RET=FULL</c>: the whole message.</summary>
    Full = 1,

    /// <summary><c>RET=HDRS</c>: its header only.</summary>
    Headers = 2,
}
