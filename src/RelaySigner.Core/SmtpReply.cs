namespace RelaySigner.Core;

/// <summary>An SMTP reply as a value: basic code, enhanced status code (RFC 3463) and text.</summary>
public sealed record SmtpReply(int Code, string EnhancedCode, string Text)
{
    public bool IsPermanent => Code is >= 500 and < 600;

    public override string ToString() => $"{Code} {EnhancedCode} {Text}";
}
