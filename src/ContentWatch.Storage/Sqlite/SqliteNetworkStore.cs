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

        var now = DbValues.Time(time.GetUtcNow());
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var statements = new AnalysisStatements(connection, transaction, items[0].BandKeys.Length);
        var results = new List<AnalysisResult>(items.Count);
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await statements.SaveAsync(item, threshold, now, cancellationToken).ConfigureAwait(false));
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

    /// <summary>The prepared commands of one analysis transaction.</summary>
    private sealed class AnalysisStatements : IAsyncDisposable
    {
        private readonly List<SqliteCommand> all = [];
        private readonly SqliteCommand deleteIndicators;
        private readonly SqliteCommand insertIndicator;
        private readonly SqliteCommand findWatched;
        private readonly SqliteCommand markWatched;
        private readonly SqliteCommand findAnalysed;
        private readonly SqliteCommand findCandidates;
        private readonly SqliteCommand insertCluster;
        private readonly SqliteCommand setCluster;
        private readonly SqliteCommand insertSignature;
        private readonly SqliteCommand insertBands;
        private readonly int bands;

        public AnalysisStatements(SqliteConnection connection, SqliteTransaction transaction, int bands)
        {
            this.bands = bands;
            var keys = Enumerable.Range(0, bands).Select(b => "@k" + b).ToArray();
            deleteIndicators = Prepare(connection, transaction, "DELETE FROM item_indicators WHERE item_id = @item_id;", "@item_id");
            insertIndicator = Prepare(connection, transaction,
                "INSERT OR IGNORE INTO item_indicators (item_id, type, value) VALUES (@item_id, @type, @value);", "@item_id", "@type", "@value");
            findWatched = Prepare(connection, transaction, """
                SELECT id, item_id, decision_id FROM watchlist
                WHERE type = @type AND value = @value AND removed_at IS NULL AND (item_id IS NULL OR item_id <> @item_id)
                ORDER BY added_at, id
                LIMIT 5;
                """, "@type", "@value", "@item_id");
            markWatched = Prepare(connection, transaction, "UPDATE items SET watchlisted = 1 WHERE id = @item_id;", "@item_id");
            findAnalysed = Prepare(connection, transaction, "SELECT cluster_id FROM item_signatures WHERE item_id = @item_id;", "@item_id");
            findCandidates = Prepare(connection, transaction, $"""
                SELECT s.item_id, s.signature, s.cluster_id
                FROM cluster_bands b
                JOIN item_signatures s ON s.item_id = b.item_id
                WHERE b.band_key IN ({string.Join(", ", keys)})
                ORDER BY s.analysed_at, s.item_id;
                """, keys);
            insertCluster = Prepare(connection, transaction, "INSERT INTO clusters (id, created_at) VALUES (@id, @now);", "@id", "@now");
            setCluster = Prepare(connection, transaction, "UPDATE item_signatures SET cluster_id = @cluster_id WHERE item_id = @item_id;", "@cluster_id", "@item_id");
            insertSignature = Prepare(connection, transaction, """
                INSERT INTO item_signatures (item_id, signature, cluster_id, analysed_at) VALUES (@item_id, @signature, @cluster_id, @now);
                """, "@item_id", "@signature", "@cluster_id", "@now");
            insertBands = Prepare(connection, transaction,
                $"INSERT OR IGNORE INTO cluster_bands (band_key, item_id) VALUES {string.Join(", ", keys.Select(k => $"({k}, @item_id)"))};",
                [.. keys, "@item_id"]);

            SqliteCommand Prepare(SqliteConnection c, SqliteTransaction t, string sql, params string[] parameters)
            {
                var command = SqliteCommands.Prepare(c, t, sql, parameters);
                all.Add(command);
                return command;
            }
        }

        public async Task<AnalysisResult> SaveAsync(ItemAnalysis item, double threshold, string now, CancellationToken cancellationToken)
        {
            if (item.BandKeys.Length != bands)
            {
                throw new ArgumentException($"Every item of a batch needs {bands} band keys; {item.ItemId} has {item.BandKeys.Length}.", nameof(item));
            }

            Bind(deleteIndicators, "@item_id", item.ItemId);
            await deleteIndicators.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            var hits = new List<WatchlistHit>();
            foreach (var indicator in item.Indicators)
            {
                Bind(insertIndicator, "@item_id", item.ItemId);
                Bind(insertIndicator, "@type", indicator.Type);
                Bind(insertIndicator, "@value", indicator.Value);
                await insertIndicator.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                Bind(findWatched, "@type", indicator.Type);
                Bind(findWatched, "@value", indicator.Value);
                Bind(findWatched, "@item_id", item.ItemId);
                await using var reader = await findWatched.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    hits.Add(new WatchlistHit(indicator.Type, indicator.Value, reader.GetString(0),
                        reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
                }
            }

            if (hits.Count > 0)
            {
                Bind(markWatched, "@item_id", item.ItemId);
                await markWatched.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            Bind(findAnalysed, "@item_id", item.ItemId);
            var analysed = await findAnalysed.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            if (analysed is not null)
            {
                return new AnalysisResult(item.ItemId, hits, analysed as string);
            }

            var candidates = new List<ClusterChoice.Candidate>();
            for (var b = 0; b < bands; b++)
            {
                Bind(findCandidates, "@k" + b, item.BandKeys[b]);
            }

            await using (var reader = await findCandidates.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var id = reader.GetString(0);
                    if (id != item.ItemId && !candidates.Exists(c => c.ItemId == id))
                    {
                        candidates.Add(new ClusterChoice.Candidate(id, MinHasher.FromBytes((byte[])reader.GetValue(1)), reader.IsDBNull(2) ? null : reader.GetString(2)));
                    }
                }
            }

            string? clusterId = null;
            if (ClusterChoice.Best(item.Signature, candidates, threshold) is { } best)
            {
                clusterId = best.ClusterId;
                if (clusterId is null)
                {
                    clusterId = Ids.New();
                    Bind(insertCluster, "@id", clusterId);
                    Bind(insertCluster, "@now", now);
                    await insertCluster.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    Bind(setCluster, "@cluster_id", clusterId);
                    Bind(setCluster, "@item_id", best.ItemId);
                    await setCluster.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            Bind(insertSignature, "@item_id", item.ItemId);
            Bind(insertSignature, "@signature", MinHasher.ToBytes(item.Signature));
            Bind(insertSignature, "@cluster_id", clusterId);
            Bind(insertSignature, "@now", now);
            await insertSignature.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            for (var b = 0; b < bands; b++)
            {
                Bind(insertBands, "@k" + b, item.BandKeys[b]);
            }

            Bind(insertBands, "@item_id", item.ItemId);
            await insertBands.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new AnalysisResult(item.ItemId, hits, clusterId);
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
