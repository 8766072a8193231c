using Hangfire.Dashboard;
using ContentWatch.Core.Access;

namespace ContentWatch.Web.Access;

/// <summary>The Hangfire dashboard is for admins only.</summary>
public sealed class AdminDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
}
