using ContentWatch.Core;
using ContentWatch.Core.Networks;
using ContentWatch.Storage.Rows;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ContentWatch.Storage.Sqlite;

/// <summary>
/// Indicators and clusters in SQLite. A batch's analysis runs in one <c>BEGIN IMMEDIATE</c> transaction through
/// prepared commands, item after item, so an item sees the band keys of the items before it in the same batch.
/// </summary>
public sealed class SqliteNetworkStore(SqliteConnectionFactory db, TimeProvider time) : INetworkStore
{
    public async Task<IReadOnlyList<AnalysisResult>> SaveAnalysisAsync(IReadOnlyList<ItemAnalysis> items, double threshold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return [];
        }

        // Reads first, outside the write lock (WAL readers do not block writers): SQLite has one writer at a time, and
        // intake's transactions wait for it, so the write transaction below only writes.
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        BatchReads read;
        await using (var snapshot = connection.BeginTransaction(deferred: true))
        {
            read = await ReadAsync(connection, snapshot, items, cancellationToken).ConfigureAwait(false);
            await snapshot.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var now = DbValues.Time(time.GetUtcNow());
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await WatermarkAsync(connection, transaction, cancellationToken).ConfigureAwait(false) != read.Watermark)
        {
            // another worker analysed items since the read (its batch may hold near-duplicates of ours): read again,
            // now under the write lock
            read = await ReadAsync(connection, transaction, items, cancellationToken).ConfigureAwait(false);
        }

        var plan = BatchPlacement.Make(items, read.Analysed, read.Candidates, threshold);
        await using var statements = new AnalysisStatements(connection, transaction, items[0].BandKeys.Length);
        foreach (var (clusterId, representative) in plan.NewClusters)
        {
            // the representative may have been placed by another worker since the read: then its cluster is the one
            var placed = await statements.StartClusterAsync(clusterId, representative, now, cancellationToken).ConfigureAwait(false);
            plan.Rename(clusterId, placed);
        }

        var results = new List<AnalysisResult>(items.Count);
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var hits = read.Hits.GetValueOrDefault(item.ItemId) ?? [];
            var clusterId = await statements.SaveAsync(item, hits.Count > 0, plan.ClusterOf(item.ItemId), plan.IsNew(item.ItemId), now, cancellationToken).ConfigureAwait(false);
            results.Add(new AnalysisResult(item.ItemId, hits, clusterId));
            if (item.Entities is { } entities)
            {
                await connection.ExecuteAsync(new CommandDefinition(NetworkSql.DeleteEntities, new { item_id = item.ItemId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(NetworkSql.InsertEntity,
                    entities.Select(e => new { item_id = item.ItemId, category = e.Category, text = e.Text }), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    private sealed record BatchReads(
        Dictionary<string, string?> Analysed, Dictionary<long, ClusterChoice.Candidate> Candidates, Dictionary<string, List<WatchlistHit>> Hits, long Watermark);

    /// <summary>The newest signature's rowid: it moves whenever any worker stores an analysis.</summary>
    private static Task<long> WatermarkAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(rowid), 0) FROM item_signatures;", transaction: transaction, cancellationToken: cancellationToken));

    private sealed class AnalysedRow
    {
        public string ItemId { get; init; } = "";
        public string? ClusterId { get; init; }
    }

    private sealed class CandidateRow
    {
        public long BandKey { get; init; }
        public string ItemId { get; init; } = "";
        public byte[] Signature { get; init; } = [];
        public string? ClusterId { get; init; }
    }

    private sealed class HitRow
    {
        public string Type { get; init; } = "";
        public string Value { get; init; } = "";
        public string EntryId { get; init; } = "";
        public string? ItemId { get; init; }
        public string? DecisionId { get; init; }
    }

    /// <summary>What the batch needs from the database: items analysed before, the item kept for each band key, watchlist hits.</summary>
    private static async Task<BatchReads> ReadAsync(SqliteConnection connection, SqliteTransaction read, IReadOnlyList<ItemAnalysis> items, CancellationToken cancellationToken)
    {
        const string analysed = """
            SELECT s.item_id AS ItemId, s.cluster_id AS ClusterId
            FROM json_each(@ids) AS k JOIN item_signatures s ON s.item_id = k.value;
            """;
        const string candidates = """
            SELECT b.band_key AS BandKey, s.item_id AS ItemId, s.signature AS Signature, s.cluster_id AS ClusterId
            FROM json_each(@keys) AS k
            JOIN cluster_bands b ON b.band_key = k.value
            JOIN item_signatures s ON s.item_id = b.item_id
            ORDER BY s.analysed_at, s.item_id;
            """;
        const string watched = """
            SELECT w.type AS Type, w.value AS Value, w.id AS EntryId, w.item_id AS ItemId, w.decision_id AS DecisionId
            FROM json_each(@indicators) AS k
            JOIN watchlist w ON w.type = json_extract(k.value, '$[0]') AND w.value = json_extract(k.value, '$[1]')
            WHERE w.removed_at IS NULL
            ORDER BY w.added_at, w.id;
            """;

        var watermark = await WatermarkAsync(connection, read, cancellationToken).ConfigureAwait(false);
        var ids = System.Text.Json.JsonSerializer.Serialize(items.Select(i => i.ItemId));
        var keys = System.Text.Json.JsonSerializer.Serialize(items.SelectMany(i => i.BandKeys).Distinct());
        var indicators = System.Text.Json.JsonSerializer.Serialize(items.SelectMany(i => i.Indicators).Distinct().Select(i => new[] { i.Type, i.Value }));
        var done = (await connection.QueryAsync<AnalysedRow>(new CommandDefinition(analysed, new { ids }, read, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        var found = await connection.QueryAsync<CandidateRow>(new CommandDefinition(candidates, new { keys }, read, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var hits = await connection.QueryAsync<HitRow>(new CommandDefinition(watched, new { indicators }, read, cancellationToken: cancellationToken)).ConfigureAwait(false);

        var hitsOf = new Dictionary<string, List<WatchlistHit>>();
        var hitList = hits.AsList();
        foreach (var item in items)
        {
            var own = item.Indicators.ToHashSet();
            var mine = hitList.Where(h => own.Contains(new Indicator(h.Type, h.Value)) && h.ItemId != item.ItemId)
                .GroupBy(h => (h.Type, h.Value)).SelectMany(g => g.Take(5))
                .Select(h => new WatchlistHit(h.Type, h.Value, h.EntryId, h.ItemId, h.DecisionId)).ToList();
            if (mine.Count > 0)
            {
                hitsOf[item.ItemId] = mine;
            }
        }

        var signatures = new Dictionary<string, uint[]>();
        var byKey = new Dictionary<long, ClusterChoice.Candidate>();
        foreach (var row in found)
        {
            if (!signatures.TryGetValue(row.ItemId, out var signature))
            {
                signatures[row.ItemId] = signature = MinHasher.FromBytes(row.Signature);
            }

            byKey.TryAdd(row.BandKey, new ClusterChoice.Candidate(row.ItemId, signature, row.ClusterId));
        }

        return new BatchReads(done.ToDictionary(d => d.ItemId, d => d.ClusterId), byKey, hitsOf, watermark);
    }

    public async Task<ItemNetwork> GetItemNetworkAsync(string itemId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var indicators = await connection.QueryAsync<Indicator>(new CommandDefinition(NetworkSql.ItemIndicators, new { id = itemId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var cluster = await connection.QuerySingleOrDefaultAsync<ItemClusterRow>(new CommandDefinition(NetworkSql.ItemCluster, new { id = itemId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var entities = await connection.QueryAsync<ItemEntity>(new CommandDefinition(NetworkSql.ItemEntities, new { id = itemId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new ItemNetwork(cluster is not null, indicators.AsList(), cluster?.ClusterId, cluster?.ClusterId is null ? 0 : cluster.ClusterSize, entities.AsList());
    }

    public async Task<IndicatorSightings> GetSightingsAsync(Indicator indicator, int limit, CancellationToken cancellationToken)
    {
        const string sightings = """
            SELECT i.id AS ItemId, i.platform AS Platform, i.url AS Url, i.status AS Status, i.first_reported_at AS FirstReportedAt,
                   i.last_reported_at AS LastReportedAt, r.id AS ReferralId, r.category AS Category
            FROM item_indicators ii
            JOIN items i ON i.id = ii.item_id
            LEFT JOIN referrals r ON r.item_id = i.id
            WHERE ii.type = @type AND ii.value = @value
            ORDER BY i.first_reported_at, i.id
            LIMIT @limit;
            """;

        ArgumentNullException.ThrowIfNull(indicator);
        var args = new { type = indicator.Type, value = indicator.Value, limit };
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var summary = await connection.QuerySingleAsync<SummaryOfSightingsRow>(new CommandDefinition(NetworkSql.SightingsSummary, args, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var platforms = await connection.QueryAsync<string>(new CommandDefinition(NetworkSql.SightingsPlatforms, args, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SightingRow>(new CommandDefinition(sightings, args, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new IndicatorSightings(indicator.Type, indicator.Value, summary.ItemCount, platforms.AsList(), DbValues.ParseOptionalTime(summary.FirstSeen),
            DbValues.ParseOptionalTime(summary.LastSeen), [.. rows.Select(r => r.ToSighting())]);
    }

    public async Task<ClusterDetails?> GetClusterAsync(string clusterId, int limit, int textLength, CancellationToken cancellationToken)
    {
        // substr counts code points; the template reads words, so a cut surrogate pair does no harm
        const string members = """
            SELECT i.id AS Id, i.url AS Url, i.platform AS Platform, i.status AS Status, i.label AS Label, i.score AS Score,
                   i.first_reported_at AS FirstReportedAt, i.last_reported_at AS LastReportedAt, r.id AS ReferralId,
                   substr(i.text, 1, @textLength) AS Text
            FROM item_signatures s
            JOIN items i ON i.id = s.item_id
            LEFT JOIN referrals r ON r.item_id = i.id
            WHERE s.cluster_id = @id
            ORDER BY i.first_reported_at, i.id
            LIMIT @limit;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var cluster = await connection.QuerySingleOrDefaultAsync<ClusterRow>(new CommandDefinition(NetworkSql.Cluster, new { id = clusterId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (cluster is null)
        {
            return null;
        }

        var size = await connection.ExecuteScalarAsync<int>(new CommandDefinition(NetworkSql.ClusterSize, new { id = clusterId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var rows = limit <= 0 ? [] : await connection.QueryAsync<ClusterMemberRow>(new CommandDefinition(members, new { id = clusterId, limit, textLength }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new ClusterDetails(cluster.Id, DbValues.ParseTime(cluster.CreatedAt), size, [.. rows.Select(r => r.ToMember())]);
    }

    public async Task<IReadOnlyList<string>> GetOpenMembersAsync(string clusterId, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT i.id
            FROM item_signatures s
            JOIN items i ON i.id = s.item_id
            WHERE s.cluster_id = @id AND i.status IN ('pending', 'in_review', 'dismissed')
            ORDER BY i.first_reported_at, i.id
            LIMIT @limit;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(sql, new { id = clusterId, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ids.AsList();
    }

    public async Task<IReadOnlyList<SharedIndicator>> GetSharedIndicatorsAsync(CancellationToken cancellationToken)
    {
        const string watched = """
            SELECT w.type AS Type, w.value AS Value, MIN(w.added_at) AS WatchedSince
            FROM watchlist w
            WHERE w.removed_at IS NULL
              AND NOT (w.type = 'email' AND EXISTS (SELECT 1 FROM reports rp WHERE rp.reporter_email = w.value COLLATE NOCASE))
            GROUP BY w.type, w.value
            ORDER BY w.type, w.value;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: true);
        async Task<IEnumerable<SharedRow>> Read(string sql) =>
            await connection.QueryAsync<SharedRow>(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return SharedIndicators.Build(await Read(watched).ConfigureAwait(false), await Read(NetworkSql.SharedSpans).ConfigureAwait(false),
            await Read(NetworkSql.SharedPlatforms).ConfigureAwait(false), await Read(NetworkSql.SharedCategories).ConfigureAwait(false));
    }

    /// <summary>The prepared commands of one analysis transaction: writes only.</summary>
    private sealed class AnalysisStatements : IAsyncDisposable
    {
        private readonly List<SqliteCommand> all = [];
        private readonly SqliteCommand deleteIndicators;
        private readonly SqliteCommand insertIndicator;
        private readonly SqliteCommand markWatched;
        private readonly SqliteCommand insertCluster;
        private readonly SqliteCommand deleteCluster;
        private readonly SqliteCommand setCluster;
        private readonly SqliteCommand clusterOf;
        private readonly SqliteCommand insertSignature;
        private readonly SqliteCommand insertBands;
        private readonly int bands;

        public AnalysisStatements(SqliteConnection connection, SqliteTransaction transaction, int bands)
        {
            this.bands = bands;
            var keys = Enumerable.Range(0, bands).Select(b => "@k" + b).ToArray();
            deleteIndicators = Prepare("DELETE FROM item_indicators WHERE item_id = @item_id;", "@item_id");
            insertIndicator = Prepare("INSERT OR IGNORE INTO item_indicators (item_id, type, value) VALUES (@item_id, @type, @value);", "@item_id", "@type", "@value");
            markWatched = Prepare("UPDATE items SET watchlisted = 1 WHERE id = @item_id;", "@item_id");
            insertCluster = Prepare("INSERT INTO clusters (id, created_at) VALUES (@id, @now);", "@id", "@now");
            deleteCluster = Prepare("DELETE FROM clusters WHERE id = @id;", "@id");
            setCluster = Prepare("UPDATE item_signatures SET cluster_id = @cluster_id WHERE item_id = @item_id AND cluster_id IS NULL;", "@cluster_id", "@item_id");
            clusterOf = Prepare("SELECT cluster_id FROM item_signatures WHERE item_id = @item_id;", "@item_id");
            insertSignature = Prepare("""
                INSERT OR IGNORE INTO item_signatures (item_id, signature, cluster_id, analysed_at) VALUES (@item_id, @signature, @cluster_id, @now);
                """, "@item_id", "@signature", "@cluster_id", "@now");
            insertBands = Prepare(
                $"INSERT OR IGNORE INTO cluster_bands (band_key, item_id) VALUES {string.Join(", ", keys.Select(k => $"({k}, @item_id)"))};",
                [.. keys, "@item_id"]);

            SqliteCommand Prepare(string sql, params string[] parameters)
            {
                var command = SqliteCommands.Prepare(connection, transaction, sql, parameters);
                all.Add(command);
                return command;
            }
        }

        /// <summary>
        /// Creates a cluster the plan starts; with a stored <paramref name="representative"/> placed in it. Answers the
        /// cluster the representative is in: another worker may have placed it since the read.
        /// </summary>
        public async Task<string> StartClusterAsync(string clusterId, string? representative, string now, CancellationToken cancellationToken)
        {
            Bind(insertCluster, "@id", clusterId);
            Bind(insertCluster, "@now", now);
            await insertCluster.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (representative is null)
            {
                return clusterId;
            }

            Bind(setCluster, "@cluster_id", clusterId);
            Bind(setCluster, "@item_id", representative);
            if (await setCluster.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return clusterId;
            }

            Bind(clusterOf, "@item_id", representative);
            var existing = (string)(await clusterOf.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            Bind(deleteCluster, "@id", clusterId);
            await deleteCluster.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return existing;
        }

        /// <summary>Writes the item's indicators and, for an item not analysed before, its signature, cluster and band keys; answers its cluster.</summary>
        public async Task<string?> SaveAsync(ItemAnalysis item, bool watched, string? clusterId, bool isNew, string now, CancellationToken cancellationToken)
        {
            if (item.BandKeys.Length != bands)
            {
                throw new ArgumentException($"Every item of a batch needs {bands} band keys; {item.ItemId} has {item.BandKeys.Length}.", nameof(item));
            }

            Bind(deleteIndicators, "@item_id", item.ItemId);
            await deleteIndicators.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            foreach (var indicator in item.Indicators)
            {
                Bind(insertIndicator, "@item_id", item.ItemId);
                Bind(insertIndicator, "@type", indicator.Type);
                Bind(insertIndicator, "@value", indicator.Value);
                await insertIndicator.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (watched)
            {
                Bind(markWatched, "@item_id", item.ItemId);
                await markWatched.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (isNew)
            {
                Bind(insertSignature, "@item_id", item.ItemId);
                Bind(insertSignature, "@signature", MinHasher.ToBytes(item.Signature));
                Bind(insertSignature, "@cluster_id", clusterId);
                Bind(insertSignature, "@now", now);
                if (await insertSignature.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    for (var b = 0; b < bands; b++)
                    {
                        Bind(insertBands, "@k" + b, item.BandKeys[b]);
                    }

                    Bind(insertBands, "@item_id", item.ItemId);
                    await insertBands.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    return clusterId;
                }
            }

            // analysed before (a batch taken over after a crash): it keeps its cluster
            Bind(clusterOf, "@item_id", item.ItemId);
            return await clusterOf.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in all)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        private static void Bind(SqliteCommand command, string name, object? value) =>
            command.Parameters[name].Value = value ?? DBNull.Value;
    }
}
