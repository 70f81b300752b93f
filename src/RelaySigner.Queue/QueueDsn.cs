using RelaySigner.Core.Dsn;

namespace RelaySigner.Queue;

/// <summary>The DSN parameters of a claimed message from its columns, as both stores read them back.</summary>
internal static class QueueDsn
{
    /// <returns>Null when every column was NULL: a message without DSN parameters carries none.</returns>
    public static DsnRequest? Request(DsnReturn? ret, string? envelopeId, IReadOnlyDictionary<string, RecipientDsn>? recipients) =>
        ret is null && envelopeId is null && recipients is null
            ? null
            : new DsnRequest(ret, envelopeId, recipients ?? new Dictionary<string, RecipientDsn>());
}
