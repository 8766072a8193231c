namespace ContentWatch.Storage.SqlServer;

/// <summary>
/// The T-SQL that reads the server's clock for leases, so that nodes whose clocks differ agree on when a claim ends.
/// Timestamps are stored as ISO 8601 text with milliseconds and a Z (<c>DbValues.Time</c>); CONVERT style 127 would drop
/// a zero millisecond part, so the text is built by hand. Each piece ends with a line break, ready to prefix a query.
/// </summary>
internal static class SqlServerClock
{
    /// <summary>Declares <c>@now_utc</c> (datetime2) and <c>@now</c>, the same instant as stored text.</summary>
    public const string Now = """
        DECLARE @now_utc datetime2(3) = SYSUTCDATETIME();
        DECLARE @now nvarchar(24) = CONVERT(nchar(19), @now_utc, 126) + N'.' + RIGHT(N'00' + CONVERT(nvarchar(3), DATEPART(millisecond, @now_utc)), 3) + N'Z';

        """;

    /// <summary><see cref="Now"/>, then <c>@until_utc</c> and <c>@until</c>: the end of a lease of <c>@lease_ms</c> milliseconds.</summary>
    public const string NowAndLease = Now + """
        DECLARE @until_utc datetime2(3) = DATEADD(millisecond, @lease_ms, @now_utc);
        DECLARE @until nvarchar(24) = CONVERT(nchar(19), @until_utc, 126) + N'.' + RIGHT(N'00' + CONVERT(nvarchar(3), DATEPART(millisecond, @until_utc)), 3) + N'Z';

        """;
}
