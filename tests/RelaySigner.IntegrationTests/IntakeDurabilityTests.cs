using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using Microsoft.Data.Sqlite;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests;

/// <summary>Promise 1 at the edges: a storage fault answers 451 4.3.0, and a session cut mid-DATA queues nothing.</summary>
public sealed class IntakeDurabilityTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _queue = new();

    private string DatabasePath => Path.Combine(_queue.Path, "queue.db");

    [Fact]
    public async Task A_storage_fault_answers_451_4_3_0_and_nothing_is_delivered()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint);

        // The fault is injected into the real store: a trigger makes SQLite refuse every new message row.
        Execute("CREATE TRIGGER inject_fault BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'injected storage fault'); END;");
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Submission.SendAsync(
            relay.Port, "app@example.com", ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org", "lost")));
        Assert.Equal(SmtpErrorCode.MessageNotAccepted, refused.ErrorCode);
        Assert.Equal(451, (int)refused.StatusCode);
        Assert.StartsWith("4.3.0", refused.Message);

        Execute("DROP TRIGGER inject_fault;");
        var good = Submission.Message("app@example.com", "rcpt@example.org", "kept");
        Assert.StartsWith("2.0.0", await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], good));
        var first = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.True(first.Content.AsSpan().EndsWith(good));
        await relay.Logs.WaitForEventAsync(EventIds.Queue.Removed, Patience);
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM messages"));
        Assert.False(sink.Received.TryRead(out _));
    }

    [Fact]
    public async Task A_connection_dropped_mid_data_queues_nothing()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint);

        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
        {
            await socket.ConnectAsync(IPAddress.Loopback, relay.Port);
            using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            async Task<string> Say(string line)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
                string reply;
                do
                {
                    reply = (await reader.ReadLineAsync())!;
                }
                while (reply.Length > 3 && reply[3] == '-');
                return reply;
            }

            Assert.StartsWith("220", (await reader.ReadLineAsync())!);
            Assert.StartsWith("250", await Say("EHLO client.test"));
            Assert.StartsWith("250", await Say("MAIL FROM:<app@example.com>"));
            Assert.StartsWith("250", await Say("RCPT TO:<rcpt@example.org>"));
            Assert.StartsWith("354", await Say("DATA"));
            await stream.WriteAsync("From: <app@example.com>\r\nSubject: cut\r\n\r\nhalf a mess"u8.ToArray());
        }

        // The cut session is gone; a complete message after it is the only one that is queued and delivered.
        var good = Submission.Message("app@example.com", "rcpt@example.org", "complete");
        await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], good);
        var first = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.True(first.Content.AsSpan().EndsWith(good));
        await relay.Logs.WaitForEventAsync(EventIds.Queue.Removed, Patience);
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM messages"));
        Assert.Single(relay.Logs.Entries, e => e.EventId == EventIds.Queue.Queued);
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose() => _queue.Dispose();
}
