namespace RelaySigner.Queue;

/// <summary>The places a history search looks a Message-ID or a recipient up in (<see cref="HistoryQuery.Run"/>).</summary>
public enum HistoryLookup
{
    MessageIdInHistory,
    MessageIdInQueue,
    RecipientInHistory,
    RecipientInQueue,
}
