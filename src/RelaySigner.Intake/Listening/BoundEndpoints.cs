using System.Collections.Concurrent;
using System.Net;

namespace RelaySigner.Intake.Listening;

/// <summary>The addresses the listeners actually bound (port 0 becomes a real port), for logs, health and tests.</summary>
public sealed class BoundEndpoints
{
    private readonly ConcurrentQueue<(ListenerKind Kind, IPEndPoint Endpoint)> _endpoints = new();

    public IReadOnlyCollection<IPEndPoint> All => [.. _endpoints.Select(e => e.Endpoint)];

    public IPEndPoint Of(ListenerKind kind) => _endpoints.Single(e => e.Kind == kind).Endpoint;

    internal void Add(ListenerKind kind, IPEndPoint endpoint) => _endpoints.Enqueue((kind, endpoint));
}
