namespace RelaySigner.Intake.Policy;

internal static class FromDomainList
{
    /// <summary>Configured domains as <see cref="RelaySigner.Core.Signing.SenderIdentity"/> expects them; <c>*</c> means any (null).</summary>
    public static IReadOnlyList<string>? Parse(IEnumerable<string> configured)
    {
        var domains = configured.Select(d => d.Trim().TrimStart('.').ToLowerInvariant()).Where(d => d.Length > 0).ToList();
        return domains.Contains("*") ? null : domains;
    }
}
