namespace RelaySigner.Feedback.Unsubscribe;

/// <summary>What an unsubscribe link names: the recipient, the organisational domain of the From whose mail they no
/// longer want (the suppression list's domain), and when the link was made.</summary>
public sealed record UnsubscribeToken(string Recipient, string Domain, DateTimeOffset IssuedAt);
