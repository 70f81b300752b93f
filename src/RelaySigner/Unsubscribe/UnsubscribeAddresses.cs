namespace RelaySigner.Unsubscribe;

/// <summary>The addresses the unsubscribe listener actually bound (port 0 becomes a real port), for logs and tests.</summary>
public sealed class UnsubscribeAddresses
{
    private volatile IReadOnlyList<Uri> _urls = [];

    public IReadOnlyList<Uri> Urls => _urls;

    internal void Set(IEnumerable<string> urls) => _urls = [.. urls.Select(u => new Uri(u))];
}
