using System.ComponentModel.DataAnnotations;

namespace ContentWatch.Core.Networks;

/// <summary>Near-duplicate clustering (section <c>Clustering</c>).</summary>
public sealed class ClusteringOptions
{
    public const string Section = "Clustering";

    /// <summary>Estimated Jaccard similarity of the shaped texts' shingles at or above which two items are near-duplicates.</summary>
    [Range(0.5, 1.0)]
    public double Threshold { get; set; } = 0.8;

    /// <summary>LSH bands; with <see cref="Rows"/> per band, two items at similarity s become candidates with probability 1 − (1 − s^rows)^bands.</summary>
    [Range(1, 64)]
    public int Bands { get; set; } = 20;

    [Range(1, 16)]
    public int Rows { get; set; } = 6;

    public bool BandsFit => Bands * Rows <= MinHasher.SignatureLength;
}

/// <summary>Indicator extraction (section <c>Indicators</c>).</summary>
public sealed class IndicatorOptions
{
    public const string Section = "Indicators";

    /// <summary>
    /// ISO 3166 region for phone numbers written without '+' or "00" (e.g. <c>GB</c>: "07700 900123"); such numbers
    /// count only when valid there. Empty: only international numbers are taken.
    /// </summary>
    [RegularExpression("^[A-Z]{2}$")]
    public string? DefaultRegion { get; set; }
}

/// <summary>What the analysis of one item found, before storage: its indicators, MinHash signature and LSH band keys.</summary>
public sealed record ItemAnalysis(string ItemId, IReadOnlyList<Indicator> Indicators, uint[] Signature, long[] BandKeys, IReadOnlyList<ItemEntity>? Entities = null);

/// <summary>A watched indicator an item shares: the watchlist entry, and the confirmed item and decision it came from (none when an officer added it by hand).</summary>
public sealed record WatchlistHit(string Type, string Value, string EntryId, string? ItemId, string? DecisionId);

/// <summary>What storing an item's analysis decided: the watchlist entries it hits, and its cluster (null without a near-duplicate).</summary>
public sealed record AnalysisResult(string ItemId, IReadOnlyList<WatchlistHit> Hits, string? ClusterId)
{
    /// <summary>The language an entity service detected, when one is on.</summary>
    public string? Language { get; init; }
}

/// <summary>An item's indicators and cluster; <see cref="Analysed"/> is false until its analysis is stored.</summary>
public sealed record ItemNetwork(bool Analysed, IReadOnlyList<Indicator> Indicators, string? ClusterId, int ClusterSize, IReadOnlyList<ItemEntity>? Entities = null);

/// <summary>One item that carries an indicator.</summary>
public sealed record IndicatorSighting(
    string ItemId, string Platform, string Url, string Status, DateTimeOffset FirstReportedAt, DateTimeOffset LastReportedAt,
    string? Decision, string? Category, string? ReferralId);

/// <summary>Everything known about one indicator: the items sharing it (up to the limit asked for) and their span.</summary>
public sealed record IndicatorSightings(
    string Type, string Value, int ItemCount, IReadOnlyList<string> Platforms, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen,
    IReadOnlyList<IndicatorSighting> Items);

/// <summary>A member of a cluster; <see cref="Text"/> is the start of its text, for the template.</summary>
public sealed record ClusterMember(
    string Id, string Url, string Platform, string Status, string? Label, double? Score, DateTimeOffset FirstReportedAt,
    DateTimeOffset LastReportedAt, string? ReferralId, string Text);

/// <summary>A cluster with its first members (first reported first) and its size.</summary>
public sealed record ClusterDetails(string Id, DateTimeOffset CreatedAt, int Size, IReadOnlyList<ClusterMember> Members);

/// <summary>A watched indicator as shared with partners: no reporter, officer or reason travels with it.</summary>
public sealed record SharedIndicator(
    string Type, string Value, DateTimeOffset WatchedSince, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen, int ItemCount,
    IReadOnlyList<string> Platforms, IReadOnlyList<string> Categories);

/// <summary>Indicators, near-duplicate clusters and what is shared, stored per item.</summary>
public interface INetworkStore
{
    /// <summary>
    /// Stores each item's indicators (replacing any stored before), looks them up in the active watchlist and marks an
    /// item that hits it, and places the item in a cluster: the most similar earlier item found through the band keys
    /// at or above <paramref name="threshold"/> (<see cref="ClusterChoice"/>). An item placed before keeps its cluster,
    /// so a batch taken over after a crash comes out the same. Entities, when given, replace the item's stored ones. One transaction.
    /// </summary>
    Task<IReadOnlyList<AnalysisResult>> SaveAnalysisAsync(IReadOnlyList<ItemAnalysis> items, double threshold, CancellationToken cancellationToken);

    Task<ItemNetwork> GetItemNetworkAsync(string itemId, CancellationToken cancellationToken);

    /// <summary>The items carrying <paramref name="indicator"/>, first reported first, up to <paramref name="limit"/>; counts and span over all.</summary>
    Task<IndicatorSightings> GetSightingsAsync(Indicator indicator, int limit, CancellationToken cancellationToken);

    /// <summary>The cluster with up to <paramref name="limit"/> members (texts cut to <paramref name="textLength"/>), or null.</summary>
    Task<ClusterDetails?> GetClusterAsync(string clusterId, int limit, int textLength, CancellationToken cancellationToken);

    /// <summary>The ids of the cluster's members no officer has decided on (not confirmed or rejected), first reported first.</summary>
    Task<IReadOnlyList<string>> GetOpenMembersAsync(string clusterId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Every indicator on the active watchlist, with the span and platforms of the items carrying it and the categories
    /// of the decisions behind it; e-mail addresses that any reporter used are left out.
    /// </summary>
    Task<IReadOnlyList<SharedIndicator>> GetSharedIndicatorsAsync(CancellationToken cancellationToken);
}

/// <summary>The clustering rule, the same for every store.</summary>
public static class ClusterChoice
{
    /// <summary>A stored item found through a shared band key.</summary>
    public sealed record Candidate(string ItemId, uint[] Signature, string? ClusterId);

    /// <summary>The most similar candidate at or above <paramref name="threshold"/> (the earliest on a tie), or null.</summary>
    public static Candidate? Best(uint[] signature, IEnumerable<Candidate> candidates, double threshold)
    {
        Candidate? best = null;
        var bestSimilarity = threshold;
        foreach (var candidate in candidates)
        {
            var similarity = MinHasher.Similarity(signature, candidate.Signature);
            if (similarity > bestSimilarity || (best is null && similarity >= threshold))
            {
                (best, bestSimilarity) = (candidate, similarity);
            }
        }

        return best;
    }
}

/// <summary>
/// Where a batch's items go, decided in memory from what the database holds: the stored item kept for each band key
/// (<paramref name="stored"/>) comes first, then the first item of the batch with a key the database lacks; the rule
/// is <see cref="ClusterChoice"/>'s. A store that reads before it writes (SQLite, to keep its one write lock short)
/// writes what the plan says.
/// </summary>
public sealed class BatchPlacement
{
    private readonly Dictionary<string, string?> clusterOf = [];
    private readonly HashSet<string> fresh = [];

    /// <summary>Clusters to create, each with the stored item to place in it first (null: its first member is in this batch).</summary>
    public List<(string ClusterId, string? Representative)> NewClusters { get; } = [];

    public string? ClusterOf(string itemId) => clusterOf.GetValueOrDefault(itemId);

    /// <summary>True for an item not analysed before.</summary>
    public bool IsNew(string itemId) => fresh.Contains(itemId);

    /// <summary>A cluster the plan started turned out to exist under another id: its members follow.</summary>
    public void Rename(string from, string to)
    {
        if (from == to)
        {
            return;
        }

        foreach (var key in clusterOf.Where(c => c.Value == from).Select(c => c.Key).ToList())
        {
            clusterOf[key] = to;
        }
    }

    public static BatchPlacement Make(
        IReadOnlyList<ItemAnalysis> items, IReadOnlyDictionary<string, string?> analysed, IReadOnlyDictionary<long, ClusterChoice.Candidate> stored, double threshold)
    {
        ArgumentNullException.ThrowIfNull(items);
        var plan = new BatchPlacement();
        var current = new Dictionary<string, string?>();
        var local = new Dictionary<long, ClusterChoice.Candidate>();
        foreach (var item in items)
        {
            if (analysed.TryGetValue(item.ItemId, out var existing))
            {
                plan.clusterOf[item.ItemId] = existing;
                continue;
            }

            var candidates = new List<ClusterChoice.Candidate>();
            foreach (var key in item.BandKeys)
            {
                var candidate = stored.GetValueOrDefault(key) ?? local.GetValueOrDefault(key);
                if (candidate is not null && candidate.ItemId != item.ItemId && !candidates.Exists(c => c.ItemId == candidate.ItemId))
                {
                    candidates.Add(candidate with { ClusterId = current.TryGetValue(candidate.ItemId, out var now) ? now : candidate.ClusterId });
                }
            }

            string? clusterId = null;
            if (ClusterChoice.Best(item.Signature, candidates, threshold) is { } best)
            {
                clusterId = best.ClusterId;
                if (clusterId is null)
                {
                    clusterId = Ids.New();
                    var isStored = !plan.fresh.Contains(best.ItemId);
                    plan.NewClusters.Add((clusterId, isStored ? best.ItemId : null));
                    current[best.ItemId] = clusterId;
                    if (!isStored)
                    {
                        plan.clusterOf[best.ItemId] = clusterId;
                    }
                }
            }

            plan.fresh.Add(item.ItemId);
            plan.clusterOf[item.ItemId] = clusterId;
            current[item.ItemId] = clusterId;
            foreach (var key in item.BandKeys)
            {
                if (!stored.ContainsKey(key))
                {
                    local.TryAdd(key, new ClusterChoice.Candidate(item.ItemId, item.Signature, null));
                }
            }
        }

        return plan;
    }
}
