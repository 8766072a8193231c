using ContentWatch.Storage.Tests.Contracts;
using ContentWatch.Storage.Tests.Providers;
using Xunit.Abstractions;

namespace ContentWatch.Storage.Tests.SqlServer;

// Each contract runs against SQL Server when CONTENTWATCH_TEST_SQLSERVER names one, and is skipped otherwise.
public sealed class SqlServerMigrationTests : MigrationContract<SqlServerProvider>;

public sealed class SqlServerIntakeTests(ITestOutputHelper output) : IntakeContract<SqlServerProvider>(output);

public sealed class SqlServerClassificationTests : ClassificationContract<SqlServerProvider>;

public sealed class SqlServerReviewTests : ReviewContract<SqlServerProvider>;

public sealed class SqlServerTrainingExampleTests : TrainingExampleContract<SqlServerProvider>;

public sealed class SqlServerReferralTests : ReferralContract<SqlServerProvider>;

public sealed class SqlServerExportTests : ExportContract<SqlServerProvider>;

public sealed class SqlServerAccessTests : AccessContract<SqlServerProvider>;

public sealed class SqlServerUserTests : UserContract<SqlServerProvider>;

public sealed class SqlServerDeskTests : DeskContract<SqlServerProvider>;

public sealed class SqlServerNetworkTests : NetworkContract<SqlServerProvider>;

public sealed class SqlServerModelTests : ModelContract<SqlServerProvider>;
public sealed class SqlServerFollowUpTests : FollowUpContract<SqlServerProvider>;
