namespace RelaySigner.Admin.Dashboard;

/// <summary>One stacked series of a bar chart: its name, its colour (a CSS variable of the page) and a value per day.</summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<long> Values);
