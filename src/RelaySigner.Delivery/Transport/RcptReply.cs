namespace RelaySigner.Delivery.Transport;

/// <summary>A server's reply to one RCPT TO: basic code, text (enhanced code still inside), and whether it was a 2xx.</summary>
public sealed record RcptReply(int Code, string Text, bool Accepted);
