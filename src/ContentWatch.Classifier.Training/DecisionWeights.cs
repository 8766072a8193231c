namespace ContentWatch.Classifier.Training;

/// <summary>
/// How much each officer's decision weighs among the decisions, before the labels are balanced. The rule:
/// <list type="number">
/// <item>Each decision starts at 1; the members of one cluster decision (one officer act on near-duplicates) share 1.</item>
/// <item>No platform may hold more than <c>platformCap</c> of the total decision weight, and no UTC day more than
/// <c>dayCap</c>. A group over its cap is scaled down as a whole (every decision in it by the same factor) until it holds
/// exactly the cap; the others keep their weight, so the total shrinks. Platforms and days are capped in turn until both
/// hold (a decision is in one platform and one day, so fixing one can break the other by a little; it converges in a few
/// rounds).</item>
/// <item>A cap that cannot be met, because there are fewer groups than 1/cap (two platforms cannot each hold 40%), becomes
/// 1/groups: every group at most an equal share.</item>
/// </list>
/// The trainer multiplies the result by the decision weight setting (a decision weighs that many corpus rows).
/// </summary>
internal static class DecisionWeights
{
    /// <summary>Shares may exceed their cap by this much when the rounds stop.</summary>
    public const double Tolerance = 1e-9;

    private const int MaxRounds = 200;

    /// <param name="platforms">Each decision's platform.</param>
    /// <param name="days">Each decision's UTC day (any key that groups a day).</param>
    /// <param name="clusters">Each decision's cluster-decision key, or null for a decision on one item.</param>
    public static double[] Compute(IReadOnlyList<string> platforms, IReadOnlyList<string> days, IReadOnlyList<string?> clusters,
        double platformCap, double dayCap)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(clusters);
        var n = platforms.Count;
        if (days.Count != n || clusters.Count != n)
        {
            throw new ArgumentException("One platform, day and cluster per decision.");
        }

        var members = clusters.Where(c => c is not null).GroupBy(c => c!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var weights = clusters.Select(c => c is null ? 1.0 : 1.0 / members[c]).ToArray();
        var platformOf = Index(platforms);
        var dayOf = Index(days);
        for (var round = 0; round < MaxRounds; round++)
        {
            Cap(weights, platformOf, platformCap);
            Cap(weights, dayOf, dayCap);
            if (MaxExcess(weights, platformOf, platformCap) <= Tolerance && MaxExcess(weights, dayOf, dayCap) <= Tolerance)
            {
                break;
            }
        }

        return weights;
    }

    /// <summary>Each group's share of the total weight.</summary>
    public static Dictionary<string, double> Shares(IReadOnlyList<string> keys, IReadOnlyList<double> weights)
    {
        var total = weights.Sum();
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            shares[keys[i]] = shares.GetValueOrDefault(keys[i]) + (total > 0 ? weights[i] / total : 0);
        }

        return shares;
    }

    /// <summary>The cap that can be met with <paramref name="groups"/> groups: at least an equal share.</summary>
    public static double EffectiveCap(double cap, int groups) => groups == 0 ? 1 : Math.Max(cap, 1.0 / groups);

    private static (int[] Group, int Count) Index(IReadOnlyList<string> keys)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var group = new int[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            if (!ids.TryGetValue(keys[i], out var id))
            {
                id = ids.Count;
                ids[keys[i]] = id;
            }

            group[i] = id;
        }

        return (group, ids.Count);
    }

    /// <summary>
    /// Water-filling for one partition: finds the groups that must be capped (largest first) so that each capped group
    /// holds exactly <c>cap</c> of the new total and no uncapped group holds more, and scales the capped groups down.
    /// </summary>
    private static void Cap(double[] weights, (int[] Group, int Count) partition, double cap)
    {
        var (group, count) = partition;
        cap = EffectiveCap(cap, count);
        var totals = Totals(weights, partition);
        var order = Enumerable.Range(0, count).OrderByDescending(g => totals[g]).ToArray();

        // With the k largest groups capped, the new total T solves T = k·cap·T + rest (rest: the uncapped groups' sum), so
        // T = rest / (1 − k·cap). Cap the next largest group while it would hold more than cap of that total.
        var rest = totals.Sum();
        var k = 0;
        while (k < count && 1 - k * cap > Tolerance && totals[order[k]] > cap * rest / (1 - k * cap) * (1 + Tolerance))
        {
            rest -= totals[order[k]];
            k++;
        }

        if (k == 0)
        {
            return;
        }

        // Every group capped happens only at cap = 1/groups: all groups equal, at the smallest one's weight.
        var target = 1 - k * cap > Tolerance && rest > 0 ? cap * rest / (1 - k * cap) : order.Take(k).Min(g => totals[g]);
        var factor = new double[count];
        Array.Fill(factor, 1.0);
        foreach (var g in order.Take(k))
        {
            factor[g] = totals[g] > 0 ? Math.Min(1.0, target / totals[g]) : 1.0;
        }

        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] *= factor[group[i]];
        }
    }

    /// <summary>How far the largest group's share is over the cap (negative: under it).</summary>
    private static double MaxExcess(double[] weights, (int[] Group, int Count) partition, double cap)
    {
        var totals = Totals(weights, partition);
        var total = totals.Sum();
        return total <= 0 ? 0 : totals.Max() / total - EffectiveCap(cap, partition.Count);
    }

    private static double[] Totals(double[] weights, (int[] Group, int Count) partition)
    {
        var totals = new double[partition.Count];
        for (var i = 0; i < weights.Length; i++)
        {
            totals[partition.Group[i]] += weights[i];
        }

        return totals;
    }
}
