using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

/// <summary>The routes under <c>/api/platforms/{platform}</c>.</summary>
public static class PlatformRoutes
{
    /// <summary>
    /// A group under <c>/api/platforms/{platform}</c> whose endpoints run only for a well-formed platform name
    /// (<c>400</c> otherwise) that the caller may see (<c>403</c> for a platform key bound to another one).
    /// </summary>
    public static RouteGroupBuilder MapPlatformGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/platforms/{platform}").AddEndpointFilter(async (context, next) =>
        {
            var platform = (string)context.HttpContext.Request.RouteValues["platform"]!;
            return Problems.CheckPlatform(platform) is { } bad ? Problems.Invalid([bad])
                : context.HttpContext.User.MaySee(platform) ? await next(context)
                : Problems.Forbidden("This key is bound to another platform.");
        });
}
