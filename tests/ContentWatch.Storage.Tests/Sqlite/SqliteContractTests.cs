using ContentWatch.Storage.Tests.Contracts;
using ContentWatch.Storage.Tests.Providers;
using Xunit.Abstractions;

namespace ContentWatch.Storage.Tests.Sqlite;

// Each contract runs against SQLite. Another provider runs them with one line per contract.
public sealed class SqliteMigrationTests : MigrationContract<SqliteProvider>;

public sealed class SqliteIntakeTests(ITestOutputHelper output) : IntakeContract<SqliteProvider>(output);

public sealed class SqliteClassificationTests : ClassificationContract<SqliteProvider>;

public sealed class SqliteReviewTests : ReviewContract<SqliteProvider>;

public sealed class SqliteTrainingExampleTests : TrainingExampleContract<SqliteProvider>;

public sealed class SqliteReferralTests : ReferralContract<SqliteProvider>;

public sealed class SqliteExportTests : ExportContract<SqliteProvider>;

public sealed class SqliteAccessTests : AccessContract<SqliteProvider>;

public sealed class SqliteUserTests : UserContract<SqliteProvider>;

public sealed class SqliteDeskTests : DeskContract<SqliteProvider>;

public sealed class SqliteNetworkTests : NetworkContract<SqliteProvider>;

public sealed class SqliteModelTests : ModelContract<SqliteProvider>;
public sealed class SqliteFollowUpTests : FollowUpContract<SqliteProvider>;
