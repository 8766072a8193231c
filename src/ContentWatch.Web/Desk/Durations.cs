using System.Globalization;

namespace ContentWatch.Web.Desk;

public static class Durations
{
    /// <summary>A duration as officers read it: minutes, hours or days; a dash when there is none.</summary>
    public static string Format(TimeSpan? value) => value switch
    {
        null => "–",
        { TotalHours: < 1 } v => v.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min",
        { TotalDays: < 2 } v => v.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h",
        { } v => v.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " days",
    };
}
