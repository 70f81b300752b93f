using System.Collections.Concurrent;
using System.Net;

namespace RelaySigner.Intake.Listening;

/// <summary>The addresses the listeners actually bound (port 0 becomes a real port), for logs, health and tests.</summary>
public sealed class BoundEndpoints
{
    private readonly ConcurrentQueue<IPEndPoint> _endpoints = new();

    public IReadOnlyCollection<IPEndPoint> All => [.. _endpoints];

    internal void Add(IPEndPoint endpoint) => _endpoints.Enqueue(endpoint);
}
