using System.Text;
using RelaySigner.Core.Dsn;
using SmtpServer.Protocol;

namespace RelaySigner.Intake.Dsn;

/// <summary>
/// NOTIFY and ORCPT of RCPT TO (RFC 3461 §4.1, §4.2), read from the raw command line. SmtpServer 11.1.0 accepts RCPT
/// parameters but drops them (its RcptCommand keeps only the address), so the session's reader reads them before
/// SmtpServer parses the line (<see cref="Listening.SessionPipeReader"/>), refuses malformed or unknown ones, and
/// hands the values to the mailbox filter through <see cref="Session.SessionGuard.RecipientDsn"/>.
/// </summary>
public static class RcptDsnParameters
{
    /// <summary>RFC 5321 §4.1.1.11: 555 for a RCPT TO parameter that is not recognised.</summary>
    private static SmtpResponse NotRecognized(string keyword) =>
        new((SmtpReplyCode)555, $"5.5.4 RCPT TO parameter {keyword} not recognized");

    /// <param name="line">One command line without its CRLF.</param>
    /// <returns>
    /// Null when the line is no RCPT TO with a path and parameters (SmtpServer parses or refuses it as it is).
    /// Otherwise the parameters, or the refusal of malformed or unknown ones.
    /// </returns>
    public static (RecipientDsn? Dsn, SmtpResponse? Refusal)? Parse(ReadOnlySpan<byte> line)
    {
        if (line.Length < 8 || !Ascii.EqualsIgnoreCase(line[..5], "RCPT "u8))
        {
            return null;
        }

        var pathEnd = PathEnd(line);
        if (pathEnd < 0 || pathEnd == line.Length - 1)
        {
            return null;
        }

        var parameters = Encoding.ASCII.GetString(line[(pathEnd + 1)..]);
        if (parameters[0] != ' ')
        {
            return null; // not a path followed by parameters: SmtpServer refuses the line as malformed
        }

        DsnNotify? notify = null;
        string? orcpt = null;
        foreach (var parameter in parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var keyword = equals < 0 ? parameter : parameter[..equals];
            var value = equals < 0 ? null : parameter[(equals + 1)..];
            if (keyword.Equals("NOTIFY", StringComparison.OrdinalIgnoreCase))
            {
                notify = notify is null && value is not null ? Notify(value) : null;
                if (notify is null)
                {
                    return (null, MailDsnParameters.Refusal(
                        "NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY, given once (RFC 3461 section 4.1)"));
                }
            }
            else if (keyword.Equals("ORCPT", StringComparison.OrdinalIgnoreCase))
            {
                orcpt = orcpt is null && value is not null ? OriginalRecipient(value) : null;
                if (orcpt is null)
                {
                    return (null, MailDsnParameters.Refusal(
                        $"ORCPT must be addr-type;xtext of printable ASCII, at most {DsnRequest.MaxOriginalRecipientLength} characters, given once (RFC 3461 section 4.2)"));
                }
            }
            else
            {
                return (null, NotRecognized(keyword));
            }
        }

        return (new RecipientDsn(notify, orcpt), null);
    }

    /// <summary>NEVER alone, or SUCCESS, FAILURE and DELAY in any order, each once; null otherwise.</summary>
    private static DsnNotify? Notify(string value)
    {
        DsnNotify flags = 0;
        foreach (var item in value.Split(','))
        {
            DsnNotify flag = item.ToUpperInvariant() switch
            {
                "NEVER" => DsnNotify.Never,
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => 0,
            };
            if (flag == 0 || (flags & flag) != 0)
            {
                return null;
            }

            flags |= flag;
        }

        return flags.HasFlag(DsnNotify.Never) && flags != DsnNotify.Never ? null : flags;
    }

    /// <summary><c>addr-type;xtext</c> (the type an atom), as <c>addr-type;decoded</c>; null when malformed.</summary>
    private static string? OriginalRecipient(string value)
    {
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (value.Length > DsnRequest.MaxOriginalRecipientLength || semicolon <= 0 || semicolon == value.Length - 1 ||
            !value.AsSpan(0, semicolon).ContainsOnlyAtext())
        {
            return null;
        }

        return Xtext.Decode(value.AsSpan(semicolon + 1)) is { } address ? $"{value[..semicolon]};{address}" : null;
    }

    /// <summary>RFC 5322 atext: what an atom (the addr-type) may hold.</summary>
    private static bool ContainsOnlyAtext(this ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The index of the <c>&gt;</c> that closes the path after <c>TO:</c>, past quoted strings; -1 when none.</summary>
    private static int PathEnd(ReadOnlySpan<byte> line)
    {
        var open = line.IndexOf((byte)'<');
        if (open < 0)
        {
            return -1;
        }

        var quoted = false;
        for (var i = open + 1; i < line.Length; i++)
        {
            switch (line[i])
            {
                case (byte)'\\' when quoted:
                    i++;
                    break;
                case (byte)'"':
                    quoted = !quoted;
                    break;
                case (byte)'>' when !quoted:
                    return i;
            }
        }

        return -1;
    }
}
