using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RelaySigner.Admin;
using RelaySigner.Delivery;
using RelaySigner.Intake;
using RelaySigner.Queue;
using RelaySigner.Signing;
using RelaySigner.Signing.Guard;
using RelaySigner.Wiring;

namespace RelaySigner;

/// <summary>The composition root: the only place where the pipeline stages are wired together.</summary>
public static class RelayHost
{
    /// <param name="args">Configuration overrides such as <c>--Relay:Smtp:Port=2526</c>.</param>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var configuration = builder.Configuration;
        // Admin first: hosted services stop in reverse order, so /readyz answers "stopping" until the end.
        builder.Services
            .AddRelayAdmin(configuration)
            .AddRelayQueue(configuration)
            .AddRelaySigning(configuration)
            .AddRelayIntake(configuration)
            .AddRelayDelivery(configuration)
            .AddSingleton<IPublishedKeyCheck, DnsPublishedKeyCheck>();
        return builder;
    }
}
