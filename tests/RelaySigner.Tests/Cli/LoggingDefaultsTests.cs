using System.Text.Encodings.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace RelaySigner.Tests.Cli;

/// <summary>Console logs: one line with a UTC timestamp by default; JSON with a timestamp and readable addresses.</summary>
public sealed class LoggingDefaultsTests
{
    [Fact]
    public void The_default_console_format_is_one_line_per_event_with_a_utc_timestamp()
    {
        using var host = RelayHost.CreateBuilder([]).Build();

        var console = host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        var simple = host.Services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue;

        Assert.Equal(ConsoleFormatterNames.Simple, console.FormatterName);
        Assert.True(simple.SingleLine);
        Assert.True(simple.UseUtcTimestamp);
        Assert.Equal("yyyy-MM-ddTHH:mm:ss.fffZ ", simple.TimestampFormat);
    }

    [Fact]
    public void Json_logs_carry_a_timestamp_and_write_angle_brackets_as_they_are()
    {
        using var host = RelayHost.CreateBuilder(["--Logging:Console:FormatterName=json"]).Build();

        var json = host.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;

        Assert.Equal("yyyy-MM-ddTHH:mm:ss.fffZ", json.TimestampFormat);
        Assert.True(json.UseUtcTimestamp);
        Assert.Equal("\"to=<a@example.org>\"", System.Text.Json.JsonSerializer.Serialize("to=<a@example.org>", new System.Text.Json.JsonSerializerOptions { Encoder = json.JsonWriterOptions.Encoder }));
    }

    [Fact]
    public void The_configuration_still_decides_the_format()
    {
        using var host = RelayHost.CreateBuilder(["--Logging:Console:FormatterOptions:SingleLine=false"]).Build();

        Assert.False(host.Services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue.SingleLine);
    }
}
