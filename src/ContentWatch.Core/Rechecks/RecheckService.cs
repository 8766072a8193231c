using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Outbound;

namespace ContentWatch.Core.Rechecks;

/// <summary>
/// One re-check pass: fetches the URL of each open referral under the outbound rules, one request at a time per host
/// with a pause between two, a few hosts at once, and records <c>live</c>, <c>gone</c> or <c>changed</c> with the HTTP
/// status and the SHA-256 of what was read. <see cref="RecheckOptions.GoneAfter"/> gone checks in a row mark the
/// referral removed (observed).
/// </summary>
public sealed class RecheckService(IRecheckStore store, OutboundHttp http, IOptions<RecheckOptions> options, TimeProvider time, ILogger<RecheckService> logger)
{
    public async Task<RecheckSummary> RunPassAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var open = await store.OpenReferralsAsync(o.MaxPerPass, cancellationToken);
        var results = new System.Collections.Concurrent.ConcurrentBag<(string State, bool Removed)>();
        var hosts = open.GroupBy(r => Uri.TryCreate(r.Url, UriKind.Absolute, out var u) ? u.IdnHost.ToLowerInvariant() : "", StringComparer.Ordinal);
        await Parallel.ForEachAsync(hosts, new ParallelOptions { MaxDegreeOfParallelism = o.ParallelHosts, CancellationToken = cancellationToken }, async (host, ct) =>
        {
            var first = true;
            foreach (var referral in host)
            {
                if (!first && o.PerHostDelayMilliseconds > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(o.PerHostDelayMilliseconds), time, ct);
                }

                first = false;
                var check = await CheckAsync(referral, ct);
                var removed = await store.RecordCheckAsync(check, o.GoneAfter, ct);
                if (removed)
                {
                    logger.LogInformation("Referral {ReferralId} observed removed after {GoneAfter} gone checks", referral.Id, o.GoneAfter);
                }

                results.Add((check.State, removed));
            }
        });
        return new RecheckSummary(
            results.Count,
            results.Count(r => r.State == ObservedState.Live),
            results.Count(r => r.State == ObservedState.Changed),
            results.Count(r => r.State == ObservedState.Gone),
            results.Count(r => r.State == ObservedState.Error),
            results.Count(r => r.Removed));
    }

    /// <summary>Fetches one referral's URL and says what it saw.</summary>
    public async Task<CheckResult> CheckAsync(OpenReferral referral, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(referral);
        OutboundResponse response;
        try
        {
            response = await http.SendAsync(HttpMethod.Get, new Uri(referral.Url), null, new Dictionary<string, string> { ["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8" }, cancellationToken);
        }
        catch (Exception e) when (e is OutboundRefusedException or TimeoutException or HttpRequestException or IOException or UriFormatException)
        {
            return new CheckResult(referral.Id, time.GetUtcNow(), ObservedState.Error, null, null, e.Message);
        }

        var at = time.GetUtcNow();
        var state = Classify(response.StatusCode);
        if (state != ObservedState.Live)
        {
            return new CheckResult(referral.Id, at, state, response.StatusCode, null, state == ObservedState.Error ? $"HTTP {response.StatusCode}" : null);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(response.Body));
        var changed = referral.LastContentSha256 is { } last && last != sha;
        return new CheckResult(referral.Id, at, changed ? ObservedState.Changed : ObservedState.Live, response.StatusCode, sha, null);
    }

    /// <summary>404, 410 and 451 are gone; a 2xx is live; anything else (a 3xx not followed, 401, 403, 429, 5xx) tells nothing.</summary>
    public static string Classify(int httpStatus) => httpStatus switch
    {
        404 or 410 or 451 => ObservedState.Gone,
        >= 200 and <= 299 => ObservedState.Live,
        _ => ObservedState.Error,
    };
}
