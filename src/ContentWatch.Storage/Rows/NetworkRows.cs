using ContentWatch.Core.Audit;
using ContentWatch.Core.Networks;

namespace ContentWatch.Storage.Rows;

// The rows the network and watchlist stores read, and the standard SQL both providers run unchanged.

/// <summary>A watchlist entry.</summary>
internal sealed class WatchlistRow
{
    public const string Columns = """
        id AS Id, type AS Type, value AS Value, reason AS Reason, item_id AS ItemId, decision_id AS DecisionId, category AS Category,
        added_by AS AddedBy, added_at AS AddedAt, removed_at AS RemovedAt, removed_by AS RemovedBy, removed_reason AS RemovedReason
        """;

    public const string SelectById = "SELECT " + Columns + " FROM watchlist WHERE id = @id;";

    public const string Insert = """
        INSERT INTO watchlist (id, type, value, reason, item_id, decision_id, category, added_by, added_at)
        VALUES (@Id, @Type, @Value, @Reason, @ItemId, @DecisionId, @Category, @AddedBy, @AddedAt);
        """;

    /// <summary>One watchlist audit record with its links in the audit chain (<see cref="WatchlistEventRow.Chain"/>).</summary>
    public const string InsertEvent = """
        INSERT INTO watchlist_events (id, entry_id, action, actor, at, reason, prev_hash, hash)
        VALUES (@id, @entryId, @action, @actor, @at, @reason, @prevHash, @hash);
        """;

    public const string Remove = """
        UPDATE watchlist SET removed_at = @at, removed_by = @actor, removed_reason = @reason
        WHERE id = @id AND removed_at IS NULL;
        """;

    public const string Events = """
        SELECT id AS Id, entry_id AS EntryId, action AS Action, actor AS Actor, at AS At, reason AS Reason
        FROM watchlist_events
        WHERE entry_id = @id
        ORDER BY at, id;
        """;

    /// <summary>Indicators of confirmed items not yet on the watchlist from that item, each with the item's first confirmation.</summary>
    public const string ConfirmedNotWatched = """
        SELECT ii.type AS Type, ii.value AS Value, i.id AS ItemId, d.id AS DecisionId, d.category AS Category, d.actor AS AddedBy
        FROM items i
        JOIN item_indicators ii ON ii.item_id = i.id
        JOIN decisions d ON d.id = (SELECT MIN(d2.id) FROM decisions d2 WHERE d2.item_id = i.id AND d2.decision = 'confirm')
        WHERE i.status = 'confirmed'
          AND NOT EXISTS (SELECT 1 FROM watchlist w WHERE w.item_id = i.id AND w.type = ii.type AND w.value = ii.value)
        """;

    public const string ConfirmedNotWatchedOfItem = ConfirmedNotWatched + "\n  AND i.id = @itemId;";

    public const string ConfirmedNotWatchedOfAll = ConfirmedNotWatched + ";";

    public string Id { get; init; } = "";
    public string Type { get; init; } = "";
    public string Value { get; init; } = "";
    public string Reason { get; init; } = "";
    public string? ItemId { get; init; }
    public string? DecisionId { get; init; }
    public string? Category { get; init; }
    public string AddedBy { get; init; } = "";
    public string AddedAt { get; init; } = "";
    public string? RemovedAt { get; init; }
    public string? RemovedBy { get; init; }
    public string? RemovedReason { get; init; }

    public WatchlistEntry ToEntry() => new(
        Id, Type, Value, Reason, ItemId, DecisionId, Category, AddedBy, DbValues.ParseTime(AddedAt), DbValues.ParseOptionalTime(RemovedAt),
        RemovedBy, RemovedReason);
}

internal sealed class WatchlistEventRow
{
    /// <summary>The columns of a record with its links, for <c>audit verify</c>.</summary>
    public const string ChainColumns = "id AS Id, entry_id AS EntryId, action AS Action, actor AS Actor, at AS At, reason AS Reason, prev_hash AS PreviousHash, hash AS Hash";

    public string Id { get; init; } = "";
    public string EntryId { get; init; } = "";
    public string Action { get; init; } = "";
    public string Actor { get; init; } = "";
    public string At { get; init; } = "";
    public string? Reason { get; init; }

    public string? PreviousHash { get; init; }
    public string? Hash { get; init; }

    public WatchlistEvent ToEvent() => new(Id, EntryId, Action, Actor, DbValues.ParseTime(At), Reason);

    public ChainedWatchlistEvent ToChained() => new(ToEvent(), PreviousHash, Hash);

    /// <summary>
    /// The <see cref="WatchlistRow.InsertEvent"/> parameters of audit records written one after another, each linked to
    /// the one before it, the first to <paramref name="previousHash"/> (the table's last record, read under the write lock).
    /// </summary>
    public static IReadOnlyList<object> Chain(string? previousHash, IEnumerable<(string EntryId, string Action, string Actor, string At, string? Reason)> records)
    {
        var rows = new List<object>();
        foreach (var (entryId, action, actor, at, reason) in records)
        {
            var record = new WatchlistEvent(Core.Ids.New(), entryId, action, actor, DbValues.ParseTime(at), reason);
            var hash = AuditChain.Hash(previousHash, record);
            rows.Add(new { id = record.Id, entryId, action, actor, at, reason, prevHash = previousHash, hash });
            previousHash = hash;
        }

        return rows;
    }
}

/// <summary>The standard SQL of the network stores' reads.</summary>
internal static class NetworkSql
{
    public const string ItemIndicators = """
        SELECT type AS Type, value AS Value FROM item_indicators WHERE item_id = @id ORDER BY type, value;
        """;

    public const string ItemEntities = """
        SELECT category AS Category, text AS Text FROM item_entities WHERE item_id = @id ORDER BY category, text;
        """;

    public const string DeleteEntities = "DELETE FROM item_entities WHERE item_id = @item_id;";

    public const string InsertEntity = "INSERT INTO item_entities (item_id, category, text) VALUES (@item_id, @category, @text);";

    public const string ItemCluster = """
        SELECT s.cluster_id AS ClusterId, (SELECT COUNT(*) FROM item_signatures c WHERE c.cluster_id = s.cluster_id) AS ClusterSize
        FROM item_signatures s
        WHERE s.item_id = @id;
        """;

    public const string SightingsSummary = """
        SELECT COUNT(*) AS ItemCount, MIN(i.first_reported_at) AS FirstSeen, MAX(i.last_reported_at) AS LastSeen
        FROM item_indicators ii JOIN items i ON i.id = ii.item_id
        WHERE ii.type = @type AND ii.value = @value;
        """;

    public const string SightingsPlatforms = """
        SELECT DISTINCT i.platform
        FROM item_indicators ii JOIN items i ON i.id = ii.item_id
        WHERE ii.type = @type AND ii.value = @value
        ORDER BY i.platform;
        """;

    public const string Cluster = "SELECT id AS Id, created_at AS CreatedAt FROM clusters WHERE id = @id;";

    public const string ClusterSize = "SELECT COUNT(*) FROM item_signatures WHERE cluster_id = @id;";

    /// <summary>Per watched indicator: how many items carry it and their span.</summary>
    public const string SharedSpans = """
        SELECT ii.type AS Type, ii.value AS Value, COUNT(*) AS ItemCount, MIN(i.first_reported_at) AS FirstSeen, MAX(i.last_reported_at) AS LastSeen
        FROM item_indicators ii JOIN items i ON i.id = ii.item_id
        WHERE EXISTS (SELECT 1 FROM watchlist w WHERE w.removed_at IS NULL AND w.type = ii.type AND w.value = ii.value)
        GROUP BY ii.type, ii.value;
        """;

    public const string SharedPlatforms = """
        SELECT DISTINCT ii.type AS Type, ii.value AS Value, i.platform AS Name
        FROM item_indicators ii JOIN items i ON i.id = ii.item_id
        WHERE EXISTS (SELECT 1 FROM watchlist w WHERE w.removed_at IS NULL AND w.type = ii.type AND w.value = ii.value);
        """;

    public const string SharedCategories = """
        SELECT DISTINCT w.type AS Type, w.value AS Value, w.category AS Name
        FROM watchlist w
        WHERE w.removed_at IS NULL AND w.category IS NOT NULL;
        """;
}

internal sealed class ItemClusterRow
{
    public string? ClusterId { get; init; }
    public int ClusterSize { get; init; }
}

internal sealed class SightingRow
{
    public string ItemId { get; init; } = "";
    public string Platform { get; init; } = "";
    public string Url { get; init; } = "";
    public string Status { get; init; } = "";
    public string FirstReportedAt { get; init; } = "";
    public string LastReportedAt { get; init; } = "";
    public string? ReferralId { get; init; }
    public string? Category { get; init; }

    public IndicatorSighting ToSighting() => new(
        ItemId, Platform, Url, Status, DbValues.ParseTime(FirstReportedAt), DbValues.ParseTime(LastReportedAt),
        Status switch { "confirmed" => "confirm", "rejected" => "reject", _ => null }, Category, ReferralId);
}

internal sealed class SummaryOfSightingsRow
{
    public int ItemCount { get; init; }
    public string? FirstSeen { get; init; }
    public string? LastSeen { get; init; }
}

internal sealed class ClusterRow
{
    public string Id { get; init; } = "";
    public string CreatedAt { get; init; } = "";
}

internal sealed class ClusterMemberRow
{
    public string Id { get; init; } = "";
    public string Url { get; init; } = "";
    public string Platform { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Label { get; init; }
    public double? Score { get; init; }
    public string FirstReportedAt { get; init; } = "";
    public string LastReportedAt { get; init; } = "";
    public string? ReferralId { get; init; }
    public string Text { get; init; } = "";

    public ClusterMember ToMember() => new(
        Id, Url, Platform, Status, Label, Score, DbValues.ParseTime(FirstReportedAt), DbValues.ParseTime(LastReportedAt), ReferralId, Text);
}

internal sealed class SharedRow
{
    public string Type { get; init; } = "";
    public string Value { get; init; } = "";
    public string WatchedSince { get; init; } = "";
    public int ItemCount { get; init; }
    public string? FirstSeen { get; init; }
    public string? LastSeen { get; init; }
    public string? Name { get; init; }
}

/// <summary>Joins the export's reads into shared indicators.</summary>
internal static class SharedIndicators
{
    public static List<SharedIndicator> Build(IEnumerable<SharedRow> watched, IEnumerable<SharedRow> spans, IEnumerable<SharedRow> platforms, IEnumerable<SharedRow> categories)
    {
        var spanOf = spans.ToDictionary(s => (s.Type, s.Value));
        var platformsOf = platforms.ToLookup(p => (p.Type, p.Value), p => p.Name!);
        var categoriesOf = categories.ToLookup(c => (c.Type, c.Value), c => c.Name!);
        return watched.Select(w =>
        {
            var span = spanOf.GetValueOrDefault((w.Type, w.Value));
            return new SharedIndicator(
                w.Type, w.Value, DbValues.ParseTime(w.WatchedSince), DbValues.ParseOptionalTime(span?.FirstSeen), DbValues.ParseOptionalTime(span?.LastSeen),
                span?.ItemCount ?? 0, [.. platformsOf[(w.Type, w.Value)].Order(StringComparer.Ordinal)], [.. categoriesOf[(w.Type, w.Value)].Distinct().Order(StringComparer.Ordinal)]);
        }).ToList();
    }
}
