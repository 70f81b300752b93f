using System.Text;
using RelaySigner.Core;
using RelaySigner.Core.Queue;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// The single place that turns SMTP reply codes into recipient outcomes, and server reply text into
/// <see cref="SmtpReply"/> values. 2xx → Delivered; 5xx → Failed (permanent); everything else (4xx, odd codes,
/// no reply at all) → Pending (retry by the schedule).
/// </summary>
public static class OutcomeClassifier
{
    public static RecipientStatus Classify(int code) => (code / 100) switch
    {
        2 => RecipientStatus.Delivered,
        5 => RecipientStatus.Failed,
        _ => RecipientStatus.Pending,
    };

    public static RecipientOutcome Outcome(string recipient, SmtpReply reply) =>
        new(recipient, Classify(reply.Code), reply);

    /// <summary>
    /// Builds a reply from a server's code and text. An enhanced status code (RFC 3463) at the start of the text
    /// is split off when its class matches the basic code; otherwise one is implied (<c>2.0.0</c>, <c>4.0.0</c>,
    /// <c>5.0.0</c>). Multi-line replies are joined into one line (the repeated enhanced code dropped) and
    /// control characters removed, so the text is safe for logs and DSNs.
    /// </summary>
    public static SmtpReply ParseReply(int code, string? text)
    {
        var lines = (text ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string? enhanced = null;
        var parts = new List<string>(lines.Length);
        foreach (var line in lines)
        {
            var rest = line;
            if (TrySplitEnhanced(line, code, out var lineCode, out var lineRest))
            {
                enhanced ??= lineCode;
                rest = lineRest;
            }

            if (rest.Length > 0)
            {
                parts.Add(rest);
            }
        }

        return new SmtpReply(code, enhanced ?? DefaultEnhanced(code), Sanitize(string.Join(" ", parts)));
    }

    /// <summary>A temporary failure that we synthesize ourselves (no server reply): basic code 451.</summary>
    public static SmtpReply Temporary(string enhancedCode, string text) => new(451, enhancedCode, Sanitize(text));

    /// <summary>A permanent failure that we synthesize ourselves (no server reply): basic code 550.</summary>
    public static SmtpReply Permanent(string enhancedCode, string text) => new(550, enhancedCode, Sanitize(text));

    private static string DefaultEnhanced(int code) => (code / 100) switch
    {
        2 => "2.0.0",
        5 => "5.0.0",
        _ => "4.0.0",
    };

    private static bool TrySplitEnhanced(string line, int code, out string enhanced, out string rest)
    {
        enhanced = string.Empty;
        rest = line;

        // class "." subject "." detail, subject and detail 1-3 digits, then a space or the end.
        var end = line.IndexOf(' ');
        var token = end < 0 ? line : line[..end];
        var pieces = token.Split('.');
        if (pieces.Length != 3 ||
            pieces[0].Length != 1 || pieces[0][0] is not ('2' or '4' or '5') ||
            !IsDigits(pieces[1]) || !IsDigits(pieces[2]))
        {
            return false;
        }

        // RFC 3463: the class must agree with the basic code; if not, the basic code wins.
        if (pieces[0][0] - '0' != code / 100)
        {
            return false;
        }

        enhanced = token;
        rest = end < 0 ? string.Empty : line[(end + 1)..].Trim();
        return true;
    }

    private static bool IsDigits(string s) => s.Length is >= 1 and <= 3 && s.All(char.IsAsciiDigit);

    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
