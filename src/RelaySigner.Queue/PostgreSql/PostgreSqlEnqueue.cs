using Npgsql;
using RelaySigner.Core;
using RelaySigner.Core.Dsn;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>Stores a new message, due at once and unleased, with every recipient pending in envelope order.</summary>
internal static class PostgreSqlEnqueue
{
    private const string InsertMessage =
        "INSERT INTO relaysigner.queue_messages (id, sender, received_at, next_attempt_at, size, content, header_message_id, dsn_ret, dsn_envid, from_domain, from_org_domain) " +
        "VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10)";

    // One statement for every recipient: a message to a thousand addresses is still one row set, one round trip.
    // Without DSN parameters the two arrays are NULL, which unnest reads as empty: every row gets NULLs there.
    private const string InsertRecipients =
        "INSERT INTO relaysigner.queue_recipients (message_id, ordinal, address, status, dsn_notify, dsn_orcpt) " +
        "SELECT $1, r.ordinal - 1, r.address, 0, r.notify, r.orcpt " +
        "FROM unnest($2::text[], $3::smallint[], $4::text[]) WITH ORDINALITY AS r (address, notify, orcpt, ordinal)";

    /// <summary>Adds the statements to <paramref name="batch"/>, to run in the caller's transaction.</summary>
    /// <param name="envelope">The sender, the Message-ID header value (kept for the history), the DSN parameters (NULL
    /// columns when none) and the From domains (for the message's events, suppressions and counts); its recipients are
    /// <paramref name="recipients"/>.</param>
    public static void Add(NpgsqlBatch batch, QueueId id, Envelope envelope, string[] recipients,
        DateTimeOffset receivedAt, IReadOnlyList<ReadOnlyMemory<byte>> contentParts)
    {
        var content = Join(contentParts);
        var dsn = envelope.Dsn;
        batch.Add(InsertMessage, id.Value, envelope.Sender, receivedAt.ToUniversalTime(), (long)content.Length, content,
            Envelope.NormalizeMessageId(envelope.MessageId), dsn?.Return is { } ret ? (short)ret : null, dsn?.EnvelopeId,
            envelope.FromDomain, envelope.FromOrganizationalDomain);
        short?[]? notify = null;
        string?[]? orcpt = null;
        if (dsn is { Recipients.Count: > 0 })
        {
            notify = [.. recipients.Select(r => dsn.For(r)?.Notify is { } flags ? (short?)flags : null)];
            orcpt = [.. recipients.Select(r => dsn.For(r)?.OriginalRecipient)];
        }

        batch.Add(InsertRecipients, id.Value, recipients, notify, orcpt);
    }

    /// <remarks>
    /// Npgsql writes a bytea parameter from one buffer; intake hands the DKIM-Signature headers and the received bytes
    /// as two parts, so they are joined here (one copy, unlike the embedded queue's incremental blob writes).
    /// </remarks>
    private static ReadOnlyMemory<byte> Join(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var content = GC.AllocateUninitializedArray<byte>(parts.Sum(part => part.Length));
        var at = 0;
        foreach (var part in parts)
        {
            part.Span.CopyTo(content.AsSpan(at));
            at += part.Length;
        }

        return content;
    }
}
