using SmtpServer;

namespace RelaySigner.Intake.Listening;

/// <summary>The listeners: <c>Port</c>, <c>SubmissionPort</c>, <c>ImplicitTlsPort</c> and <c>Relay:Inbound:Port</c>.</summary>
public enum ListenerKind
{
    /// <summary>Port 25-style: relay by network (or AUTH after STARTTLS).</summary>
    Plain,

    /// <summary>Port 587-style: STARTTLS, then AUTH before MAIL.</summary>
    Submission,

    /// <summary>Port 465-style: TLS from the first byte, AUTH before MAIL.</summary>
    ImplicitTls,

    /// <summary>The inbound listener (the way back): mail for the relay's own addresses only, no AUTH.</summary>
    Inbound,
}

internal static class ListenerKindExtensions
{
    public static ListenerKind KindOf(this IEndpointDefinition endpoint) =>
        endpoint.IsSecure ? ListenerKind.ImplicitTls
        : endpoint.AuthenticationRequired ? ListenerKind.Submission
        : ListenerKind.Plain;
}
