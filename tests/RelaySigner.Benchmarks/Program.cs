using BenchmarkDotNet.Running;
using RelaySigner.Benchmarks.Load;
using RelaySigner.Benchmarks.Memory;

// Micro-benchmarks: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- --filter '*' --job short
// End-to-end load: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- load [--messages N] [--sessions S] [--size B] [--mode conn|reuse]
// Memory: dotnet run -c Release --project tests/RelaySigner.Benchmarks -- memory [--size-mb 50] [--idle 1000]
if (args is ["load", ..])
{
    return await LoadDriver.RunAsync(LoadOptions.Parse(args[1..]));
}

if (args is ["memory", ..])
{
    return await MemoryDriver.RunAsync(MemoryOptions.Parse(args[1..]));
}

BenchmarkSwitcher.FromAssembly(typeof(LoadDriver).Assembly).Run(args);
return 0;
