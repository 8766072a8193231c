using System.ComponentModel.DataAnnotations;

namespace ContentWatch.Core.Export;

public sealed class ExportOptions
{
    public const string Section = "Export";

    /// <summary>The e-mail address used until the unit sets its own; the service warns at start-up while it is in use.</summary>
    public const string UnsetEmail = "referrals@contentwatch.invalid";

    /// <summary>The notifier named in every notice (DSA Article 16(2)(c)): the referral unit.</summary>
    [Required, MaxLength(200)]
    public string NotifierName { get; set; } = "ContentWatch referral unit";

    /// <summary>The notifier's e-mail address, where platforms answer notices.</summary>
    [Required, EmailAddress]
    public string NotifierEmail { get; set; } = UnsetEmail;

    /// <summary>The statement of good faith (DSA Article 16(2)(d)).</summary>
    [Required]
    public string GoodFaithStatement { get; set; } =
        "The notifier submits this notice in good faith and has a bona fide belief that the information and allegations in it are accurate and complete.";

    /// <summary>Cron for the recurring job that puts every platform's pending referrals into an export batch.</summary>
    [Required]
    public string Cron { get; set; } = "*/15 * * * *";
}
