namespace RelaySigner.Core.Feedback;

/// <summary>
/// What a receiver's reply during delivery says about a recipient, from its enhanced status code (RFC 3463): the
/// <c>kind</c> of a <see cref="RelayEventType.Bounced"/> event and whether the recipient is suppressed. Only a code
/// that names the address as the problem is <see cref="Hard"/>; a vague one (5.0.0, 5.5.x…) is
/// <see cref="Unknown"/>, never suppressing (promise 9: a recipient suppressed by mistake is lost for good, a missed
/// hard bounce costs one more attempt).
/// </summary>
public static class ReplyKind
{
    public const string Hard = "hard";
    public const string Soft = "soft";
    public const string Block = "block";
    public const string Unknown = "unknown";

    /// <returns><see cref="Hard"/>, <see cref="Soft"/>, <see cref="Block"/> or <see cref="Unknown"/>.</returns>
    public static string Of(SmtpReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var code = reply.EnhancedCode;
        if (code.Length >= 4 && code[1] == '.' && code[2] == '7')
        {
            return Block; // x.7.x: security or policy, the recipient exists and the sender is the problem
        }

        if (!reply.IsPermanent)
        {
            return Soft;
        }

        return code switch
        {
            // bad mailbox, bad system, bad syntax, has moved, recipient not found (Exchange), mailbox disabled
            "5.1.1" or "5.1.2" or "5.1.3" or "5.1.6" or "5.1.10" or "5.2.1" => Hard,
            // the sender's address is refused, not the recipient's
            "5.1.7" or "5.1.8" => Block,
            // mailbox full, message too large for it: the person exists
            "5.2.2" or "5.2.3" => Soft,
            _ => Unknown,
        };
    }
}
