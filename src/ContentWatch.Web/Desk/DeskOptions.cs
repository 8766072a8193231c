using System.ComponentModel.DataAnnotations;

namespace ContentWatch.Web.Desk;

/// <summary>The review desk's settings (section <c>Desk</c>).</summary>
public sealed class DeskOptions
{
    public const string Section = "Desk";

    /// <summary>Sign-in posts one client address may make per minute; more are answered 429.</summary>
    [Range(1, 100_000)]
    public int SignInsPerAddressPerMinute { get; set; } = 10;
}
