using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Models;
using ContentWatch.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Web.Tests;

/// <summary>
/// An upgrade across a model-format change: the registry's active and shadow models are files of the hashed format
/// (CWLINEAR2) that this build cannot read. On start the shipped model replaces the active one and the shadow one is
/// retired, forced and audited, instead of scoring stopping.
/// </summary>
public sealed class ModelUpgradeTests(ModelUpgradeTests.OldFormatFixture service) : IClassFixture<ModelUpgradeTests.OldFormatFixture>
{
    private const string OldId = "cw-lbfgs-20261207-eab04f0";
    private const string OldShadowId = "cw-lbfgs-20261207-a8f5257";

    private static readonly string Shipped = Classifier.ModelFile.ReadMetadata(RepoPaths.Model).ModelVersion;

    [Fact]
    public async Task ModelsThisBuildCannotRead_AreReplacedByTheShippedOne_OrRetired_ForcedAndAudited()
    {
        using var admin = service.Admin();
        Assert.Equal(Shipped, (await admin.GetJsonAsync("/health"))["models"]!["active"]!.GetValue<string>());

        var models = (await admin.GetJsonAsync("/api/models"))["items"]!.AsArray();
        Assert.Equal("retired", models.Single(m => m!["id"]!.GetValue<string>() == OldId)!["status"]!.GetValue<string>());
        Assert.Equal("retired", models.Single(m => m!["id"]!.GetValue<string>() == OldShadowId)!["status"]!.GetValue<string>());
        Assert.Null(service.Services.GetRequiredService<ModelSelection>().Current.Shadow);
        var retirement = (await admin.GetJsonAsync($"/api/models/{OldShadowId}"))["events"]!.AsArray()[^1]!;
        Assert.Equal(ModelRegistry.UpgradeActor, retirement["actor"]!.GetValue<string>());
        Assert.Contains("CWLINEAR3", retirement["comparison"]!.GetValue<string>(), StringComparison.Ordinal);

        var events = (await admin.GetJsonAsync($"/api/models/{Shipped}"))["events"]!.AsArray();
        Assert.Equal(["candidate", "active"], events.Select(e => e!["toStatus"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal(ModelRegistry.UpgradeActor, e!["actor"]!.GetValue<string>()));
        var activation = events[1]!;
        Assert.True(activation["forced"]!.GetValue<bool>());
        var reason = JsonNode.Parse(activation["comparison"]!.GetValue<string>())!["reason"]!.GetValue<string>();
        Assert.Contains(OldId, reason, StringComparison.Ordinal);
        Assert.Contains("CWLINEAR3", reason, StringComparison.Ordinal);

        // and the node scores with it
        var active = service.Services.GetRequiredService<ModelSelection>().Current.Active;
        Assert.Equal(Shipped, active.ModelVersion);
        Assert.NotEqual(Labels.Benign, active.Classify(new ClassifierInput("Boat to UK this week from Dunkirk, £1,800 per person, WhatsApp +44 7700 900412")).Label);
    }

    /// <summary>The service, started on a registry whose active model is the previous build's format.</summary>
    public sealed class OldFormatFixture : ServiceFixture
    {
        protected override async Task PrepareAsync(WebApplication app)
        {
            await app.Services.GetRequiredService<IStorageMigrator>().MigrateAsync(CancellationToken.None);
            var store = app.Services.GetRequiredService<IModelStore>();
            Assert.True(await store.SeedAsync(OldModel(OldId), "test:previous-release", CancellationToken.None));
            await store.RegisterAsync(OldModel(OldShadowId), "test:previous-release", CancellationToken.None);
            var shadow = await store.SetStatusAsync(new StatusChange(OldShadowId, ModelStatus.Shadow, "test:previous-release", false), CancellationToken.None);
            Assert.Equal(StatusChangeOutcome.Changed, shadow.Outcome);
            await base.PrepareAsync(app);
        }

        private static NewModel OldModel(string id)
        {
            var content = OldFormatFile(id);
            return new NewModel(id, Convert.ToHexStringLower(SHA256.HashData(content)), content, null, 0.1868, new ModelMetrics(null, null, null), ModelTraining.None);
        }

        /// <summary>The shipped model file with the id <paramref name="id"/> and a weights entry of the hashed format.</summary>
        private static byte[] OldFormatFile(string id)
        {
            using var output = new MemoryStream();
            using (var source = ZipFile.OpenRead(RepoPaths.Model))
            using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var entry in source.Entries)
                {
                    using var read = entry.Open();
                    using var copy = new MemoryStream();
                    read.CopyTo(copy);
                    var bytes = copy.ToArray();
                    if (entry.Name == "metadata.json")
                    {
                        var metadata = JsonNode.Parse(bytes)!;
                        metadata["model_version"] = id;
                        bytes = Encoding.UTF8.GetBytes(metadata.ToJsonString());
                    }
                    else if (entry.Name == "weights.bin")
                    {
                        using var weights = new MemoryStream();
                        using (var writer = new BinaryWriter(weights, Encoding.UTF8, leaveOpen: true))
                        {
                            writer.Write("CWLINEAR2");
                            writer.Write(786_432);
                            writer.Write(4);
                        }

                        bytes = weights.ToArray();
                    }

                    using var write = zip.CreateEntry(entry.FullName).Open();
                    write.Write(bytes);
                }
            }

            return output.ToArray();
        }
    }
}
