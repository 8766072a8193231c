using Microsoft.Data.SqlClient;

namespace ContentWatch.Storage.SqlServer;

/// <summary>
/// Opens connections to the configured SQL Server database and runs units of work, each in its own connection and
/// (when asked) transaction, again from the start when <see cref="SqlRetryPolicy"/> says the failure was transient.
/// </summary>
public sealed class SqlServerConnectionFactory(StorageOptions options, SqlRetryPolicy retry)
{
    private readonly string connectionString = options.EffectiveConnectionString;

    public async Task<SqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs a read, or a write that is idempotent, on its own connection without a transaction, retried when transient.
    /// A timeout or a dropped connection leaves a write's outcome unknown and the write is run again, so a write here must
    /// change nothing the second time (an insert guarded by its id, an update that sets fixed values); any other write
    /// belongs in <see cref="InTransactionAsync{T}"/>. The ScriptDom rules check this for every statement.
    /// </summary>
    public Task<T> RunAsync<T>(Func<SqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(
            async ct =>
            {
                await using var connection = await OpenAsync(ct).ConfigureAwait(false);
                return await work(connection, ct).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one read-committed transaction and commits it; any exception rolls it back.
    /// The whole transaction is run again after a failure that is transient or that <paramref name="alsoRetryOn"/> accepts,
    /// except a failure of the commit itself, whose outcome is unknown.
    /// </summary>
    public Task<T> InTransactionAsync<T>(
        Func<SqlConnection, SqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken, Func<Exception, bool>? alsoRetryOn = null) =>
        retry.ExecuteAsync(
            async ct =>
            {
                await using var connection = await OpenAsync(ct).ConfigureAwait(false);
                await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
                var result = await work(connection, transaction, ct).ConfigureAwait(false);
                try
                {
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                }
                catch (SqlException e) when (SqlRetryPolicy.IsTransient(e))
                {
                    // The server may have committed before the connection broke: running the work again could
                    // apply it twice (two copies of a report), so this failure is not retried.
                    throw new InvalidOperationException("The connection failed while committing; the transaction may or may not have been applied.", e);
                }

                return result;
            },
            e => SqlRetryPolicy.IsTransient(e) || (alsoRetryOn?.Invoke(e) ?? false),
            cancellationToken);
}
