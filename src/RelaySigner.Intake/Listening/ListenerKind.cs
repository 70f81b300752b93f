using SmtpServer;

namespace RelaySigner.Intake.Listening;

/// <summary>The three listeners: <c>Port</c>, <c>SubmissionPort</c> and <c>ImplicitTlsPort</c>.</summary>
public enum ListenerKind
{
    /// <summary>Port 25-style: relay by network (or AUTH after STARTTLS).</summary>
    Plain,

    /// <summary>Port 587-style: STARTTLS, then AUTH before MAIL.</summary>
    Submission,

    /// <summary>Port 465-style: TLS from the first byte, AUTH before MAIL.</summary>
    ImplicitTls,
}

internal static class ListenerKindExtensions
{
    public static ListenerKind KindOf(this IEndpointDefinition endpoint) =>
        endpoint.IsSecure ? ListenerKind.ImplicitTls
        : endpoint.AuthenticationRequired ? ListenerKind.Submission
        : ListenerKind.Plain;
}
