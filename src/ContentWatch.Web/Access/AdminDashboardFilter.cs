using Hangfire.Dashboard;
using ContentWatch.Core.Access;
using ContentWatch.Web.Desk;

namespace ContentWatch.Web.Access;

/// <summary>The Hangfire dashboard is for admins only: an admin API key, or an admin signed in to the review desk.</summary>
public sealed class AdminDashboardFilter : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        return http.User.IsInRole(Roles.Admin) || await DeskAccess.IsDeskAdminAsync(http);
    }
}
