using System.Text.Json;
using ContentWatch.Core;
using ContentWatch.Core.Networks;
using ContentWatch.Storage.Rows;
using Dapper;
using Microsoft.Data.SqlClient;

namespace ContentWatch.Storage.SqlServer;

/// <summary>
/// Indicators and clusters in SQL Server. A batch's analysis runs in one transaction; the band look-up takes range
/// locks (UPDLOCK, HOLDLOCK) on its keys, so two workers placing near-duplicates at once take turns and the second
/// joins the first one's cluster. Band keys travel as one JSON array (OPENJSON).
/// </summary>
public sealed class SqlServerNetworkStore(SqlServerConnectionFactory db, TimeProvider time) : INetworkStore
{
    private const string DeleteIndicators = "DELETE FROM item_indicators WHERE item_id = @item_id;";

    private const string InsertIndicator = "INSERT INTO item_indicators (item_id, type, value) VALUES (@item_id, @type, @value);";

    private const string FindWatched = """
        SELECT TOP (5) id AS EntryId, item_id AS ItemId, decision_id AS DecisionId
        FROM watchlist
        WHERE type = @type AND value = @value AND removed_at IS NULL AND (item_id IS NULL OR item_id <> @item_id)
        ORDER BY added_at, id;
        """;

    private const string MarkWatched = "UPDATE items SET watchlisted = 1 WHERE id = @item_id;";

    private const string FindAnalysed = "SELECT item_id AS ItemId, cluster_id AS ClusterId FROM item_signatures WHERE item_id = @item_id;";

    private const string FindCandidates = """
        SELECT s.item_id AS ItemId, s.signature AS Signature, s.cluster_id AS ClusterId
        FROM cluster_bands b WITH (UPDLOCK, HOLDLOCK)
        JOIN item_signatures s WITH (UPDLOCK, HOLDLOCK) ON s.item_id = b.item_id
        WHERE b.band_key IN (SELECT CAST(value AS bigint) FROM OPENJSON(@keys))
        ORDER BY s.analysed_at, s.item_id;
        """;

    private const string InsertCluster = "INSERT INTO clusters (id, created_at) VALUES (@id, @now);";

    private const string SetCluster = "UPDATE item_signatures SET cluster_id = @cluster_id WHERE item_id = @item_id;";

    private const string InsertSignature = """
        INSERT INTO item_signatures (item_id, signature, cluster_id, analysed_at) VALUES (@item_id, @signature, @cluster_id, @now);
        """;

    private const string InsertBands = """
        INSERT INTO cluster_bands (band_key, item_id)
        SELECT k.band_key, @item_id
        FROM (SELECT DISTINCT CAST(value AS bigint) AS band_key FROM OPENJSON(@keys)) AS k
        WHERE NOT EXISTS (SELECT 1 FROM cluster_bands b WITH (UPDLOCK, HOLDLOCK) WHERE b.band_key = k.band_key);
        """;

    private const string ItemIndicators = NetworkSql.ItemIndicators;
    private const string ItemCluster = NetworkSql.ItemCluster;
    private const string ItemEntities = NetworkSql.ItemEntities;
    private const string DeleteEntities = NetworkSql.DeleteEntities;
    private const string InsertEntity = NetworkSql.InsertEntity;
    private const string SightingsSummary = NetworkSql.SightingsSummary;
    private const string SightingsPlatforms = NetworkSql.SightingsPlatforms;
    private const string Cluster = NetworkSql.Cluster;
    private const string ClusterSize = NetworkSql.ClusterSize;
    private const string SharedSpans = NetworkSql.SharedSpans;
    private const string SharedPlatforms = NetworkSql.SharedPlatforms;
    private const string SharedCategories = NetworkSql.SharedCategories;

    private const string Sightings = """
        SELECT TOP (@limit) i.id AS ItemId, i.platform AS Platform, i.url AS Url, i.status AS Status, i.first_reported_at AS FirstReportedAt,
               i.last_reported_at AS LastReportedAt, r.id AS ReferralId, r.category AS Category
        FROM items i
        JOIN item_indicators ii ON ii.item_id = i.id
        LEFT JOIN referrals r ON r.item_id = i.id
        WHERE ii.type = @type AND ii.value = @value
        ORDER BY i.first_reported_at, i.id;
        """;

    private const string ClusterMembers = """
        SELECT TOP (@limit) i.id AS Id, i.url AS Url, i.platform AS Platform, i.status AS Status, i.label AS Label, i.score AS Score,
               i.first_reported_at AS FirstReportedAt, i.last_reported_at AS LastReportedAt, r.id AS ReferralId,
               LEFT(i.text, @textLength) AS Text
        FROM items i
        JOIN item_signatures s ON s.item_id = i.id
        LEFT JOIN referrals r ON r.item_id = i.id
        WHERE s.cluster_id = @id
        ORDER BY i.first_reported_at, i.id;
        """;

    private const string OpenMembers = """
        SELECT TOP (@limit) i.id
        FROM items i
        JOIN item_signatures s ON s.item_id = i.id
        WHERE s.cluster_id = @id AND i.status IN (N'pending', N'in_review', N'dismissed')
        ORDER BY i.first_reported_at, i.id;
        """;

    // reporter_email keeps the database's (case-insensitive) collation; the watched value is compared in it
    private const string Watched = """
        SELECT w.type AS Type, w.value AS Value, MIN(w.added_at) AS WatchedSince
        FROM watchlist w
        WHERE w.removed_at IS NULL
          AND NOT (w.type = N'email' AND EXISTS (SELECT 1 FROM reports rp WHERE rp.reporter_email = w.value COLLATE DATABASE_DEFAULT))
        GROUP BY w.type, w.value
        ORDER BY w.type, w.value;
        """;

    public Task<IReadOnlyList<AnalysisResult>> SaveAnalysisAsync(IReadOnlyList<ItemAnalysis> items, double threshold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<AnalysisResult>>([]);
        }

        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var now = DbValues.Time(time.GetUtcNow());
                var results = new List<AnalysisResult>(items.Count);
                foreach (var item in items)
                {
                    results.Add(await SaveAsync(connection, transaction, item, threshold, now, ct).ConfigureAwait(false));
                }

                return (IReadOnlyList<AnalysisResult>)results;
            },
            cancellationToken);
    }

    private sealed class AnalysedRow
    {
        public string ItemId { get; init; } = "";
        public string? ClusterId { get; init; }
    }

    private sealed class CandidateRow
    {
        public string ItemId { get; init; } = "";
        public byte[] Signature { get; init; } = [];
        public string? ClusterId { get; init; }
    }

    private sealed class HitRow
    {
        public string EntryId { get; init; } = "";
        public string? ItemId { get; init; }
        public string? DecisionId { get; init; }
    }

    private static async Task<AnalysisResult> SaveAsync(SqlConnection connection, SqlTransaction transaction, ItemAnalysis item, double threshold, string now, CancellationToken ct)
    {
        CommandDefinition Command(string sql, object parameters) => new(sql, parameters, transaction, cancellationToken: ct);

        if (item.Entities is { } entities)
        {
            await connection.ExecuteAsync(Command(DeleteEntities, new { item_id = item.ItemId })).ConfigureAwait(false);
            await connection.ExecuteAsync(Command(InsertEntity, entities.Select(e => new { item_id = item.ItemId, category = e.Category, text = e.Text }))).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(Command(DeleteIndicators, new { item_id = item.ItemId })).ConfigureAwait(false);
        var hits = new List<WatchlistHit>();
        foreach (var indicator in item.Indicators)
        {
            var args = new { item_id = item.ItemId, type = indicator.Type, value = indicator.Value };
            await connection.ExecuteAsync(Command(InsertIndicator, args)).ConfigureAwait(false);
            var found = await connection.QueryAsync<HitRow>(Command(FindWatched, args)).ConfigureAwait(false);
            hits.AddRange(found.Select(h => new WatchlistHit(indicator.Type, indicator.Value, h.EntryId, h.ItemId, h.DecisionId)));
        }

        if (hits.Count > 0)
        {
            await connection.ExecuteAsync(Command(MarkWatched, new { item_id = item.ItemId })).ConfigureAwait(false);
        }

        var analysed = await connection.QuerySingleOrDefaultAsync<AnalysedRow>(Command(FindAnalysed, new { item_id = item.ItemId })).ConfigureAwait(false);
        if (analysed is not null)
        {
            return new AnalysisResult(item.ItemId, hits, analysed.ClusterId);
        }

        var keys = JsonSerializer.Serialize(item.BandKeys);
        var rows = await connection.QueryAsync<CandidateRow>(Command(FindCandidates, new { keys })).ConfigureAwait(false);
        var candidates = rows.Where(r => r.ItemId != item.ItemId).DistinctBy(r => r.ItemId)
            .Select(r => new ClusterChoice.Candidate(r.ItemId, MinHasher.FromBytes(r.Signature), r.ClusterId));
        string? clusterId = null;
        if (ClusterChoice.Best(item.Signature, candidates, threshold) is { } best)
        {
            clusterId = best.ClusterId;
            if (clusterId is null)
            {
                clusterId = Ids.New();
                await connection.ExecuteAsync(Command(InsertCluster, new { id = clusterId, now })).ConfigureAwait(false);
                await connection.ExecuteAsync(Command(SetCluster, new { cluster_id = clusterId, item_id = best.ItemId })).ConfigureAwait(false);
            }
        }

        await connection.ExecuteAsync(Command(InsertSignature,
            new { item_id = item.ItemId, signature = MinHasher.ToBytes(item.Signature), cluster_id = clusterId, now })).ConfigureAwait(false);
        await connection.ExecuteAsync(Command(InsertBands, new { item_id = item.ItemId, keys })).ConfigureAwait(false);
        return new AnalysisResult(item.ItemId, hits, clusterId);
    }

    public Task<ItemNetwork> GetItemNetworkAsync(string itemId, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
            {
                var indicators = await connection.QueryAsync<Indicator>(new CommandDefinition(ItemIndicators, new { id = itemId }, cancellationToken: ct)).ConfigureAwait(false);
                var cluster = await connection.QuerySingleOrDefaultAsync<ItemClusterRow>(new CommandDefinition(ItemCluster, new { id = itemId }, cancellationToken: ct)).ConfigureAwait(false);
                var entities = await connection.QueryAsync<ItemEntity>(new CommandDefinition(ItemEntities, new { id = itemId }, cancellationToken: ct)).ConfigureAwait(false);
                return new ItemNetwork(cluster is not null, indicators.AsList(), cluster?.ClusterId, cluster?.ClusterId is null ? 0 : cluster.ClusterSize, entities.AsList());
            },
            cancellationToken);

    public Task<IndicatorSightings> GetSightingsAsync(Indicator indicator, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        var args = new { type = indicator.Type, value = indicator.Value, limit };
        return db.RunAsync(
            async (connection, ct) =>
            {
                var summary = await connection.QuerySingleAsync<SummaryOfSightingsRow>(new CommandDefinition(SightingsSummary, args, cancellationToken: ct)).ConfigureAwait(false);
                var platforms = await connection.QueryAsync<string>(new CommandDefinition(SightingsPlatforms, args, cancellationToken: ct)).ConfigureAwait(false);
                var rows = await connection.QueryAsync<SightingRow>(new CommandDefinition(Sightings, args, cancellationToken: ct)).ConfigureAwait(false);
                return new IndicatorSightings(indicator.Type, indicator.Value, summary.ItemCount, platforms.AsList(), DbValues.ParseOptionalTime(summary.FirstSeen),
                    DbValues.ParseOptionalTime(summary.LastSeen), [.. rows.Select(r => r.ToSighting())]);
            },
            cancellationToken);
    }

    public Task<ClusterDetails?> GetClusterAsync(string clusterId, int limit, int textLength, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
            {
                var cluster = await connection.QuerySingleOrDefaultAsync<ClusterRow>(new CommandDefinition(Cluster, new { id = clusterId }, cancellationToken: ct)).ConfigureAwait(false);
                if (cluster is null)
                {
                    return null;
                }

                var size = await connection.ExecuteScalarAsync<int>(new CommandDefinition(ClusterSize, new { id = clusterId }, cancellationToken: ct)).ConfigureAwait(false);
                var rows = limit <= 0 ? [] : await connection.QueryAsync<ClusterMemberRow>(
                    new CommandDefinition(ClusterMembers, new { id = clusterId, limit, textLength = Math.Max(1, textLength) }, cancellationToken: ct)).ConfigureAwait(false);
                return new ClusterDetails(cluster.Id, DbValues.ParseTime(cluster.CreatedAt), size, [.. rows.Select(r => r.ToMember())]);
            },
            cancellationToken);

    public async Task<IReadOnlyList<string>> GetOpenMembersAsync(string clusterId, int limit, CancellationToken cancellationToken)
    {
        var ids = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<string>(new CommandDefinition(OpenMembers, new { id = clusterId, limit }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return ids.AsList();
    }

    public Task<IReadOnlyList<SharedIndicator>> GetSharedIndicatorsAsync(CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
            {
                var watched = await connection.QueryAsync<SharedRow>(new CommandDefinition(Watched, cancellationToken: ct)).ConfigureAwait(false);
                var spans = await connection.QueryAsync<SharedRow>(new CommandDefinition(SharedSpans, cancellationToken: ct)).ConfigureAwait(false);
                var platforms = await connection.QueryAsync<SharedRow>(new CommandDefinition(SharedPlatforms, cancellationToken: ct)).ConfigureAwait(false);
                var categories = await connection.QueryAsync<SharedRow>(new CommandDefinition(SharedCategories, cancellationToken: ct)).ConfigureAwait(false);
                return (IReadOnlyList<SharedIndicator>)SharedIndicators.Build(watched, spans, platforms, categories);
            },
            cancellationToken);
}
