namespace RelaySigner.Core.Feedback;

/// <summary>
/// Where paused bulk domains are kept: in the queue's database, so a pause survives a restart and holds on every
/// node, and <c>relaysigner bulk resume</c> reaches running relays. Rare operations: the guard reads the whole
/// (small) table once a minute.
/// </summary>
public interface IBulkPauseStore
{
    /// <summary>Every domain that was ever paused, paused or resumed.</summary>
    Task<IReadOnlyList<BulkPause>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Pauses <see cref="BulkPause.Domain"/> unless it is paused already.</summary>
    /// <returns>Whether it was paused now (false: it was paused before).</returns>
    Task<bool> PauseAsync(BulkPause pause, CancellationToken cancellationToken);

    /// <summary>Resumes a paused domain at <paramref name="at"/>.</summary>
    /// <returns>Whether it was paused.</returns>
    Task<bool> ResumeAsync(string domain, DateTimeOffset at, CancellationToken cancellationToken);
}
