using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RelaySigner.Admin.Auth;

namespace RelaySigner.Admin.Dashboard;

/// <summary>The dashboard's pages, each behind the login. A page that fails answers 500 with a line to look in the log.</summary>
internal static class DashboardEndpoints
{
    public static void MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        string[] read = [HttpMethods.Get, HttpMethods.Head];
        endpoints.MapMethods("/", read, (HttpContext context, DashboardSources sources) =>
            PageAsync(context, "Overview", ct => OverviewPage.RenderAsync(sources, ct))).RequireAuthorization();
        endpoints.MapMethods("/domains/{domain}", read, (HttpContext context, DashboardSources sources, string domain, string? days) =>
            PageAsync(context, domain, ct => DomainAsync(sources, domain, Numbers.Days(days, 30), ct))).RequireAuthorization();
        endpoints.MapMethods("/delivery", read, (HttpContext context, DashboardSources sources, string? days) =>
            PageAsync(context, "Delivery", ct => DeliveryPage.RenderAsync(sources, Numbers.Days(days, 7), ct))).RequireAuthorization();
    }

    private static async Task<HtmlFragment> DomainAsync(DashboardSources sources, string domain, int days, CancellationToken cancellationToken)
    {
        domain = domain.Trim().TrimEnd('.').ToLowerInvariant();
        if (sources.Reports is not { } store)
        {
            var html = new HtmlWriter();
            html.Add($"""<h1>{domain}</h1><section class="card"><p class="muted" id="no-store">No report store: this relay does not collect DMARC reports.</p></section>""");
            return html.ToFragment();
        }

        return DomainPage.Render(await DomainView.LoadAsync(sources, store, domain, days, cancellationToken).ConfigureAwait(false), days);
    }

    private static async Task<IResult> PageAsync(HttpContext context, string title, Func<CancellationToken, Task<HtmlFragment>> render)
    {
        HtmlFragment body;
        var status = StatusCodes.Status200OK;
        try
        {
            body = await render(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            AdminLog.PageFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardEndpoints)), ex, context.Request.Path);
            var html = new HtmlWriter();
            html.Add($"""<h1>{title}</h1><p class="error">This page could not be made; the relay's log has the reason (event 5305).</p>""");
            body = html.ToFragment();
            status = StatusCodes.Status500InternalServerError;
        }

        var page = PageLayout.Render(title, context.User.Identity?.Name, AdminLoginEndpoints.AntiforgeryField(context), body);
        return Results.Content(page, "text/html; charset=utf-8", statusCode: status);
    }
}
