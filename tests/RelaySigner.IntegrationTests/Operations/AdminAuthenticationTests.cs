using System.Net;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Operations;

/// <summary>The admin listener's logins over real HTTP: the form with its cookie, the bearer token, the throttle, the start refusal.</summary>
public sealed class AdminAuthenticationTests
{
    [Fact]
    public async Task Pages_send_a_browser_without_a_login_to_the_form_and_refuse_a_wrong_token_with_401()
    {
        await using var relay = await DashboardRelay.StartAsync();
        using var session = new AdminBrowserSession(relay.BaseAddress);

        foreach (var path in new[] { "/", "/domains/example.com", "/delivery" })
        {
            using var anonymous = await session.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Equal($"/login?ReturnUrl={Uri.EscapeDataString(path)}", anonymous.Headers.Location!.PathAndQuery);

            using var wrongToken = await session.GetAsync(path, bearer: "not-the-token-not-the-token");
            Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
            Assert.Equal("Bearer", wrongToken.Headers.WwwAuthenticate.Single().Scheme);
        }

        Assert.Contains(relay.Relay.Logs.Entries, e => e.EventId == EventIds.Host.AdminTokenRefused);
    }

    [Fact]
    public async Task The_right_password_gives_an_http_only_same_site_cookie_that_opens_the_pages_and_logout_ends_it()
    {
        await using var relay = await DashboardRelay.StartAsync();
        using var session = new AdminBrowserSession(relay.BaseAddress);

        using var wrong = await session.LogInAsync(DashboardRelay.User, "wrong password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Wrong user name or password.", await wrong.Content.ReadAsStringAsync());

        using var login = await session.LogInAsync(DashboardRelay.User, DashboardRelay.Password, "/delivery");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/delivery", login.Headers.Location!.OriginalString);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("relaysigner-admin=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var page = await session.GetAsync("/delivery");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl!.NoStore);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Delivery</h1>", html);
        Assert.Contains(relay.Relay.Logs.Entries, e => e.EventId == EventIds.Host.AdminLoginFailed);
        var succeeded = Assert.Single(relay.Relay.Logs.Entries, e => e.EventId == EventIds.Host.AdminLoginSucceeded);
        Assert.Equal(DashboardRelay.User, succeeded.Text("User"));

        // Logging out posts the page's own antiforgery field.
        var field = System.Text.RegularExpressions.Regex.Match(html, "name=\"__antiforgery\" value=\"([^\"]+)\"").Groups[1].Value;
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = session.Cookies, AllowAutoRedirect = false }) { BaseAddress = relay.BaseAddress };
        using var logout = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__antiforgery"] = WebUtility.HtmlDecode(field) }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        using var after = await session.GetAsync("/delivery");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task A_login_post_without_the_antiforgery_token_is_refused_and_a_foreign_return_url_is_not_followed()
    {
        await using var relay = await DashboardRelay.StartAsync();
        using var session = new AdminBrowserSession(relay.BaseAddress);

        using var forged = await session.LogInAsync(DashboardRelay.User, DashboardRelay.Password, antiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain(relay.Relay.Logs.Entries, e => e.EventId == EventIds.Host.AdminLoginSucceeded);

        using var login = await session.LogInAsync(DashboardRelay.User, DashboardRelay.Password, "//evil.example/steal");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Past_the_allowance_of_failed_logins_an_address_gets_429_even_with_the_right_password()
    {
        await using var relay = await DashboardRelay.StartAsync(true, ("Relay:Admin:MaxLoginFailures", "2"));
        using var session = new AdminBrowserSession(relay.BaseAddress);

        for (var i = 0; i < 2; i++)
        {
            using var wrong = await session.LogInAsync(DashboardRelay.User, $"guess {i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var blocked = await session.LogInAsync(DashboardRelay.User, DashboardRelay.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("900", blocked.Headers.GetValues("Retry-After").Single());
        using var token = await session.GetAsync("/", bearer: relay.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Contains(relay.Relay.Logs.Entries, e => e.EventId == EventIds.Host.AdminLoginThrottled);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_missing_token_file_is_made_owner_only_and_its_token_opens_the_pages_and_protected_metrics()
    {
        await using var relay = await DashboardRelay.StartAsync(true, ("Relay:Admin:ProtectMetrics", "true"));
        using var session = new AdminBrowserSession(relay.BaseAddress);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(relay.TokenPath));
        Assert.True(relay.Token.Length >= 40);
        Assert.Contains(relay.Relay.Logs.Entries, e => e.EventId == EventIds.Host.AdminTokenCreated && e.Text("Path") == relay.TokenPath);
        using var overview = await session.GetAsync("/", bearer: relay.Token);
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);

        using var metrics = await session.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Redirect, metrics.StatusCode);
        using var scraped = await session.GetAsync("/metrics", bearer: relay.Token);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        using var health = await session.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var ready = await session.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Metrics_stay_open_without_protect_metrics()
    {
        await using var relay = await DashboardRelay.StartAsync();
        using var session = new AdminBrowserSession(relay.BaseAddress);

        using var metrics = await session.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task The_relay_refuses_to_start_with_the_admin_listener_on_a_network_address_and_no_authentication()
    {
        using var queue = new TempFolder();
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));

        // 192.0.2.1 (TEST-NET) is never bound: the validation stops the start before any listener opens.
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            RelayUnderTest.StartAsync(queue.Path, sink.Endpoint, ("Relay:Admin:Urls", "http://192.0.2.1:8025")));

        Assert.Contains("Relay:Admin:Urls binds 192.0.2.1, which is not loopback, and no authentication is configured", failure.Message);
    }
}
