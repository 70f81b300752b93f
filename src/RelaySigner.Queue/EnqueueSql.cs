using Microsoft.Data.Sqlite;
using RelaySigner.Core;
using RelaySigner.Core.Dsn;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

/// <summary>Stores a new message, due at once and unleased, with every recipient pending in envelope order.</summary>
internal static class EnqueueSql
{
    /// <param name="messageId">The Message-ID header value, kept for the history; null when none.</param>
    /// <param name="dsn">The DSN parameters (NULL columns when none, bound in the same statements).</param>
    /// <param name="from">The header From domain and its organisational domain, for the message's events,
    /// suppressions and counts (<see cref="Feedback.MessageOrigin"/>); nulls when unknown.</param>
    public static void Execute(SqliteTransaction tx, QueueId id, string sender, IReadOnlyList<string> recipients,
        string? messageId, DsnRequest? dsn, (string? Domain, string? Organizational) from, long receivedAt,
        IReadOnlyList<ReadOnlyMemory<byte>> contentParts)
    {
        var size = contentParts.Sum(part => (long)part.Length);
        var contentId = MessageContentSql.Write(tx, contentParts, size);
        var insert = tx.Prepared(
            "INSERT INTO messages (id, sender, received_at, next_attempt_at, attempts, size, content_id, header_message_id, dsn_ret, dsn_envid, from_domain, from_org_domain) " +
            "VALUES ($id, $sender, $now, $now, 0, $size, $content, $messageId, $ret, $envid, $fromDomain, $fromOrgDomain)");
        insert.Parameters.AddWithValue("$id", id.Value);
        insert.Parameters.AddWithValue("$sender", sender);
        insert.Parameters.AddWithValue("$now", receivedAt);
        insert.Parameters.AddWithValue("$size", size);
        insert.Parameters.AddWithValue("$content", contentId);
        insert.Parameters.AddWithValue("$messageId", (object?)messageId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$ret", dsn?.Return is { } ret ? (int)ret : DBNull.Value);
        insert.Parameters.AddWithValue("$envid", (object?)dsn?.EnvelopeId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$fromDomain", (object?)from.Domain ?? DBNull.Value);
        insert.Parameters.AddWithValue("$fromOrgDomain", (object?)from.Organizational ?? DBNull.Value);
        insert.ExecuteNonQuery();

        var recipient = tx.Prepared(
            "INSERT INTO recipients (message_id, ordinal, address, status, last_reply, dsn_notify, dsn_orcpt) " +
            "VALUES ($id, $ordinal, $address, $status, NULL, $notify, $orcpt)");
        recipient.Parameters.AddWithValue("$id", id.Value);
        var ordinal = recipient.Parameters.Add("$ordinal", SqliteType.Integer);
        var address = recipient.Parameters.Add("$address", SqliteType.Text);
        recipient.Parameters.AddWithValue("$status", (int)RecipientStatus.Pending);
        var notify = recipient.Parameters.Add("$notify", SqliteType.Integer);
        var orcpt = recipient.Parameters.Add("$orcpt", SqliteType.Text);
        for (var i = 0; i < recipients.Count; i++)
        {
            ordinal.Value = i;
            address.Value = recipients[i];
            var given = dsn?.For(recipients[i]);
            notify.Value = given?.Notify is { } flags ? (int)flags : DBNull.Value;
            orcpt.Value = (object?)given?.OriginalRecipient ?? DBNull.Value;
            recipient.ExecuteNonQuery();
        }
    }
}
