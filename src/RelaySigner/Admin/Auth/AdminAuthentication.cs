using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using HeaderNames = Microsoft.Net.Http.Headers.HeaderNames;

namespace RelaySigner.Admin.Auth;

/// <summary>
/// The admin listener's authentication: a cookie after the login form for people, the bearer token for scripts. A
/// request with an <c>Authorization: Bearer</c> header is judged by the token alone; any other by its cookie (and sent
/// to the login form when it has none).
/// </summary>
internal static class AdminAuthentication
{
    public const string PolicySchemeName = "Admin";
    public const string CookieName = "relaysigner-admin";

    public static void AddAdminAuthentication(this IServiceCollection services)
    {
        // Keys in memory only: a restart logs everyone out, and no key that could forge a login cookie lies on disk.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "relaysigner-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__antiforgery";
        });
        services.AddAuthentication(PolicySchemeName)
            .AddPolicyScheme(PolicySchemeName, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers[HeaderNames.Authorization].ToString().StartsWith(AdminTokenAuthenticationHandler.Prefix, StringComparison.OrdinalIgnoreCase)
                    ? AdminTokenAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminTokenAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                // Strict: no other site can make the browser send it (a second line against CSRF beside the antiforgery
                // token). Secure whenever the listener is reached over HTTPS.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
            });
        services.AddAuthorization();
    }
}
