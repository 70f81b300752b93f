namespace RelaySigner.Cli;

internal static class HostPort
{
    /// <summary>Splits "host:port" (IPv6 as "[::1]:25").</summary>
    public static (string Host, int Port) Parse(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], out var port))
        {
            throw new FormatException($"'{value}' is not host:port");
        }

        return (value[..colon].Trim('[', ']'), port);
    }
}
