using System.Net;
using System.Net.Sockets;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.SqlServer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ContentWatch.Core;
using ContentWatch.Jobs;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Web.Tests;

/// <summary>Roles and the Hangfire storage that follows the storage provider, without a SQL Server.</summary>
[Collection(InProcessHangfire.Name)]
public sealed class NodeRolesTests : IDisposable
{
    private const string AdminKey = "cw_roles_admin_key_0123456789abcdef";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "contentwatch-roles", Guid.NewGuid().ToString("N"));

    public NodeRolesTests() => Directory.CreateDirectory(_dataDirectory);

    [Theory]
    [InlineData("web", true, false)]
    [InlineData("worker", false, true)]
    [InlineData("web,worker", true, true)]
    [InlineData(" Worker , web ", true, true)]
    public void Roles_AreReadFromConfiguration(string roles, bool web, bool worker)
    {
        var node = new NodeOptions { Roles = roles };
        Assert.Equal(web, node.Web);
        Assert.Equal(worker, node.Worker);
    }

    [Theory]
    [InlineData("")]
    [InlineData("web,cook")]
    public void UnknownRoles_FailAtStartUp(string roles) =>
        Assert.Contains("Node:Roles", Assert.Throws<InvalidOperationException>(() => new NodeOptions { Roles = roles }.Validate()).Message, StringComparison.Ordinal);

    [Fact]
    public void SqlServerProvider_KeepsJobsInSqlServer_SharedByEveryNode_WithoutConnectingAtStartUp()
    {
        // a listener stands in for the server: a connection attempt at registration would show as a pending connection
        var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        try
        {
            var port = ((IPEndPoint)server.LocalEndpoint).Port;
            var setup = ServiceRegistration.JobsSetupFor(Configuration(
                ("Storage:Provider", "SqlServer"),
                ("Storage:ConnectionString", $"Server=127.0.0.1,{port};Database=cw_roles;User Id=cw;Password=not-used;Encrypt=false")), runsWorker: false);
            Assert.True(setup.SharedStorage);

            using var services = new ServiceCollection().AddLogging().AddContentWatchJobs(setup).BuildServiceProvider();
            var storage = services.GetRequiredService<JobStorage>();
            Assert.IsType<SqlServerStorage>(storage);
            Assert.Equal($"SQL Server: 127.0.0.1,{port}@cw_roles", storage.ToString());
            Assert.IsType<HangfireWorkQueue>(services.GetRequiredService<IWorkQueue>()); // a web node's enqueue reaches any worker
            Assert.Empty(services.GetServices<IHostedService>()); // web only: no Hangfire server
            Assert.False(server.Pending(), "registration connected to the server");
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public void SqliteProvider_KeepsJobsInMemory_AndAWebNodeLeavesItsItemsToTheWorkersPoll()
    {
        var configuration = Configuration(("Storage:Provider", "Sqlite"), ("Storage:DataDirectory", _dataDirectory));

        var web = ServiceRegistration.JobsSetupFor(configuration, runsWorker: false);
        Assert.False(web.SharedStorage);
        Assert.False(web.HasDashboard);
        using (var services = new ServiceCollection().AddLogging().AddContentWatchJobs(web).BuildServiceProvider())
        {
            Assert.IsType<InMemoryStorage>(services.GetRequiredService<JobStorage>());
            Assert.IsType<DeferredWorkQueue>(services.GetRequiredService<IWorkQueue>());
            Assert.Empty(services.GetServices<IHostedService>());
        }

        var worker = ServiceRegistration.JobsSetupFor(configuration, runsWorker: true);
        var registrations = new ServiceCollection().AddLogging().AddContentWatchJobs(worker);
        Assert.Contains(registrations, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "ScheduleRegistrar");
        Assert.Contains(registrations, d => d.ServiceType == typeof(PendingWorkPoller));
    }

    [Fact]
    public async Task AWorkerNode_ClassifiesWhatAWebNodeAccepted_OnOneSqliteFile()
    {
        using var webNode = await ServiceProcess.StartAsync(_dataDirectory, AdminKey, new Dictionary<string, string> { ["Node__Roles"] = "web" });
        using var client = new ApiClient(webNode.BaseAddress, AdminKey);
        using (var dashboard = await client.Http.GetAsync("/hangfire"))
        {
            Assert.Equal(HttpStatusCode.NotFound, dashboard.StatusCode); // no jobs live in a web node on SQLite
        }

        using var accepted = await client.PostJsonAsync("/api/reports", new
        {
            platform = "rolesbook",
            url = "https://roles.example/p/1",
            text = "Boat to UK from Calais, price 1200 euro, call +44 7700 900123. Leaving this week",
        });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await ApiClient.ReadJsonAsync(accepted))["items"]![0]!["id"]!.GetValue<string>();
        Assert.Equal("pending", (await client.GetJsonAsync($"/api/items/{id}"))["status"]!.GetValue<string>());

        using var workerNode = await ServiceProcess.StartAsync(
            _dataDirectory, adminKey: null, new Dictionary<string, string> { ["Workers__PollSeconds"] = "1" }, roles: "worker");
        using (var http = new HttpClient { BaseAddress = workerNode.BaseAddress })
        {
            using var api = await http.GetAsync("/api/review/queue?limit=1");
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode); // a worker node serves only /health
        }

        await ApiClient.EventuallyAsync(() => client.GetJsonAsync($"/api/items/{id}"),
            item => item["status"]!.GetValue<string>() != "pending", TimeSpan.FromSeconds(30), "the worker node to classify the item");
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
