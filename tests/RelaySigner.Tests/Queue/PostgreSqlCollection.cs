using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue;

/// <summary>The test classes that share one throwaway PostgreSQL cluster, started once per test run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL";
}
