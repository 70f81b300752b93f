using System.Runtime.CompilerServices;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Queue.Feedback;

/// <summary>
/// The suppression list, the events outbox and the feedback counts in <c>queue.db</c>: in the relay through the
/// queue's writer loop, so their commits share its fsyncs and never contend with it for the write lock; for an
/// operator's command on a connection of its own (<see cref="ForFolder"/>).
/// </summary>
/// <remarks>
/// Events are written only when <see cref="EventsOptions.Enabled"/>: with no webhook, <see cref="RecordAsync"/> drops
/// the events it is given and the attempts write none. Each <see cref="SuppressionReason.HardBounce"/> and
/// <see cref="SuppressionReason.Complaint"/> recorded is counted for <see cref="IFeedbackRates"/>; an operator's
/// <see cref="AddAsync"/> is not.
/// </remarks>
public sealed class SqliteFeedbackStore : ISuppressionAdministration, IEventOutbox, IFeedbackRates, IDisposable
{
    private const int PageSize = 1000;

    private readonly ISqliteTransactions _store;
    private readonly TimeProvider _time;
    private readonly bool _eventsEnabled;
    private readonly SqliteReadConnections? _readers;
    private readonly EventsWakeup? _eventsWakeup;

    /// <param name="databasePath">The queue's file, for the lookup at DATA on read connections of its own; null: every
    /// operation runs through <paramref name="store"/>.</param>
    /// <param name="eventsWakeup">Told once recorded events are committed, so the webhook sender posts them at once.</param>
    internal SqliteFeedbackStore(ISqliteTransactions store, TimeProvider time, EventsOptions events, string? databasePath = null,
        EventsWakeup? eventsWakeup = null)
    {
        _store = store;
        _time = time;
        _eventsEnabled = events.Enabled;
        _readers = databasePath is null ? null : new SqliteReadConnections(databasePath);
        _eventsWakeup = eventsWakeup;
    }

    public void Dispose() => _readers?.Dispose();

    /// <summary>The stores of the queue in <paramref name="folder"/>, for an operator's command (no events).</summary>
    public static SqliteFeedbackStore ForFolder(string folder, TimeProvider time) =>
        new(new SqliteFolderTransactions(folder), time, new EventsOptions());

    /// <remarks>
    /// One indexed statement. In the relay it runs on a read connection of its own (<see cref="SqliteReadConnections"/>):
    /// through the writer loop, a session at DATA would wait for the batch in flight and its fsync once more before its
    /// enqueue.
    /// </remarks>
    public async Task<IReadOnlyDictionary<string, Suppression>> FindAsync(string domain, IReadOnlyCollection<string> recipients,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            return new Dictionary<string, Suppression>();
        }

        var keys = recipients.Select(SuppressionKey.Recipient).ToArray();
        var key = SuppressionKey.Domain(domain);
        var found = _readers is not null
            ? _readers.Run(tx => SqliteFeedbackSql.Find(tx, key, keys))
            : await _store.RunAsync("suppression-find", tx => SqliteFeedbackSql.Find(tx, key, keys), cancellationToken).ConfigureAwait(false);
        return SuppressionMatches.ByGivenRecipient(recipients, found);
    }

    public async Task RecordAsync(IReadOnlyList<Suppression> suppressions, IReadOnlyList<RelayEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suppressions);
        ArgumentNullException.ThrowIfNull(events);
        var appended = _eventsEnabled ? events.ToArray() : [];
        var added = suppressions.ToArray();
        if (added.Length == 0 && appended.Length == 0)
        {
            return;
        }

        await _store.RunAsync("suppression-record", tx =>
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var suppression in added)
            {
                SqliteFeedbackSql.Add(tx, suppression);
                if (suppression.Reason is SuppressionReason.HardBounce or SuppressionReason.Complaint)
                {
                    SqliteFeedbackSql.Count(tx, suppression.Domain, suppression.Since, 0,
                        suppression.Reason == SuppressionReason.HardBounce ? 1 : 0, suppression.Reason == SuppressionReason.Complaint ? 1 : 0);
                }
            }

            foreach (var relayEvent in appended)
            {
                SqliteFeedbackSql.Append(tx, relayEvent, now);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
        if (appended.Length > 0)
        {
            _eventsWakeup?.Notify();
        }
    }

    /// <summary>An operator's entries (<c>suppress add|import</c>): durable on return, counted nowhere, no events.</summary>
    /// <returns>How many were new (an entry already listed keeps its first form).</returns>
    public Task<int> AddAsync(IReadOnlyList<Suppression> suppressions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suppressions);
        var added = suppressions.ToArray();
        return _store.RunAsync("suppression-add", tx => added.Count(s => SqliteFeedbackSql.Add(tx, s)), cancellationToken);
    }

    public Task<bool> RemoveAsync(string domain, string recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(recipient);
        return _store.RunAsync("suppression-remove", tx => SqliteFeedbackSql.Remove(tx, domain, recipient), cancellationToken);
    }

    /// <remarks>Read a page at a time, each page one operation, so a long list never holds up the relay's writes.</remarks>
    public async IAsyncEnumerable<Suppression> ListAsync(string? domain, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = domain is null ? null : SuppressionKey.Domain(domain);
        (string Domain, string Recipient)? after = null;
        while (true)
        {
            var page = await _store.RunAsync("suppression-list", tx => SqliteFeedbackSql.ListPage(tx, key, after, PageSize), cancellationToken)
                .ConfigureAwait(false);
            foreach (var suppression in page)
            {
                yield return suppression;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = (page[^1].Domain, page[^1].Recipient);
        }
    }

    public Task<IReadOnlyList<OutboxEvent>> ClaimAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        return _store.RunAsync<IReadOnlyList<OutboxEvent>>("events-claim", tx =>
        {
            var now = _time.GetUtcNow();
            return SqliteFeedbackSql.Claim(tx, now.ToUnixTimeMilliseconds(), (now + leaseDuration).ToUnixTimeMilliseconds(), maxCount);
        }, cancellationToken);
    }

    public Task CompleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var completed = ids.ToArray();
        return completed.Length == 0
            ? Task.CompletedTask
            : _store.RunAsync("events-complete", tx =>
            {
                SqliteFeedbackSql.Complete(tx, completed);
                return 0;
            }, cancellationToken);
    }

    public Task RetryAsync(long id, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken) =>
        _store.RunAsync("events-retry", tx =>
        {
            SqliteFeedbackSql.Retry(tx, id, nextAttemptAt.ToUnixTimeMilliseconds());
            return 0;
        }, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        _store.RunAsync("events-count", SqliteFeedbackSql.Count, cancellationToken);

    public Task<FeedbackRates> GetAsync(string domain, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return _store.RunAsync("feedback-rates", tx => SqliteFeedbackSql.Rates(tx, domain, since), cancellationToken);
    }
}
