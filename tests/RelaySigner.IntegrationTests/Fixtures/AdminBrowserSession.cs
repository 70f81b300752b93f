using System.Net;
using System.Text.RegularExpressions;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>HTTP to the admin listener as a browser would: cookies kept, redirects not followed (the tests look at them).</summary>
internal sealed partial class AdminBrowserSession : IDisposable
{
    private readonly HttpClient _http;

    public AdminBrowserSession(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public CookieContainer Cookies { get; }

    public async Task<HttpResponseMessage> GetAsync(string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return await _http.SendAsync(request);
    }

    /// <summary>Fetches the login form (for its antiforgery token) and posts it.</summary>
    /// <param name="antiforgery">False: the token is left out, as a forged cross-site post would.</param>
    public async Task<HttpResponseMessage> LogInAsync(string user, string password, string returnUrl = "/", bool antiforgery = true)
    {
        var form = await (await _http.GetAsync("/login")).Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        var fields = new Dictionary<string, string> { ["user"] = user, ["password"] = password, ["returnUrl"] = returnUrl };
        if (antiforgery)
        {
            fields["__antiforgery"] = WebUtility.HtmlDecode(token);
        }

        return await _http.PostAsync("/login", new FormUrlEncodedContent(fields));
    }

    /// <summary>
    /// The page once it contains <paramref name="expected"/>: PTR names and DMARC records the page did not get within
    /// its DNS budget land in the relay's cache and show at a later view. Gives the last page after 30 s.
    /// </summary>
    public async Task<string> GetUntilAsync(string token, string path, string expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await GetAsync(path, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            if (html.Contains(expected, StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return html;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__antiforgery\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
