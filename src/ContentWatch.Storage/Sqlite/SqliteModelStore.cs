using ContentWatch.Core;
using ContentWatch.Core.Models;
using ContentWatch.Storage.Rows;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteModelStore(SqliteConnectionFactory db, TimeProvider time) : IModelStore
{
    public async Task<ModelInfo> RegisterAsync(NewModel model, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await GetAsync(connection, transaction, model.Id, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var row = await InsertAsync(connection, transaction, model, ModelStatus.Candidate, actor, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return row.ToInfo();
    }

    public async Task<bool> SeedAsync(NewModel model, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await connection.ExecuteScalarAsync<string?>(new CommandDefinition(ModelRow.SelectActiveId, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null)
        {
            return false;
        }

        var now = DbValues.Time(time.GetUtcNow());
        if (await GetAsync(connection, transaction, model.Id, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            await connection.ExecuteAsync(new CommandDefinition(ModelRow.SetStatus, new { id = model.Id, status = ModelStatus.Active, at = now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await EventAsync(connection, transaction, model.Id, now, actor, existing.Status, ModelStatus.Active, false, null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await InsertAsync(connection, transaction, model, ModelStatus.Active, actor, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<ModelInfo>> ListAsync(CancellationToken cancellationToken)
    {
        const string sql = "SELECT " + ModelRow.Columns + " FROM models ORDER BY created_at DESC, rowid DESC;";
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ModelRow>(new CommandDefinition(sql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToInfo())];
    }

    public async Task<ModelInfo?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetAsync(connection, null, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> GetContentAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(ModelRow.SelectFile, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<LiveModelIds> GetLiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return LiveRow.ToIds(await connection.QueryAsync<LiveRow>(new CommandDefinition(ModelRow.SelectLive, cancellationToken: cancellationToken)).ConfigureAwait(false));
    }

    public async Task<StatusChangeResult> SetStatusAsync(StatusChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var current = await GetAsync(connection, transaction, change.ModelId, cancellationToken).ConfigureAwait(false);
        var activeId = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(ModelRow.SelectActiveId, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (ModelRules.Refusal(change, current?.Status, activeId) is { } refusal)
        {
            return refusal;
        }

        var now = DbValues.Time(time.GetUtcNow());
        foreach (var (holder, to) in ModelRules.Displaced(change.Status))
        {
            var displaced = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT id FROM models WHERE status = @holder;", new { holder }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (displaced is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(ModelRow.Demote, new { status = holder, to, at = now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await EventAsync(connection, transaction, displaced, now, change.Actor, holder, to, false, $"replaced by {change.ModelId}", cancellationToken).ConfigureAwait(false);
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(ModelRow.SetStatus, new { id = change.ModelId, status = change.Status, at = now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await EventAsync(connection, transaction, change.ModelId, now, change.Actor, current!.Status, change.Status, change.Forced, change.Comparison, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StatusChangeResult(StatusChangeOutcome.Changed);
    }

    public async Task<IReadOnlyList<ModelEvent>> GetEventsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ModelEventRow>(new CommandDefinition(ModelRow.Events, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEvent())];
    }

    public async Task<ShadowVerdict?> GetShadowVerdictAsync(string itemId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT model_id AS Model, label AS Label, score AS Score, scores_json AS ScoresJson, classified_at AS ClassifiedAt
            FROM shadow_verdicts
            WHERE item_id = @itemId
            ORDER BY classified_at DESC, model_id
            LIMIT 1;
            """;
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ShadowVerdictRow>(new CommandDefinition(sql, new { itemId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToVerdict();
    }

    public async Task<ShadowCounts> CompareShadowAsync(string modelId, int listLimit, CancellationToken cancellationToken)
    {
        const string disagreements = """
            SELECT s.item_id AS ItemId, i.status AS Status, i.model_version AS ActiveModel, i.label AS ActiveLabel, i.score AS ActiveScore,
                   s.label AS ShadowLabel, s.score AS ShadowScore
            FROM shadow_verdicts s
            JOIN items i ON i.id = s.item_id
            WHERE s.model_id = @model AND i.label IS NOT NULL AND (s.label = 'benign') = @shadowBenign AND (i.label = 'benign') = @activeBenign
            ORDER BY MAX(s.score, i.score) DESC, s.item_id
            LIMIT @limit;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var counts = await connection.QuerySingleAsync<ShadowCountsRow>(new CommandDefinition(ModelRow.ShadowCounts, new { model = modelId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var shadowOnly = await connection.QueryAsync<DisagreementRow>(new CommandDefinition(disagreements,
            new { model = modelId, shadowBenign = false, activeBenign = true, limit = listLimit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var activeOnly = await connection.QueryAsync<DisagreementRow>(new CommandDefinition(disagreements,
            new { model = modelId, shadowBenign = true, activeBenign = false, limit = listLimit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return counts.ToCounts([.. shadowOnly.Select(r => r.ToDisagreement())], [.. activeOnly.Select(r => r.ToDisagreement())]);
    }

    public async Task<IReadOnlyList<DecidedItem>> GetDecidedAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT i.id AS Id, i.text AS Text, i.title AS Title, i.kind AS Kind, i.language AS Language,
                   i.status AS Status, d.at AS DecidedAt
            FROM (SELECT item_id, MAX(at) AS at FROM decisions WHERE at >= @since GROUP BY item_id) d
            JOIN items i ON i.id = d.item_id
            WHERE i.status IN ('confirmed', 'rejected')
            ORDER BY d.at DESC, i.id
            LIMIT @limit;
            """;
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DecidedRow>(new CommandDefinition(sql, new { since = DbValues.Time(since), limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToItem())];
    }

    public async Task<IReadOnlyList<ItemNote>> GetNotesAsync(string itemId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<NoteRow>(new CommandDefinition(ModelRow.Notes, new { itemId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToNote())];
    }

    public async Task<ModelFigures> GetFiguresAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var at = DbValues.Time(since);
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var bins = await connection.QueryAsync<ScoreBinRow>(new CommandDefinition(ModelRow.ScoreBins, new { since = at }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var precision = await connection.QueryAsync<ModelPrecisionRow>(new CommandDefinition(ModelRow.PrecisionByModel, new { since = at }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new ModelFigures(ScoreBinRow.ToBins(bins), [.. precision.OrderBy(p => p.Model, StringComparer.Ordinal).Select(p => new ModelPrecision(p.Model, p.Confirmed, p.Rejected))]);
    }

    private static async Task<ModelInfo?> GetAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ModelRow>(new CommandDefinition(ModelRow.SelectById, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToInfo();
    }

    private async Task<ModelRow> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, NewModel model, string status, string actor, CancellationToken cancellationToken)
    {
        var now = DbValues.Time(time.GetUtcNow());
        var row = ModelRow.From(model, status, now);
        await connection.ExecuteAsync(new CommandDefinition(ModelRow.Insert, row, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(ModelRow.InsertFile, new { id = model.Id, content = model.Content }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await EventAsync(connection, transaction, model.Id, now, actor, null, status, false, null, cancellationToken).ConfigureAwait(false);
        return row;
    }

    private static Task EventAsync(SqliteConnection connection, SqliteTransaction transaction, string modelId, string at, string actor, string? from, string to, bool forced,
        string? comparison, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(ModelRow.InsertEvent,
            new { id = Ids.New(), modelId, at, actor, fromStatus = from, toStatus = to, forced, comparison }, transaction, cancellationToken: cancellationToken));
}
