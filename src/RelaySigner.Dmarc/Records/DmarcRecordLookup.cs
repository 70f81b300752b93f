using RelaySigner.Dmarc.Lookup;

namespace RelaySigner.Dmarc.Records;

/// <summary>Reads the DMARC record published at <c>_dmarc.&lt;domain&gt;</c> (RFC 7489 §6.6.3).</summary>
public sealed class DmarcRecordLookup(TxtLookup txt)
{
    /// <returns>The record, or null when none is published.</returns>
    /// <exception cref="InvalidOperationException">DNS failed, or several DMARC records are published.</exception>
    public async Task<DmarcRecord?> FindAsync(string domain, CancellationToken cancellationToken)
    {
        var name = $"_dmarc.{domain.TrimEnd('.')}";
        var records = (await txt.FindAsync(name, cancellationToken).ConfigureAwait(false))
            .Where(text => text.StartsWith("v=DMARC1", StringComparison.Ordinal))
            .ToList();
        return records.Count switch
        {
            0 => null,
            1 => DmarcRecord.Parse(records[0]),
            _ => throw new InvalidOperationException($"{name} publishes {records.Count} DMARC records; receivers then apply none (RFC 7489 §6.6.3)"),
        };
    }
}
