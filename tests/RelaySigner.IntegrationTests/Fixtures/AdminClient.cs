using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Admin;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>HTTP to a relay's admin listener, at the address it actually bound (configured with port 0).</summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;

    public AdminClient(IServiceProvider relayServices)
    {
        _http = new HttpClient { BaseAddress = relayServices.GetRequiredService<AdminAddresses>().Urls.Single(), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <returns>The status and the <c>Allow</c> header's methods (empty when there is none).</returns>
    public async Task<(HttpStatusCode Status, IReadOnlyList<string> Allow)> SendAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Delete ? null : new StringContent("x") };
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, [.. response.Content.Headers.Allow]);
    }

    /// <summary>
    /// The value of the first Prometheus sample of <paramref name="name"/> that carries every one of
    /// <paramref name="labels"/> (e.g. <c>destination="example.org"</c>); null when there is none.
    /// </summary>
    public static double? Sample(string scrape, string name, params string[] labels) =>
        scrape.Split('\n')
            .Where(line => (line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
                && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .Cast<double?>()
            .FirstOrDefault();

    public void Dispose() => _http.Dispose();
}
