using System.Globalization;

namespace RelaySigner.Admin.Dashboard;

/// <summary>How the pages write numbers: counts with thousands separators, shares as percentages with one decimal.</summary>
internal static class Numbers
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <returns>"97.5 %", or "–" when <paramref name="whole"/> is 0.</returns>
    public static string Percent(long part, long whole) =>
        whole == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.0} %");

    public static double? Share(long part, long whole) => whole == 0 ? null : (double)part / whole;

    /// <summary>Days to show: 1 to 366, 30 when absent or not a number.</summary>
    public static int Days(string? value, int fallback) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 366 ? days : fallback;

    public static IReadOnlyList<DateOnly> Window(DateOnly last, int days) =>
        [.. Enumerable.Range(0, days).Select(i => last.AddDays(i - days + 1))];

    /// <returns>"2.5 h", or "–" for none.</returns>
    public static string Hours(TimeSpan? age) =>
        age is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalHours:0.0} h") : "–";
}
