namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>Tests that measure a latency run by themselves, after the parallel ones, so other tests' load does not skew them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone";
}
