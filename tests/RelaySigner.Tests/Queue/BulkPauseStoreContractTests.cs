using RelaySigner.Core.Feedback;
using RelaySigner.Queue;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue;

/// <summary>The paused bulk domains, the same on both engines.</summary>
public abstract class BulkPauseStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    protected abstract IBulkPauseStore Store { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task A_pause_is_listed_until_resumed_and_a_second_pause_keeps_the_first()
    {
        Assert.Empty(await Store.ListAsync(CancellationToken.None));

        Assert.True(await Store.PauseAsync(new BulkPause("example.com", Now, 0.004), CancellationToken.None));
        Assert.False(await Store.PauseAsync(new BulkPause("example.com", Now.AddMinutes(1), 0.009), CancellationToken.None));

        Assert.Equal([new BulkPause("example.com", Now, 0.004)], await Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_resume_is_kept_with_its_time_and_a_later_pause_pauses_again()
    {
        await Store.PauseAsync(new BulkPause("example.com", Now, 0.004), CancellationToken.None);

        Assert.True(await Store.ResumeAsync("Example.COM", Now.AddHours(1), CancellationToken.None));
        Assert.False(await Store.ResumeAsync("example.com", Now.AddHours(2), CancellationToken.None));
        Assert.False(await Store.ResumeAsync("example.net", Now.AddHours(2), CancellationToken.None));
        Assert.Equal([new BulkPause("example.com", Now, 0.004, Now.AddHours(1))], await Store.ListAsync(CancellationToken.None));

        Assert.True(await Store.PauseAsync(new BulkPause("example.com", Now.AddHours(3), 0.005), CancellationToken.None));
        Assert.True(Assert.Single(await Store.ListAsync(CancellationToken.None)).IsPaused);
    }
}

public sealed class SqliteBulkPauseStoreContractTests : BulkPauseStoreContractTests
{
    private readonly TempFolder _folder = new();

    protected override IBulkPauseStore Store => new SqliteBulkPauseStore(_folder.Path);

    public override Task InitializeAsync() => Task.CompletedTask;

    public override Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlBulkPauseStoreContractTests(PostgreSqlServer server) : BulkPauseStoreContractTests
{
    private PostgreSqlTestDatabase _database = null!;

    protected override IBulkPauseStore Store => new RelaySigner.Queue.PostgreSql.PostgreSqlBulkPauseStore(_database.Pool);

    public override async Task InitializeAsync() => _database = await PostgreSqlTestDatabase.CreateAsync(server);

    public override Task DisposeAsync() => _database.DisposeAsync().AsTask();
}
