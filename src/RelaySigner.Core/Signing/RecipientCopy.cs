namespace RelaySigner.Core.Signing;

/// <summary>
/// One recipient's copy of a message that is signed per recipient (bulk mail given its own unsubscribe link): the
/// header fields the relay added for that recipient, to go right above the received bytes, and the DKIM-Signature
/// header(s) over both, to go on top.
/// </summary>
public sealed record RecipientCopy(string Recipient, ReadOnlyMemory<byte> SignatureHeaders, ReadOnlyMemory<byte> AddedHeaders);
