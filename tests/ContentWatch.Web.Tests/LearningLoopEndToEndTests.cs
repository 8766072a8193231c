using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ContentWatch.Web.Tests;

/// <summary>
/// The learning loop on real Kestrel, two <c>contentwatch serve</c> processes on one database: officers' decisions are
/// recorded; a candidate is trained from them (<c>train --decisions --from-store</c>); it is shadowed and its report read;
/// the promotion gate refuses it; a better model is activated and every new verdict on both nodes carries it within
/// 60 s, with no item classified twice; a rescore sends a dismissed item back to review with a note.
/// </summary>
public sealed class LearningLoopEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const string AdminKey = "cw_loop_admin_key_0123456789abcdef";
    private const string Platform = "loopbook";
    private static readonly TimeSpan SwapLimit = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "contentwatch-loop", Guid.NewGuid().ToString("N"))).FullName;

    private string Data => Path.Combine(_root, "data");

    [Fact]
    public async Task Decisions_TrainACandidate_TheGateRefusesIt_ABetterModelReachesBothNodes_AndARescoreRequeuesADismissedItem()
    {
        var started = DateTimeOffset.UtcNow.AddMinutes(-1);
        var weak = await TestModels.FirstCorpusModelAsync();
        var weakId = Classifier.ModelFile.ReadMetadata(weak).ModelVersion;
        var shippedId = Classifier.ModelFile.ReadMetadata(RepoPaths.Model).ModelVersion;
        var settings = new Dictionary<string, string> { ["Classification__ModelPath"] = weak, ["Workers__PollSeconds"] = "1" };
        Directory.CreateDirectory(Data);
        using var nodeA = await ServiceProcess.StartAsync(Data, AdminKey, settings);
        using var nodeB = await ServiceProcess.StartAsync(Data, AdminKey, settings);
        using var a = new ApiClient(nodeA.BaseAddress, AdminKey);
        using var b = new ApiClient(nodeB.BaseAddress, AdminKey);
        Assert.Equal(weakId, (await a.GetJsonAsync("/api/models"))["items"]![0]!["id"]!.GetValue<string>()); // registered as active on first start

        // 1. reports from the team corpus, classified by the active model; officers decide 60 of them
        var corpus = CorpusItems();
        var decided = corpus.Take(60).ToList();
        var kept = corpus.Skip(60).Take(30).ToList();
        var ids = await PostAsync(a, [.. decided, .. kept]);
        foreach (var id in ids)
        {
            var item = await ClassifiedAsync(a, id);
            Assert.Equal(weakId, item["verdict"]!["model"]!.GetValue<string>());
        }

        using var officer = new ApiClient(nodeA.BaseAddress, await a.CreateKeyAsync("officer"));
        for (var i = 0; i < decided.Count; i++)
        {
            var harmful = decided[i].Label != "benign";
            using var decision = await officer.PostJsonAsync($"/api/items/{ids[i]}/decision", harmful
                ? new { decision = "confirm", category = (string?)decided[i].Label, reason = "Matches the unit's guidance for this category." }
                : new { decision = "reject", category = (string?)null, reason = "An ordinary post, nothing illegal offered." });
            Assert.Equal(HttpStatusCode.OK, decision.StatusCode);
        }

        // 2. a small candidate trained from those decisions alone
        var candidateFile = Path.Combine(_root, "candidate.zip");
        var clock = Stopwatch.StartNew();
        var train = await CliAsync("train", "--decisions", "--from-store", "--data-dir", Data, "--corpus", Path.Combine(_root, "no-corpus"),
            "--data", "none", "--output", candidateFile);
        Assert.True(train.Exit == 0, train.Err + train.Out);
        output.WriteLine($"candidate trained from the decisions in {clock.Elapsed.TotalSeconds:F1} s");
        var import = await CliAsync("models", "import", candidateFile, "--data-dir", Data);
        Assert.True(import.Exit == 0, import.Err + import.Out);
        var candidateId = import.Out.TrimEnd().Split('\n')[^1].Trim();
        Assert.Equal(Classifier.ModelFile.ReadMetadata(candidateFile).ModelVersion, candidateId);
        Assert.Equal("candidate", (await a.GetJsonAsync($"/api/models/{candidateId}"))["status"]!.GetValue<string>());
        Assert.Equal(60, (await a.GetJsonAsync($"/api/models/{candidateId}"))["training"]!["decisions"]!.GetValue<int>());

        // 3. shadowed: every new item is scored by it beside the active model, on both nodes; its report is read
        using (var shadow = await b.Http.PostAsync($"/api/models/{candidateId}/shadow", null))
        {
            Assert.Equal(HttpStatusCode.OK, shadow.StatusCode);
        }

        await BothNodesAsync(nodeA, nodeB, "shadow", candidateId);
        var shadowed = corpus.Skip(90).Take(10).ToList();
        foreach (var id in await PostAsync(b, shadowed))
        {
            var item = await ClassifiedAsync(b, id);
            Assert.Equal(weakId, item["verdict"]!["model"]!.GetValue<string>());
            Assert.Equal(candidateId, item["shadowVerdict"]!["model"]!.GetValue<string>());
        }

        var report = await a.GetJsonAsync($"/api/models/{candidateId}/shadow-report");
        Assert.True(report["compared"]!.GetValue<int>() >= shadowed.Count, report.ToJsonString());
        Assert.InRange(report["agreement"]!.GetValue<double>(), 0, 1);
        output.WriteLine($"shadow report: {report["compared"]} compared, agreement {report["agreement"]}, {report["shadowOnly"]!["count"]} only the shadow would flag, {report["activeOnly"]!["count"]} only the active flagged");

        // 4. the promotion gate refuses it (the CLI prints the comparison; the API answers 409 carrying it)
        var promote = await CliAsync("models", "promote", candidateId, "--data-dir", Data);
        output.WriteLine(promote.Out);
        Assert.Equal(1, promote.Exit);
        Assert.Contains("golden: 900 items", promote.Out, StringComparison.Ordinal);
        Assert.Contains("worse: ", promote.Out, StringComparison.Ordinal);
        using (var refused = await a.Http.PostAsync($"/api/models/{candidateId}/activate", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.True((await ApiClient.ReadJsonAsync(refused))["comparison"]!["worse"]!.GetValue<bool>());
        }

        // 5. a better model (the shipped one) passes and is activated
        var shipped = await CliAsync("models", "import", RepoPaths.Model, "--data-dir", Data);
        Assert.Equal(shippedId, shipped.Out.TrimEnd().Split('\n')[^1].Trim());
        var activate = await CliAsync("models", "promote", shippedId, "--data-dir", Data);
        Assert.True(activate.Exit == 0, activate.Err + activate.Out);
        Assert.Contains("not worse: the gate passes", activate.Out, StringComparison.Ordinal);
        var swapped = Stopwatch.StartNew();

        // 6. both nodes swap without a restart within 60 s, and new verdicts on both carry the new model
        var (atA, atB) = await BothNodesAsync(nodeA, nodeB, "active", shippedId);
        output.WriteLine($"swap reached node A after {atA.TotalSeconds:F1} s and node B after {atB.TotalSeconds:F1} s (Models:PollSeconds 10)");
        Assert.InRange(swapped.Elapsed, TimeSpan.Zero, SwapLimit);
        var after = corpus.Skip(100).Take(10).ToList();
        var afterIds = (await PostAsync(a, after.Take(5).ToList())).Concat(await PostAsync(b, after.Skip(5).ToList())).ToList();
        foreach (var id in afterIds)
        {
            Assert.Equal(shippedId, (await ClassifiedAsync(a, id))["verdict"]!["model"]!.GetValue<string>());
        }

        // 7. a rescore with it sends a dismissed item the weak model missed back to review, with a note
        var keptIds = ids.Skip(60).ToList();
        var dismissedBefore = new List<string>();
        foreach (var id in keptIds)
        {
            if ((await a.GetJsonAsync($"/api/items/{id}"))["status"]!.GetValue<string>() == "dismissed")
            {
                dismissedBefore.Add(id);
            }
        }

        output.WriteLine($"{dismissedBefore.Count} of the {keptIds.Count} undecided items were dismissed by {weakId}");

        using var rescore = await a.PostJsonAsync($"/api/models/{shippedId}/rescore", new { since = started.ToString("O"), includeDismissed = true });
        Assert.Equal(HttpStatusCode.Accepted, rescore.StatusCode);
        var run = await ApiClient.EventuallyAsync(() => a.GetJsonAsync(rescore.Headers.Location!.ToString()), r => r["finished"]!.GetValue<bool>(),
            TimeSpan.FromSeconds(90), "the rescore to finish");
        output.WriteLine("rescore: " + run["outcomes"]!.ToJsonString());
        Assert.True(run["outcomes"]!["requeued"]?.GetValue<int>() >= 1, run.ToJsonString());
        var requeued = new List<JsonNode>();
        foreach (var id in dismissedBefore)
        {
            var item = await a.GetJsonAsync($"/api/items/{id}");
            if (item["status"]!.GetValue<string>() == "in_review")
            {
                requeued.Add(item);
            }
        }

        Assert.NotEmpty(requeued);
        var back = requeued[0];
        Assert.Equal(shippedId, back["verdict"]!["model"]!.GetValue<string>());
        var note = Assert.Single(back["notes"]!.AsArray())!;
        Assert.Equal("rescore", note["kind"]!.GetValue<string>());
        Assert.Contains("Back to review", note["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("key:", note["actor"]!.GetValue<string>(), StringComparison.Ordinal);

        // the command line's rescore shows its progress and outcomes
        var cliRescore = await CliAsync("rescore", "--model", shippedId, "--since", started.ToString("O"), "--data-dir", Data);
        Assert.True(cliRescore.Exit == 0, cliRescore.Err + cliRescore.Out);
        Assert.Contains("batch 1 of ", cliRescore.Out, StringComparison.Ordinal);
        Assert.Contains("rescored", cliRescore.Out, StringComparison.Ordinal);

        // no item lost, none classified twice: one accepted verdict write per item
        await using var db = new SqliteConnection($"Data Source={Path.Combine(Data, "contentwatch.db")};Pooling=False");
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM items WHERE status = 'pending'"));
        Assert.Equal(await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM items"), await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM verdict_writes"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM (SELECT item_id FROM verdict_writes GROUP BY item_id HAVING COUNT(*) > 1)"));
        // the candidate stayed in shadow when the better model replaced the active one: one shadow verdict per item since
        Assert.Equal(shadowed.Count + after.Count, await db.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM shadow_verdicts WHERE model_id = '{candidateId}'"));
    }

    private sealed record CorpusItem(string Text, string Label);

    /// <summary>120 team-corpus items (never the golden set), in file order, a harmful one of each kind for every three benign ones.</summary>
    private static List<CorpusItem> CorpusItems()
    {
        var byLabel = Directory.GetFiles(Path.Combine(RepoPaths.Root, "models", "corpus", "v2"), "*.jsonl").Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Select(l => JsonNode.Parse(l)!)
            .Select(n => new CorpusItem(n["text"]!.GetValue<string>(), n["label"]!.GetValue<string>()))
            .Where(i => i.Text.Length is >= 30 and <= 600)
            .GroupBy(i => i.Label)
            .ToDictionary(g => g.Key, g => new Queue<CorpusItem>(g.Where((_, n) => n % 7 == 0).DistinctBy(i => i.Text)));
        var items = new List<CorpusItem>();
        while (items.Count < 120)
        {
            foreach (var label in new[] { "smuggling_service", "benign", "document_fraud", "benign", "fake_job_offer", "benign" })
            {
                items.Add(byLabel[label].Dequeue());
            }
        }

        return items;
    }

    private static async Task<List<string>> PostAsync(ApiClient client, IReadOnlyList<CorpusItem> items)
    {
        using var posted = await client.PostJsonAsync("/api/reports", items.Select(i => new
        {
            platform = Platform, url = $"https://{Platform}.example/p/{Guid.NewGuid():N}", text = i.Text,
        }).ToArray());
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        return [.. (await ApiClient.ReadJsonAsync(posted))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];
    }

    private static Task<JsonNode> ClassifiedAsync(ApiClient client, string id) =>
        ApiClient.EventuallyAsync(() => client.GetJsonAsync($"/api/items/{id}"), i => i["verdict"] is not null, TimeSpan.FromSeconds(60), $"item {id} to be classified");

    /// <summary>Waits until both nodes' /health name <paramref name="id"/> as their active or shadow model; how long each took.</summary>
    private static async Task<(TimeSpan A, TimeSpan B)> BothNodesAsync(ServiceProcess nodeA, ServiceProcess nodeB, string which, string id)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? atA = null, atB = null;
        using var httpA = new HttpClient { BaseAddress = nodeA.BaseAddress };
        using var httpB = new HttpClient { BaseAddress = nodeB.BaseAddress };
        while (atA is null || atB is null)
        {
            Assert.True(clock.Elapsed < SwapLimit, $"the {which} model {id} did not reach both nodes within {SwapLimit.TotalSeconds} s");
            atA ??= JsonNode.Parse(await httpA.GetStringAsync("/health"))!["models"]![which]?.GetValue<string>() == id ? clock.Elapsed : null;
            atB ??= JsonNode.Parse(await httpB.GetStringAsync("/health"))!["models"]![which]?.GetValue<string>() == id ? clock.Elapsed : null;
            await Task.Delay(100);
        }

        return (atA.Value, atB.Value);
    }

    private Task<(int Exit, string Out, string Err)> CliAsync(params string[] args) => CliProcess.RunAsync(_root, args);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
