using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.IO;

namespace RelaySigner.Tests.Intake;

/// <summary>Just enough of a session for the guard: its properties and the DATA event.</summary>
internal sealed class FakeSessionContext : ISessionContext
{
    public event EventHandler<SmtpCommandEventArgs>? CommandExecuting;

    public event EventHandler<SmtpCommandEventArgs>? CommandExecuted;

    public event EventHandler<SmtpResponseExceptionEventArgs>? ResponseException;

    public event EventHandler<EventArgs>? SessionAuthenticated;

    public Guid SessionId { get; } = Guid.NewGuid();

    public IServiceProvider ServiceProvider => throw new NotSupportedException();

    public ISmtpServerOptions ServerOptions => throw new NotSupportedException();

    public IEndpointDefinition EndpointDefinition => throw new NotSupportedException();

    public ISecurableDuplexPipe Pipe => throw new NotSupportedException();

    public AuthenticationContext Authentication => AuthenticationContext.Unauthenticated;

    public IDictionary<string, object> Properties { get; } = new Dictionary<string, object>();

    /// <summary>DATA after EHLO (and MAIL, when a size is declared), as the session would raise it (the guard's rules pass it through).</summary>
    public void StartData(long? declaredSize = null)
    {
        CommandExecuted?.Invoke(this, new SmtpCommandEventArgs(this, new SmtpServer.Protocol.EhloCommand("client.test")));
        if (declaredSize is { } size)
        {
            var parameters = new Dictionary<string, string> { ["SIZE"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            CommandExecuted?.Invoke(this, new SmtpCommandEventArgs(this,
                new SmtpServer.Protocol.MailCommand(new SmtpServer.Mail.Mailbox("sender", "example.com"), parameters)));
        }

        CommandExecuting?.Invoke(this, new SmtpCommandEventArgs(this, new SmtpServer.Protocol.DataCommand()));
        _ = SessionAuthenticated;
    }

    /// <summary>An error, as SmtpServer raises it just before it writes the reply.</summary>
    public void RaiseError(SmtpServer.Protocol.SmtpResponse response) =>
        ResponseException?.Invoke(this, new SmtpResponseExceptionEventArgs(this, new SmtpServer.Protocol.SmtpResponseException(response)));

    /// <summary>The reply to the message has gone out.</summary>
    public void EndData() => CommandExecuted?.Invoke(this, new SmtpCommandEventArgs(this, new SmtpServer.Protocol.DataCommand()));
}
