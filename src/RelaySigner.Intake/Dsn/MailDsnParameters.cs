using RelaySigner.Core.Dsn;
using SmtpServer.Protocol;

namespace RelaySigner.Intake.Dsn;

/// <summary>
/// RET and ENVID of MAIL FROM (RFC 3461 §4.3, §4.4), read from the parameters SmtpServer parsed. Checked when MAIL is
/// executed (<see cref="Session.CommandRules"/>), read again at the end of DATA from the transaction.
/// </summary>
public static class MailDsnParameters
{
    /// <summary>The reply to a malformed RET or ENVID (RFC 3461 §4: 501 for a syntax error in a parameter).</summary>
    public static SmtpResponse Refusal(string what) => new(SmtpReplyCode.SyntaxError, $"5.5.4 {what}");

    /// <summary>Reads RET and ENVID; a refusal when either is malformed.</summary>
    public static (DsnReturn? Return, string? EnvelopeId, SmtpResponse? Refusal) Parse(IReadOnlyDictionary<string, string>? parameters)
    {
        DsnReturn? ret = null;
        string? envelopeId = null;
        if (parameters is null || parameters.Count == 0)
        {
            return (null, null, null);
        }

        foreach (var (keyword, value) in parameters)
        {
            if (keyword.Equals("RET", StringComparison.OrdinalIgnoreCase))
            {
                ret = value.ToUpperInvariant() switch
                {
                    "FULL" => DsnReturn.Full,
                    "HDRS" => DsnReturn.Headers,
                    _ => null,
                };
                if (ret is null)
                {
                    return (null, null, Refusal("RET must be FULL or HDRS (RFC 3461 section 4.3)"));
                }
            }
            else if (keyword.Equals("ENVID", StringComparison.OrdinalIgnoreCase))
            {
                envelopeId = value.Length is > 0 and <= DsnRequest.MaxEnvelopeIdLength ? Xtext.Decode(value) : null;
                if (envelopeId is null)
                {
                    return (null, null, Refusal(
                        $"ENVID must be xtext of printable ASCII, 1 to {DsnRequest.MaxEnvelopeIdLength} characters (RFC 3461 section 4.4)"));
                }
            }
        }

        return (ret, envelopeId, null);
    }
}
