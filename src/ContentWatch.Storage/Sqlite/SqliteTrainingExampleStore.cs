using ContentWatch.Core.Training;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

/// <summary>First decisions for training on SQLite: one short read per page, no transaction (WAL readers never block the writer).</summary>
public sealed class SqliteTrainingExampleStore(SqliteConnectionFactory db) : ITrainingExampleStore
{
    private const string Page = "SELECT" + FirstDecisionRow.Body + "\nLIMIT @limit;";

    public async Task<IReadOnlyList<FirstDecision>> ReadFirstDecisionsAsync(ExampleCursor after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<FirstDecisionRow>(new CommandDefinition(Page, FirstDecisionRow.Parameters(after, limit),
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToFirstDecision()).ToList();
    }
}
