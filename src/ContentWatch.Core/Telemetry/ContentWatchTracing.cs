using System.Diagnostics;

namespace ContentWatch.Core.Telemetry;

/// <summary>The activity source of ContentWatch's own spans (background jobs); requests are traced by ASP.NET Core.</summary>
public static class ContentWatchTracing
{
    public const string SourceName = "ContentWatch";

    public static readonly ActivitySource Source = new(SourceName);
}
