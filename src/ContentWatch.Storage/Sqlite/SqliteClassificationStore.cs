using System.Globalization;
using ContentWatch.Core;
using ContentWatch.Core.Classification;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteClassificationStore(SqliteConnectionFactory db) : IClassificationStore
{
    public async Task<IReadOnlyList<ItemToClassify>> ClaimPendingAsync(int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        if (max <= 0)
        {
            return [];
        }

        // Leases are read and written on the database's clock, as on SQL Server (one machine's clock here).
        const string sql = """
            UPDATE items
            SET claim_token = @token, claim_until = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', @lease)
            WHERE id IN (
                SELECT id FROM items
                WHERE status = 'pending' AND (claim_until IS NULL OR claim_until <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                ORDER BY first_reported_at, rowid
                LIMIT @max)
            RETURNING id AS Id, text AS Text, title AS Title, kind AS Kind, language AS Language;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var claimed = await connection.QueryAsync<ItemToClassify>(new CommandDefinition(
            sql,
            new { token = Ids.New(), lease = string.Create(CultureInfo.InvariantCulture, $"+{lease.TotalSeconds:0.000} seconds"), max },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var list = claimed.AsList();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return list;
    }

    public async Task SaveVerdictsAsync(IReadOnlyList<ClassifiedItem> items, CancellationToken cancellationToken)
    {
        var rows = VerdictRow.From(items);
        if (rows.Count == 0)
        {
            return;
        }

        const string sql = """
            UPDATE items
            SET label = @Label, score = @Score, scores_json = @ScoresJson, evidence_json = @EvidenceJson, model_version = @Model, classified_at = @ClassifiedAt,
                status = CASE WHEN status = 'pending' THEN @Status ELSE status END, claim_token = NULL, claim_until = NULL,
                language = COALESCE(language, @Language)
            WHERE id = @Id AND (status = 'pending' OR classified_at IS NULL);
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition(sql, rows, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        const string sql = "SELECT COUNT(*) FROM items WHERE status = 'pending';";
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
