using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Operations;

/// <summary>
/// The dashboard in a real headless browser (Debian's chromium): log in through the form, open a domain loaded with
/// the known reports, read the charts and numbers as rendered, check the page fits a phone, and keep a screenshot
/// (TestResults/artifacts/dashboard.png, and docs/dashboard.png, which the README shows).
/// </summary>
public sealed class DashboardBrowserTests
{
    [ChromiumFact]
    public async Task A_logged_in_browser_sees_the_domains_charts_numbers_and_flagged_sources_on_a_laptop_and_a_phone()
    {
        await using var relay = await DashboardRelay.StartAsync();
        var page = $"/domains/{KnownReports.Domain}?days=30";
        // The relay's DNS cache is warm before the browser comes, so the screenshot shows PTR names and the rollout.
        using (var session = new AdminBrowserSession(relay.BaseAddress))
        {
            await session.GetUntilAsync(relay.Token, page, "relay.example.com");
            await session.GetUntilAsync(relay.Token, page, "id=\"published\"");
        }

        using var browser = StartBrowser();
        browser.Navigate().GoToUrl(new Uri(relay.BaseAddress, page));
        Assert.Equal("/login", new Uri(browser.Url).AbsolutePath);
        browser.FindElement(By.Name("user")).SendKeys(DashboardRelay.User);
        browser.FindElement(By.Name("password")).SendKeys(DashboardRelay.Password);
        browser.FindElement(By.CssSelector("form.login button")).Click();

        // Implicit wait: the element is looked for until the redirected page has it.
        Assert.Equal("1,751", browser.FindElement(By.Id("messages")).Text);
        Assert.Equal($"/domains/{KnownReports.Domain}", new Uri(browser.Url).AbsolutePath);
        Assert.Equal("95.9 %", browser.FindElement(By.Id("pass-rate")).Text);
        Assert.Equal("80.0 %", browser.FindElement(By.Id("spf-rate")).Text);
        var passChart = browser.FindElement(By.CssSelector("svg[data-chart='pass-rate']"));
        Assert.True(passChart.Displayed);
        Assert.True(passChart.Size.Width > 300, $"the chart is {passChart.Size.Width} px wide");
        Assert.Equal(14, passChart.FindElements(By.TagName("circle")).Count);
        Assert.Equal(14, passChart.FindElements(By.CssSelector("circle[data-value='96.0']")).Count + passChart.FindElements(By.CssSelector("circle[data-value='95.2']")).Count);
        var volume = browser.FindElement(By.CssSelector("svg[data-chart='volume']"));
        Assert.Equal(14, volume.FindElements(By.CssSelector("rect[data-series='this relay']")).Count);
        var flagged = browser.FindElements(By.CssSelector("#sources tr.flag"));
        Assert.Equal(2, flagged.Count);
        Assert.Contains(browser.FindElements(By.CssSelector("#sources td")), td => td.Text == "relay.example.com");
        Assert.Contains(KnownReports.HostileReporter, flagged.Select(row => row.Text).Single(t => t.Contains("203.0.113.99", StringComparison.Ordinal)));
        Assert.Contains("p=none", browser.FindElement(By.Id("published")).Text);

        SaveFullPage(browser, new Size(1280, 900), Path.Combine(RepositoryRoot.Path, "docs", "dashboard.png"), Path.Combine(Artifacts, "dashboard.png"));

        // A phone: the page itself never scrolls sideways (wide tables scroll inside their box), the charts shrink.
        browser.Manage().Window.Size = new Size(390, 844);
        browser.Navigate().Refresh();
        Assert.Equal("1,751", browser.FindElement(By.Id("messages")).Text);
        var overflow = (long)((IJavaScriptExecutor)browser).ExecuteScript("return document.documentElement.scrollWidth - window.innerWidth;")!;
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than a phone's screen");
        Assert.True(browser.FindElement(By.CssSelector("svg[data-chart='pass-rate']")).Size.Width < 390);
        SaveFullPage(browser, new Size(390, 844), Path.Combine(Artifacts, "dashboard-phone.png"));
    }

    private static string Artifacts => Path.Combine(RepositoryRoot.Path, "TestResults", "artifacts");

    private static ChromeDriver StartBrowser()
    {
        // The driver and the browser are given by path, so Selenium Manager (which would download them) never runs.
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumFactAttribute.Driver)!, Path.GetFileName(ChromiumFactAttribute.Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Browser };
        // --no-sandbox: the tests run as root in CI, where chromium's sandbox refuses to start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
        var browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        browser.Manage().Timeouts().ImplicitWait = TimeSpan.FromSeconds(15);
        return browser;
    }

    /// <summary>A screenshot of the whole page: the viewport is made as tall as the page first (DevTools' device metrics).</summary>
    private static void SaveFullPage(ChromeDriver browser, Size viewport, params string[] paths)
    {
        var height = (long)((IJavaScriptExecutor)browser).ExecuteScript("return document.documentElement.scrollHeight;")!;
        browser.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = viewport.Width,
            ["height"] = (int)Math.Max(height, viewport.Height),
            ["deviceScaleFactor"] = 1,
            ["mobile"] = viewport.Width < 600,
        });
        var shot = browser.GetScreenshot();
        foreach (var path in paths)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            shot.SaveAsFile(path);
        }

        browser.ExecuteCdpCommand("Emulation.clearDeviceMetricsOverride", []);
    }
}
