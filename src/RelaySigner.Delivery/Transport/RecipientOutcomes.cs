using Microsoft.Extensions.Logging;
using RelaySigner.Core;
using RelaySigner.Core.Queue;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// The outcomes of one delivery, one slot per recipient in the caller's order. Each outcome is logged as it is
/// decided, with the relay whose answer decided it, or <c>relay=none</c> when no server did.
/// </summary>
internal sealed class RecipientOutcomes
{
    private readonly QueueId _id;
    private readonly ILogger _logger;
    private readonly RecipientOutcome?[] _outcomes;

    public RecipientOutcomes(QueueId id, int recipientCount, ILogger logger)
    {
        _id = id;
        _logger = logger;
        _outcomes = new RecipientOutcome?[recipientCount];
    }

    /// <param name="relay">The server that answered, with the session's TLS, kept in the message's history.</param>
    /// <param name="nextHopNotifies">The server offered DSN and was given the recipient's NOTIFY and ORCPT.</param>
    public void Decide(int index, string recipient, SmtpReply reply, RemoteServer? relay, bool nextHopNotifies = false)
    {
        var outcome = OutcomeClassifier.Outcome(recipient, reply) with { Server = relay, NextHopNotifies = nextHopNotifies };
        _outcomes[index] = outcome;
        if (relay is null)
        {
            DeliveryLog.Outcome(_logger, _id, outcome);
        }
        else
        {
            DeliveryLog.Outcome(_logger, _id, outcome, relay.Host, relay.Address, relay.Port);
        }
    }

    public void Decide(EnvelopeRecipient recipient, SmtpReply reply, RemoteServer? relay, bool nextHopNotifies = false) =>
        Decide(recipient.Index, recipient.Address, reply, relay, nextHopNotifies);

    public void DecideAll(IEnumerable<EnvelopeRecipient> recipients, SmtpReply reply, RemoteServer? relay)
    {
        foreach (var recipient in recipients)
        {
            Decide(recipient, reply, relay);
        }
    }

    /// <summary>
    /// Every outcome, in recipient order. A recipient left undecided is a bug: the transport promises exactly one
    /// outcome per recipient, so this throws rather than invent one.
    /// </summary>
    public IReadOnlyList<RecipientOutcome> Completed()
    {
        var result = new RecipientOutcome[_outcomes.Length];
        for (var i = 0; i < _outcomes.Length; i++)
        {
            result[i] = _outcomes[i] ?? throw new InvalidOperationException($"No outcome for recipient #{i}.");
        }

        return result;
    }
}
