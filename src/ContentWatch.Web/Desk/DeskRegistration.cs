using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Export;

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
        services.AddOptions<DeskOptions>().BindConfiguration(DeskOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(SignInLimit);
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DeskRegistration))
                    .LogWarning("Desk sign-in refused from {Address}: more than its sign-ins per minute", http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                http.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "cw_desk_af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
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

    /// <summary>An export batch's notices as a CSV download, for the referrals page (the API's CSV, with the desk's sign-in).</summary>
    private static async Task<IResult> DownloadBatchAsync(string platform, string id, IExportStore exports, CancellationToken cancellationToken)
    {
        if (await exports.GetDocumentAsync(platform.ToLowerInvariant(), id, cancellationToken) is not { } document)
        {
            return Results.NotFound();
        }

        var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        await NoticeCsv.WriteAsync(document, writer, cancellationToken);
        return Results.File(System.Text.Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", $"contentwatch-{document.Platform}-{document.Id}.csv");
    }

    /// <summary>Sign-in posts are limited per client address (besides the per-account lock-out); nothing else is.</summary>
    private static RateLimitPartition<string> SignInLimit(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Equals("/desk/sign-in", StringComparison.OrdinalIgnoreCase))
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var permits = context.RequestServices.GetRequiredService<IOptions<DeskOptions>>().Value.SignInsPerAddressPerMinute;
        return RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
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
        app.UseRateLimiter();
        DeskAssets.Map(app);
        app.MapGet("/", () => Results.Redirect("/desk"));
        app.MapGet("/desk", () => Results.Redirect("/desk/queue"));
        app.MapGet("/desk/exports/{platform}/{id}/csv", DownloadBatchAsync).RequireAuthorization(DeskAccess.Oversight);
        app.Use(async (context, next) =>
        {
            // a browser that is not signed in is sent to sign in, and back; API callers keep Hangfire's 401
            if (context.Request.Path.StartsWithSegments("/hangfire") && string.IsNullOrEmpty(context.Request.Headers.Authorization)
                && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
                && !(await context.AuthenticateAsync(DeskAccess.Scheme)).Succeeded)
            {
                context.Response.Redirect("/desk/sign-in?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
                return;
            }

            await next(context);
        });
        app.MapRazorPages();
        return app;
    }
}
