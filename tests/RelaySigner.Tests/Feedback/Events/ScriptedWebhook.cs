using System.Net;
using System.Threading.Channels;

namespace RelaySigner.Tests.Feedback.Events;

/// <summary>
/// The receiver's side of the sender's HttpClient, without a socket: each POST is recorded and answered by the next
/// scripted step (200 when the script is done). A test awaits <see cref="NextRequestAsync"/> to know a POST is in flight.
/// </summary>
internal sealed class ScriptedWebhook : HttpMessageHandler, IHttpClientFactory
{
    private readonly Queue<Func<CancellationToken, Task<HttpResponseMessage>>> _steps = new();
    private readonly Channel<ReceivedPost> _received = Channel.CreateUnbounded<ReceivedPost>();
    private readonly List<ReceivedPost> _all = [];

    public IReadOnlyList<ReceivedPost> Posts
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    public ScriptedWebhook Answer(HttpStatusCode status)
    {
        lock (_steps)
        {
            _steps.Enqueue(_ => Task.FromResult(new HttpResponseMessage(status)));
        }

        return this;
    }

    /// <summary>No answer at all: the POST waits until the sender gives up on it.</summary>
    public ScriptedWebhook Hang()
    {
        lock (_steps)
        {
            _steps.Enqueue(async cancellationToken =>
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable");
            });
        }

        return this;
    }

    public ScriptedWebhook RefuseConnection()
    {
        lock (_steps)
        {
            _steps.Enqueue(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (hooks.example:443)"));
        }

        return this;
    }

    public Task<ReceivedPost> NextRequestAsync() => _received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var post = new ReceivedPost(
            request.Method,
            request.RequestUri!,
            request.Content!.Headers.ContentType?.ToString(),
            request.Headers.TryGetValues("X-RelaySigner-Signature", out var values) ? values.Single() : null,
            await request.Content.ReadAsByteArrayAsync(cancellationToken));
        lock (_all)
        {
            _all.Add(post);
        }

        Func<CancellationToken, Task<HttpResponseMessage>>? step;
        lock (_steps)
        {
            _steps.TryDequeue(out step);
        }

        _received.Writer.TryWrite(post);
        return await (step is null ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)) : step(cancellationToken));
    }

    public sealed record ReceivedPost(HttpMethod Method, Uri Url, string? ContentType, string? Signature, byte[] Body);
}
