using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Admin.Dashboard;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Admin.Auth;

/// <summary>
/// <c>GET/POST /login</c> and <c>POST /logout</c>. Both posts carry an antiforgery token; failed logins count per
/// client IP as failed SMTP AUTH does, and past the allowance the address gets 429 until its failures age out.
/// </summary>
internal static class AdminLoginEndpoints
{
    public static void MapAdminLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/login", (HttpContext context) => Page(context, StatusCodes.Status200OK, null));
        endpoints.MapPost("/login", (Delegate)LoginAsync);
        endpoints.MapPost("/logout", (Delegate)LogoutAsync);
    }

    private static async Task<IResult> LoginAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminLoginEndpoints));
        if (!await IsFormFromOurPageAsync(context).ConfigureAwait(false))
        {
            return Page(context, StatusCodes.Status400BadRequest, "The form expired; please log in again.");
        }

        var client = context.Connection.RemoteIpAddress;
        var throttle = services.GetRequiredService<AuthFailureThrottle>();
        if (throttle.IsBlocked(client))
        {
            AdminLog.LoginThrottled(logger, client?.ToString());
            context.Response.Headers.RetryAfter = ((int)services.GetRequiredService<IOptions<AdminOptions>>().Value.LoginFailureWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page(context, StatusCodes.Status429TooManyRequests, "Too many failed logins from your address; try again later.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var user = services.GetRequiredService<AdminUserDirectory>().Verify(form["user"].ToString(), form["password"].ToString());
        if (user is null)
        {
            // The attempted name is not logged: it is often a password typed into the wrong field.
            AdminLog.LoginFailed(logger, client?.ToString());
            throttle.RecordFailure(client);
            return Page(context, StatusCodes.Status401Unauthorized, "Wrong user name or password.");
        }

        AdminLog.LoginSucceeded(logger, client?.ToString(), user);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        return Results.Redirect(LocalOrRoot(form["returnUrl"].ToString()));
    }

    private static async Task<IResult> LogoutAsync(HttpContext context)
    {
        if (!await IsFormFromOurPageAsync(context).ConfigureAwait(false))
        {
            return Results.BadRequest();
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        return Results.Redirect("/login");
    }

    private static async Task<bool> IsFormFromOurPageAsync(HttpContext context)
    {
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context).ConfigureAwait(false);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    private static IResult Page(HttpContext context, int status, string? error)
    {
        var services = context.RequestServices;
        var returnUrl = LocalOrRoot(context.Request.Query["ReturnUrl"].ToString() is { Length: > 0 } fromQuery ? fromQuery : context.Request.HasFormContentType ? context.Request.Form["returnUrl"].ToString() : "/");
        var body = new HtmlWriter();
        body.Add($"<h1>Log in</h1>");
        if (error is not null)
        {
            body.Add($"""<p class="error" role="alert">{error}</p>""");
        }

        if (!services.GetRequiredService<AdminUserDirectory>().HasUsers)
        {
            body.Add($"""
                <section class="card"><p>No admin users are configured. Add <code>Relay:Admin:Users:0:Name</code> and
                <code>Relay:Admin:Users:0:PasswordHash</code> (from <code>relaysigner users hash-password</code>), or use the
                bearer token of <code>Relay:Admin:TokenPath</code>.</p></section>
                """);
        }
        else
        {
            body.Add($"""
                <section class="card"><form class="login" method="post" action="/login">{AntiforgeryField(context)}
                <input type="hidden" name="returnUrl" value="{returnUrl}">
                <label>User <input name="user" autocomplete="username" required autofocus></label>
                <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
                <button type="submit">Log in</button></form></section>
                """);
        }

        return Results.Content(PageLayout.Render("Log in", null, HtmlFragment.Empty, body.ToFragment()), "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>The hidden antiforgery field for a form on this response (its cookie is set with it).</summary>
    public static HtmlFragment AntiforgeryField(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var html = new HtmlWriter();
        html.Add($"""<input type="hidden" name="{tokens.FormFieldName}" value="{tokens.RequestToken}">""");
        return html.ToFragment();
    }

    /// <summary>Only a path on this listener: an absolute or protocol-relative URL would make the login an open redirect.</summary>
    private static string LocalOrRoot(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
