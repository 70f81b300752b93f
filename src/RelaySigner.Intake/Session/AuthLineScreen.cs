using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;
using SmtpServer.Protocol;

namespace RelaySigner.Intake.Session;

/// <summary>
/// Checks the credentials of AUTH PLAIN and LOGIN before SmtpServer decodes them, on the raw line: the command's
/// initial response and each line the client sends during the exchange. SmtpServer's AuthCommand decodes with
/// <see cref="Convert.FromBase64String(string)"/> and lets its FormatException end the session without a reply,
/// and reads PLAIN with a regular expression whose <c>.</c> stops at a LF, so <c>secret\nmore</c> would be checked
/// as <c>secret</c>. A credential it cannot carry whole is refused here instead.
/// </summary>
public static class AuthLineScreen
{
    /// <summary>RFC 4954 §4: a response that is not valid base64 gets 501.</summary>
    public static readonly SmtpResponse Malformed = new(SmtpReplyCode.SyntaxError, "5.5.2 Cannot decode the credentials (invalid base64, or a NUL, CR or LF where none is allowed)");

    /// <summary>RFC 4954 §4: a client cancels the exchange with "*", and the server answers 501.</summary>
    public static readonly SmtpResponse Cancelled = new(SmtpReplyCode.SyntaxError, "5.7.0 Authentication cancelled");

    private static readonly SearchValues<byte> Base64Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="u8);

    /// <summary>Checks an <c>AUTH PLAIN|LOGIN initial-response</c> command line (without its CRLF); other lines pass.</summary>
    public static SmtpResponse? CheckCommand(ReadOnlySpan<byte> line)
    {
        if (line.Length < 5 || !Ascii.EqualsIgnoreCase(line[..5], "AUTH "u8))
        {
            return null;
        }

        var rest = line[5..].TrimStart((byte)' ');
        var space = rest.IndexOf((byte)' ');
        if (space < 0)
        {
            // No initial response: the credentials come as continuation lines.
            return null;
        }

        var mechanism = rest[..space];
        var response = rest[(space + 1)..].Trim((byte)' ');
        return Ascii.EqualsIgnoreCase(mechanism, "PLAIN"u8) ? CheckResponse(response, AuthenticationMethod.Plain)
            : Ascii.EqualsIgnoreCase(mechanism, "LOGIN"u8) ? CheckResponse(response, AuthenticationMethod.Login)
            : null;
    }

    /// <summary>Checks one base64 response of an AUTH exchange: PLAIN's whole message, or LOGIN's user name or password.</summary>
    public static SmtpResponse? CheckResponse(ReadOnlySpan<byte> line, AuthenticationMethod method)
    {
        if (line.SequenceEqual("*"u8))
        {
            return Cancelled;
        }

        // Strict base64 (RFC 4648 §4, padded, nothing else): .NET's decoder would also skip spaces.
        if (line.Length % 4 != 0 || line.IndexOfAnyExcept(Base64Alphabet) >= 0)
        {
            return Malformed;
        }

        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(line.Length)];
        if (Base64.DecodeFromUtf8(line, decoded, out _, out var written) != OperationStatus.Done)
        {
            return Malformed;
        }

        var credentials = decoded.AsSpan(0, written);
        return Utf8.IsValid(credentials) && (method == AuthenticationMethod.Plain ? IsPlainMessage(credentials) : IsLoginValue(credentials))
            ? null
            : Malformed;
    }

    /// <summary>
    /// RFC 4616 §2: <c>[authzid] NUL authcid NUL passwd</c>, the last two not empty. CR and LF are refused too:
    /// SmtpServer would cut the password at either.
    /// </summary>
    private static bool IsPlainMessage(ReadOnlySpan<byte> message)
    {
        var first = message.IndexOf((byte)0);
        var second = first < 0 ? -1 : message[(first + 1)..].IndexOf((byte)0) + first + 1;
        return second > first + 1 &&
            second < message.Length - 1 &&
            message.Count((byte)0) == 2 &&
            message.IndexOfAny((byte)'\r', (byte)'\n') < 0;
    }

    private static bool IsLoginValue(ReadOnlySpan<byte> value) => value.IndexOfAny((byte)0, (byte)'\r', (byte)'\n') < 0;
}
