using RelaySigner.Core.Feedback;

namespace RelaySigner.Queue.Feedback;

/// <summary>The suppression list as operators change it (<c>relaysigner suppress</c>), on either store.</summary>
public interface ISuppressionAdministration : ISuppressionList
{
    /// <summary>Adds an operator's entries in one transaction, durable on return: counted in no rate, no events.
    /// An entry already listed keeps its first form, so importing the same file twice changes nothing.</summary>
    /// <returns>How many were new.</returns>
    Task<int> AddAsync(IReadOnlyList<Suppression> suppressions, CancellationToken cancellationToken);
}
