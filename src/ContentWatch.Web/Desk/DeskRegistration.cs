using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ContentWatch.Web.Desk;

/// <summary>The review desk: server-rendered pages under <c>/desk</c>, signed in with a cookie.</summary>
public static class DeskRegistration
{
    /// <summary>Forbids inline script and style, framing, plugins and form posts elsewhere (reported text is hostile).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddReviewDesk(this IServiceCollection services)
    {
        // Pages carry text in every script: encode only what HTML needs (<, >, &, quotes), not every non-Latin letter.
        services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddAuthentication().AddCookie(DeskAccess.Scheme, DeskAccess.ConfigureCookie);
        services.AddAuthorization(DeskAccess.AddPolicies);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "cw_desk_af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__cw_af";
        });
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Desk/Pages";
                o.Conventions.AuthorizeFolder("/", DeskAccess.Review);
                o.Conventions.AllowAnonymousToPage("/SignIn");
                o.Conventions.AuthorizePage("/Dashboard", DeskAccess.Oversight);
                o.Conventions.AuthorizePage("/Referrals", DeskAccess.Oversight);
            })
            .AddApplicationPart(typeof(DeskRegistration).Assembly);
        return services;
    }

    /// <summary>
    /// Security headers on every desk answer: the assets, the pages and the redirects (sign-in, denied) that
    /// authentication answers before any page runs, so this goes before it (cache headers on the Hangfire dashboard too).
    /// </summary>
    public static WebApplication UseDeskHeaders(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            var desk = context.Request.Path.StartsWithSegments("/desk");
            if (desk)
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
            }

            if (desk || context.Request.Path.StartsWithSegments("/hangfire"))
            {
                // what antiforgery sets on pages with forms; set up front, so it never overrides (and logs) it
                headers.CacheControl = "no-cache, no-store";
                headers.Pragma = "no-cache";
            }

            await next(context);
        });
        return app;
    }

    public static WebApplication MapReviewDesk(this WebApplication app)
    {
        DeskAssets.Map(app);
        app.MapGet("/desk", () => Results.Redirect("/desk/queue"));
        app.MapRazorPages();
        return app;
    }
}
