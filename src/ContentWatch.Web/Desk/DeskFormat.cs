using System.Globalization;

namespace ContentWatch.Web.Desk;

/// <summary>Figures as officers read them.</summary>
public static class DeskFormat
{
    /// <summary>A duration in minutes, hours or days; a dash when there is none.</summary>
    public static string Duration(TimeSpan? value) => value switch
    {
        null => "–",
        { TotalHours: < 1 } v => v.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min",
        { TotalDays: < 2 } v => v.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h",
        { } v => v.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " days",
    };

    /// <summary>A share as a percentage with <paramref name="decimals"/> decimals; a dash when there is none.</summary>
    public static string Percent(double? share, int decimals = 0) =>
        share is { } s ? (s * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%" : "–";
}
