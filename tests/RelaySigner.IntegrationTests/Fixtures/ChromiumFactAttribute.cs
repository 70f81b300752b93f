namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>A test that drives Debian's chromium through chromium-driver; skipped, saying why, only where they are not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Browser) || !File.Exists(Driver))
        {
            Skip = $"needs Debian's chromium and chromium-driver ({Browser}, {Driver}): apt-get install chromium chromium-driver (.ci/run does)";
        }
    }
}
