namespace RelaySigner.Testing;

/// <summary>The throwaway cluster as an xunit fixture: started before the first test of its collection, stopped after the last.</summary>
public sealed partial class PostgreSqlServer : IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
