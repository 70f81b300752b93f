namespace RelaySigner.Admin;

/// <summary>One readiness check: its name and, when it failed, why.</summary>
public sealed record ReadinessResult(string Check, string? Problem)
{
    public bool IsReady => Problem is null;

    public override string ToString() => $"{Check}: {Problem ?? "ok"}";
}
