using System.ComponentModel.DataAnnotations;

namespace ContentWatch.Core.Outbound;

/// <summary>
/// Rules for every request ContentWatch sends out (webhook deliveries, takedown re-checks). The targets come from
/// configuration and from reported URLs, so they are treated as hostile: http(s) only, no loopback or private
/// address unless allowed here, bounded in time and size, at most <see cref="MaxRedirects"/> redirects.
/// </summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>The most redirects followed; each hop is checked again.</summary>
    public const int MaxRedirects = 3;

    /// <summary>Allows loopback, private, link-local and other non-public targets (tests, closed networks).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Non-public networks allowed one by one, in CIDR form (<c>10.20.0.0/16</c>), when <see cref="AllowPrivateNetworks"/> is off.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Seconds one request may take, redirects included, from connecting to the last byte read.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Bytes of an answer read at most; the rest is not read (a re-check hashes what was read).</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>The User-Agent of every request: says who is asking and where to write.</summary>
    [Required]
    public string UserAgent { get; set; } = "ContentWatch/1.0 (takedown follow-up of a referral unit)";
}
