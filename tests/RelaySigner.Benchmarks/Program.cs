using BenchmarkDotNet.Running;
using RelaySigner.Benchmarks.Dashboard;
using RelaySigner.Benchmarks.Dmarc;
using RelaySigner.Benchmarks.Load;
using RelaySigner.Benchmarks.Memory;
using RelaySigner.Benchmarks.Overhead;
using RelaySigner.Benchmarks.Scale;
using RelaySigner.Benchmarks.Soak;

// Micro-benchmarks: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- --filter '*' --job short
// End-to-end load: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- load [--messages N] [--sessions S] [--size B] [--mode conn|reuse] [--queue sqlite|postgresql] [--connection-string S]
// Signing overhead: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- signing-overhead
// Memory: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- memory [--size-mb 50] [--idle 1000]
// PostgreSQL queue soak: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- pg-soak [--messages 200000] [--size 10240] [--autovacuum-wait 180] [--connection-string S]
// Queue scale: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- queue-scale [--queued 1000,1000000] [--size 10240]
// DMARC report import: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- dmarc-import [--reports 10000] [--records 100] [--queue sqlite|postgresql] [--connection-string S]
if (args is ["dmarc-import", ..])
{
    return await DmarcImportDriver.RunAsync(DmarcImportOptions.Parse(args[1..]));
}

// Dashboard pages: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- dashboard-pages [--reports 10000] [--records 100] [--domains 20] [--requests 50]
if (args is ["load", ..])
{
    return await LoadDriver.RunAsync(LoadOptions.Parse(args[1..]));
}

if (args is ["signing-overhead"])
{
    return SigningOverheadDriver.Run();
}

if (args is ["memory", ..])
{
    return await MemoryDriver.RunAsync(MemoryOptions.Parse(args[1..]));
}

if (args is ["pg-soak", ..])
{
    return await SoakDriver.RunAsync(SoakOptions.Parse(args[1..]));
}

if (args is ["queue-scale", ..])
{
    return await ScaleDriver.RunAsync(ScaleOptions.Parse(args[1..]));
}

if (args is ["dashboard-pages", ..])
{
    return await DashboardDriver.RunAsync(DashboardOptions.Parse(args[1..]));
}

BenchmarkSwitcher.FromAssembly(typeof(LoadDriver).Assembly).Run(args);
return 0;
